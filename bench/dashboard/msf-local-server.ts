/**
 * msf-local in a process of its own for bench/dashboard/msf-local.ts, as `msfctl local up` runs it beside a
 * user's msfctl: control plane, S3 and CloudWatch, no job runtime. Prints its URL, stops on SIGTERM.
 *
 *   npx tsx bench/dashboard/msf-local-server.ts DATA_DIR
 */
import { startMsfLocal } from 'msf-local';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: msf-local-server.ts DATA_DIR');
const server = await startMsfLocal({ dataDir, port: 0, runtime: null, kinesis: false, log: () => undefined });
process.stdout.write(`${server.url}\n`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
