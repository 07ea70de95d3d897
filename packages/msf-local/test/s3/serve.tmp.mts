import { startS3 } from './harness.js';
const h = await startS3(process.argv[2]);
console.log(h.url);
process.on('SIGTERM', async () => {
  await h.stop();
  process.exit(0);
});
