/** The snapshot exporter port's conformance suite on the in-memory fake (both behaviours: AWS-like, msf-local-like). */
import { FakeSnapshotExporter } from '../fakes/fake-exporter.js';
import { FakeMsf } from '../fakes/fake-msf.js';
import { runExporterConformance } from './snapshot-exporter-conformance.js';

for (const legacy of [false, true]) {
  runExporterConformance(`FakeSnapshotExporter (in memory, legacy: ${legacy})`, async () => {
    const msf = new FakeMsf({ polls: 1 });
    msf.buckets.add('exports');
    return {
      exporter: new FakeSnapshotExporter(msf, { legacy }),
      gateway: msf,
      bucket: 'exports',
      putSavepoint: async (at) => {
        const metadata = Buffer.from(`flink savepoint at ${at.prefix}`);
        msf.objects.set(`${at.bucket}/${at.prefix}_metadata`, metadata);
        return metadata;
      },
      readObject: async (bucket, key) => msf.objects.get(`${bucket}/${key}`),
      exportsApplicationSnapshots: legacy,
    };
  });
}
