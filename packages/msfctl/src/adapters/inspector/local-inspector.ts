/** The JarInspector port: java/jar-inspector on this machine, sandboxed, its results cached by JAR digest. */
import path from 'node:path';
import { isSupportedRuntime } from 'msf-flink-runtime';
import type { JarInspector } from '../../ports/jar-inspector.js';
import { msfctlCacheDir } from '../artifacts/jar-cache.js';
import { inspectJar } from './inspect-jar.js';

export function localJarInspector(cacheDir = msfctlCacheDir()): JarInspector {
  return {
    inspectable: (runtime) => isSupportedRuntime(runtime),
    inspect: (options) => inspectJar({ cacheDir: path.join(cacheDir, 'inspections'), ...options }),
  };
}
