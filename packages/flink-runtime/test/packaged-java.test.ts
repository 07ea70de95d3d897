/**
 * The Maven-free path of an installed package: a packaged build laid out from its jar, the local Maven
 * repository and an HTTP repository (a loopback server standing in for Maven Central), each library verified.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  materializePackagedBuild,
  packagedBuild,
  type PackagedBuild,
  type PackagedLibrary,
} from '../src/packaged-java.js';

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

let dir: string;
let server: Server;
let repository: string;
/** What the fake remote repository serves, by path; anything else is a 404. */
let served: Map<string, Buffer>;
let requests: string[];

function library(repoPath: string, content: string): PackagedLibrary {
  return { path: repoPath, size: content.length, sha256: sha256(content) };
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'packaged-java-'));
  served = new Map();
  requests = [];
  server = createServer((req, res) => {
    const key = (req.url ?? '').replace(/^\/maven2\//, '');
    requests.push(key);
    const body = served.get(key);
    res.writeHead(body ? 200 : 404).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  repository = `http://127.0.0.1:${(server.address() as AddressInfo).port}/maven2/`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function setUp(libraries: PackagedLibrary[]): {
  build: PackagedBuild;
  jarsDir: string;
  localRepository: string;
} {
  const jarsDir = path.join(dir, 'jars');
  mkdirSync(jarsDir);
  writeFileSync(path.join(jarsDir, 'flink-host-1.20.5.jar'), 'the tool');
  const build = { jar: 'flink-host-1.20.5.jar', outputName: 'flink-host.jar', libraries };
  writeFileSync(
    path.join(jarsDir, 'manifest.json'),
    JSON.stringify({ builds: { 'flink-host@1.20.5': build } }),
  );
  return { build, jarsDir, localRepository: path.join(dir, 'm2') };
}

function putLocal(localRepository: string, repoPath: string, content: string): void {
  mkdirSync(path.dirname(path.join(localRepository, repoPath)), { recursive: true });
  writeFileSync(path.join(localRepository, repoPath), content);
}

describe('packaged Java builds', () => {
  it('lays out the jar and its libraries, from the local repository when it has them, else over HTTP', async () => {
    const core = library('org/apache/flink/flink-core/1.20.5/flink-core-1.20.5.jar', 'core bytes');
    const json = library('org/apache/flink/flink-json/1.20.5/flink-json-1.20.5.jar', 'json bytes');
    const { jarsDir, localRepository } = setUp([core, json]);
    putLocal(localRepository, core.path, 'core bytes');
    served.set(json.path, Buffer.from('json bytes'));
    const lines: string[] = [];

    const build = packagedBuild('flink-host@1.20.5', jarsDir)!;
    const out = path.join(dir, 'out');
    await materializePackagedBuild(build, out, {
      jarsDir,
      repository,
      localRepository,
      label: 'FLINK-1_20',
      log: (line) => lines.push(line),
    });

    expect(readFileSync(path.join(out, 'flink-host.jar'), 'utf8')).toBe('the tool');
    expect(readdirSync(path.join(out, 'lib')).sort()).toEqual([
      'flink-core-1.20.5.jar',
      'flink-json-1.20.5.jar',
    ]);
    expect(readFileSync(path.join(out, 'lib', 'flink-json-1.20.5.jar'), 'utf8')).toBe('json bytes');
    expect(requests).toEqual([json.path]);
    expect(lines).toEqual(['FLINK-1_20: downloaded flink-json-1.20.5.jar (1 kB) [1]']);
  });

  it('downloads a library whose local copy does not match the manifest', async () => {
    const core = library('org/apache/flink/flink-core/1.20.5/flink-core-1.20.5.jar', 'core bytes');
    const { build, jarsDir, localRepository } = setUp([core]);
    putLocal(localRepository, core.path, 'tampered');
    served.set(core.path, Buffer.from('core bytes'));
    const out = path.join(dir, 'out');
    await materializePackagedBuild(build, out, {
      jarsDir,
      repository,
      localRepository,
      label: 'x',
      log: () => {},
    });
    expect(readFileSync(path.join(out, 'lib', 'flink-core-1.20.5.jar'), 'utf8')).toBe('core bytes');
    expect(requests).toEqual([core.path]);
  });

  it('refuses a download whose SHA-256 differs, naming the URL and both digests, and leaves no jar', async () => {
    const core = library('org/apache/flink/flink-core/1.20.5/flink-core-1.20.5.jar', 'core bytes');
    const { build, jarsDir, localRepository } = setUp([core]);
    served.set(core.path, Buffer.from('something else'));
    const out = path.join(dir, 'out');
    const failure = materializePackagedBuild(build, out, {
      jarsDir,
      repository,
      localRepository,
      label: 'x',
      log: () => {},
    });
    await expect(failure).rejects.toThrow(
      `${repository}${core.path} has SHA-256 ${sha256('something else')}`,
    );
    await expect(failure).rejects.toThrow(`the package expects ${core.sha256}`);
    expect(readdirSync(path.join(out, 'lib'))).toEqual([]);
  });

  it('says which URL failed when the repository does not have a library', async () => {
    const core = library('org/apache/flink/flink-core/1.20.5/flink-core-1.20.5.jar', 'core bytes');
    const { build, jarsDir, localRepository } = setUp([core]);
    const failure = materializePackagedBuild(build, path.join(dir, 'out'), {
      jarsDir,
      repository,
      localRepository,
      label: 'x',
      log: () => {},
    });
    await expect(failure).rejects.toThrow(`cannot download ${repository}${core.path}: HTTP 404`);
  });

  it('names the builds a package has when asked for one it lacks; none at all without a manifest', () => {
    const { jarsDir } = setUp([]);
    expect(() => packagedBuild('flink-host@9.9.9', jarsDir)).toThrow(
      'this msf-flink-runtime has no packaged build flink-host@9.9.9 (it has: flink-host@1.20.5)',
    );
    expect(packagedBuild('flink-host@1.20.5', path.join(dir, 'nowhere'))).toBeUndefined();
  });
});
