/** The MSF port's conformance suite on the in-memory fake the unit tests use. */
import { FakeMsf } from '../fakes/fake-msf.js';
import { runMsfConformance } from './msf-conformance.js';

runMsfConformance('FakeMsf (in memory)', async () => new FakeMsf({ polls: 1 }));
