/** Object tagging: GetObjectTagging, PutObjectTagging, DeleteObjectTagging (the ?tagging subresource). */
import { el, wrap } from '../../api/xml.js';
import type { ServiceRequest, ServiceResponse } from '../../server/service.js';
import type { S3Store } from '../backend/object-store.js';
import { s3Errors } from '../errors.js';
import { parseXml, xmlResponse } from '../protocol/xml-wire.js';
import { validateTags } from './object-headers.js';

export async function objectTagging(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  key: string,
): Promise<ServiceResponse> {
  switch (req.method) {
    case 'GET': {
      const tags = store.headObject(bucket, key).tags ?? {};
      const set = Object.entries(tags)
        .map(([k, v]) => wrap('Tag', el('Key', k) + el('Value', v)))
        .join('');
      return xmlResponse(200, 'Tagging', wrap('TagSet', set));
    }
    case 'PUT': {
      const doc = parseXml(req.body) as { Tagging?: { TagSet?: { Tag?: unknown } } };
      if (!doc.Tagging) throw s3Errors.malformedXml();
      const raw = doc.Tagging.TagSet?.Tag;
      const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as {
        Key?: unknown;
        Value?: unknown;
      }[];
      const tags: Record<string, string> = {};
      for (const tag of list) {
        if (typeof tag.Key !== 'string') throw s3Errors.malformedXml();
        tags[tag.Key] = typeof tag.Value === 'string' ? tag.Value : '';
      }
      validateTags(tags);
      await store.setObjectTags(bucket, key, tags);
      return { status: 200 };
    }
    case 'DELETE':
      await store.setObjectTags(bucket, key, {});
      return { status: 204 };
    default:
      throw s3Errors.methodNotAllowed(req.method, 'OBJECT');
  }
}
