/** A standalone msf-local with no job runtime, for tests that kill the server process. Arg: data dir. */
import { startMsfLocal } from '../../src/msf-local.js';

const server = await startMsfLocal({
  dataDir: process.argv[2]!,
  port: 0,
  runtime: null,
  log: () => undefined,
});
process.stdout.write(`msf-local listening on ${server.url}\n`);
