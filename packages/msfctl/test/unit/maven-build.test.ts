/** How msfctl runs Maven: a clean build, so the same sources give the same JAR digest every time. */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildWithMaven } from '../../src/adapters/artifacts/maven.js';
import { resolveArtifact } from '../../src/adapters/artifacts/resolve.js';
import { createSilentHost } from '../../src/adapters/io/memory-host.js';
import type { ApplicationSpec } from '../../src/spec/schema.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('buildWithMaven', () => {
  it('runs `clean package` (an incremental package re-shades the previous shaded JAR) and finds the JAR', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'msfctl-mvn-'));
    writeFileSync(path.join(dir, 'pom.xml'), '<project/>');
    // A stand-in for mvn that records its arguments and produces a JAR, as a shade build leaves them.
    const mvn = path.join(dir, 'fake-mvn.sh');
    writeFileSync(
      mvn,
      '#!/bin/sh\necho "$@" > args.txt\nmkdir -p target\necho jar > target/app.jar\necho old > target/original-app.jar\n',
    );
    chmodSync(mvn, 0o755);
    mkdirSync(path.join(dir, 'target'));
    const jar = await buildWithMaven({ dir, args: ['-Pflink-1.20'] }, undefined, {
      ...process.env,
      MSFCTL_MVN: mvn,
    });
    expect(readFileSync(path.join(dir, 'args.txt'), 'utf8').trim()).toBe(
      '-B clean package -DskipTests -Pflink-1.20',
    );
    expect(jar).toBe(path.join(dir, 'target', 'app.jar'));
  });

  it('stops the build when msfctl exits mid-build (SIGTERM from CI), leaving no Maven behind', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'msfctl-mvn-'));
    writeFileSync(path.join(dir, 'pom.xml'), '<project/>');
    const mvn = path.join(dir, 'slow-mvn.sh');
    writeFileSync(mvn, '#!/bin/sh\necho $$ > mvn.pid\nexec sleep 60\n');
    chmodSync(mvn, 0o755);
    const module = new URL('../../src/adapters/artifacts/maven.ts', import.meta.url).pathname;
    // A process that builds as msfctl does and exits on SIGTERM as msfctl's interrupt handler does.
    const script = `import { buildWithMaven } from ${JSON.stringify(module)};
process.on('SIGTERM', () => process.exit(143));
await buildWithMaven({ dir: ${JSON.stringify(dir)} });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, MSFCTL_MVN: mvn },
      stdio: 'ignore',
    });
    await until(
      () =>
        existsSync(path.join(dir, 'mvn.pid')) &&
        readFileSync(path.join(dir, 'mvn.pid'), 'utf8').trim() !== '',
    );
    const mvnPid = Number(readFileSync(path.join(dir, 'mvn.pid'), 'utf8'));
    expect(alive(mvnPid)).toBe(true);
    try {
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(143);
      await until(() => !alive(mvnPid), 5_000);
    } finally {
      if (alive(mvnPid)) process.kill(mvnPid); // no stray `sleep` when the test fails
    }
  });
});

describe('the Maven build is skipped when its inputs did not change (issue 16 item 8)', () => {
  it('builds once for the same sources and POM; a changed source, a lost JAR or --rebuild build again', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'msfctl-mvn-stamp-'));
    writeFileSync(path.join(dir, 'pom.xml'), '<project/>');
    mkdirSync(path.join(dir, 'src', 'main', 'java'), { recursive: true });
    writeFileSync(path.join(dir, 'src', 'main', 'java', 'Job.java'), 'class Job {}');
    // A stand-in for mvn that counts its runs and builds a JAR from the source.
    const tools = mkdtempSync(path.join(tmpdir(), 'msfctl-fake-mvn-'));
    const mvn = path.join(tools, 'mvn.sh');
    const log = path.join(tools, 'runs.txt');
    writeFileSync(
      mvn,
      `#!/bin/sh\necho run >> ${log}\nrm -rf target\nmkdir -p target\ncat src/main/java/Job.java > target/app.jar\n`,
    );
    chmodSync(mvn, 0o755);
    const runs = () => readFileSync(log, 'utf8').trim().split('\n').length;
    const spec = {
      code: { maven: dir },
      artifacts: { bucket: 'b', prefix: 'jars/' },
    } as unknown as ApplicationSpec;
    const host = createSilentHost();
    const before = process.env.MSFCTL_MVN;
    process.env.MSFCTL_MVN = mvn;
    try {
      const first = await resolveArtifact(spec, host);
      expect(runs()).toBe(1);
      const second = await resolveArtifact(spec, host);
      expect(runs()).toBe(1);
      expect(second.artifact.sha256).toBe(first.artifact.sha256);
      expect(host.messages.map((m) => m.code)).toContain('MSF_BUILD_I1001');

      await resolveArtifact(spec, host, { rebuild: true });
      expect(runs()).toBe(2);

      writeFileSync(path.join(dir, 'src', 'main', 'java', 'Job.java'), 'class Job { int x; }');
      const changed = await resolveArtifact(spec, host);
      expect(runs()).toBe(3);
      expect(changed.artifact.sha256).not.toBe(first.artifact.sha256);

      rmSync(path.join(dir, 'target', 'app.jar'));
      await resolveArtifact(spec, host);
      expect(runs()).toBe(4);
      await resolveArtifact(spec, host);
      expect(runs()).toBe(4);
    } finally {
      if (before === undefined) delete process.env.MSFCTL_MVN;
      else process.env.MSFCTL_MVN = before;
    }
  });
});
