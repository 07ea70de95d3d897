/** How msfctl runs Maven: a clean build, so the same sources give the same JAR digest every time. */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildWithMaven } from '../../src/artifacts/maven.js';

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
});
