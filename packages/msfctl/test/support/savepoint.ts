/**
 * A stand-in for a Flink savepoint's `_metadata`: Flink's checkpoint-metadata header (magic number, version) and
 * a body — what an import checks for. Flink itself reads real ones in the Flink end-to-end tests.
 */
export function flinkSavepointMetadata(body = 'savepoint'): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(0x4960672d, 0);
  header.writeInt32BE(4, 4);
  return Buffer.concat([header, Buffer.from(body)]);
}
