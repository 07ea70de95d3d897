"""Serves boto3 calls to a test over stdin/stdout, one JSON object per line.

Request:  {"service": "kinesisanalyticsv2", "op": "create_snapshot", "params": {...}, "validate": true}
Answer:   {"result": {...}} | {"error": {"code", "message", "status", "exception"}} | {"param_error": "..."}
          | {"failure": "..."} (no answer from the endpoint)
Timestamps in answers are epoch seconds; boto3 accepts them back as parameters.
"""
import datetime
import json
import sys

import boto3
import botocore.config
import botocore.exceptions

endpoint = sys.argv[1]
clients = {}


def client(service, validate):
    key = (service, validate)
    if key not in clients:
        clients[key] = boto3.client(
            service,
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="AKIDBOTO3",
            aws_secret_access_key="boto3-secret",
            config=botocore.config.Config(
                parameter_validation=validate, retries={"total_max_attempts": 1, "mode": "standard"}
            ),
        )
    return clients[key]


def plain(value):
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if hasattr(value, "read"):
        return value.read().decode("utf-8", "replace")
    raise TypeError(f"cannot send {type(value).__name__}")


for line in sys.stdin:
    request = json.loads(line)
    try:
        c = client(request["service"], request.get("validate", True))
        result = getattr(c, request["op"])(**request.get("params", {}))
        result.pop("ResponseMetadata", None)
        answer = {"result": result}
    except botocore.exceptions.ClientError as e:
        answer = {
            "error": {
                "code": e.response["Error"].get("Code"),
                "message": e.response["Error"].get("Message"),
                "status": e.response["ResponseMetadata"].get("HTTPStatusCode"),
                "exception": type(e).__name__,
            }
        }
    except botocore.exceptions.ParamValidationError as e:
        answer = {"param_error": str(e)}
    except botocore.exceptions.BotoCoreError as e:  # no answer from the endpoint (connection refused or closed)
        answer = {"failure": f"{type(e).__name__}: {e}"}
    sys.stdout.write(json.dumps(answer, default=plain) + "\n")
    sys.stdout.flush()
