/** The MSF port's conformance suite on the in-memory fake the unit tests use. */
import { FakeMsf } from '../fakes/fake-msf.js';
import { runMsfConformance } from './msf-conformance.js';

const msf = new FakeMsf({ polls: 1 });

runMsfConformance('FakeMsf (in memory)', async () => msf, {
  bucket: 'artifacts',
  putSavepoint: async (at) => {
    msf.objects.set(`${at.bucket}/${at.prefix}_metadata`, Buffer.from('savepoint'));
  },
});
