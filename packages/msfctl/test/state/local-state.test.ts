import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalObjectStore } from '../../src/adapters/state/local-object-store.js';
import { runStateConformance } from './conformance.js';

runStateConformance(
  'local directory',
  async () => new LocalObjectStore(mkdtempSync(path.join(tmpdir(), 'msfctl-state-'))),
);
