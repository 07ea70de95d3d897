/**
 * Builds a Maven project (`mvn -B clean package -DskipTests`) and finds the application JAR it produced. The
 * build's output is kept and shown (last lines) only when it fails.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { MsfctlError } from '../../model/errors.js';
import type { Progress } from '../../ports/io-host.js';

export interface MavenBuild {
  dir: string;
  args?: string[];
  /** JAR path relative to the project, when target/ holds several. */
  jar?: string;
}

const NOT_APPLICATION_JAR = /^original-|-(sources|javadoc|tests)\.jar$/;

export async function buildWithMaven(
  build: MavenBuild,
  progress?: Progress,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (!existsSync(path.join(build.dir, 'pom.xml'))) {
    throw new MsfctlError('BUILD_FAILED', `No pom.xml in ${build.dir}.`, {
      hint: 'code.maven must name a Maven project directory.',
    });
  }
  const mvn = env.MSFCTL_MVN ?? 'mvn';
  // `clean` as the seed's build.sh does: an incremental `package` re-shades the previous shaded JAR, so the same
  // sources gave a different JAR (digest) on every other build, and every plan a code change.
  const args = ['-B', 'clean', 'package', '-DskipTests', ...(build.args ?? [])];
  const tail: string[] = [];
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(mvn, args, { cwd: build.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    // If msfctl exits mid-build (Ctrl-C, SIGTERM from CI), Maven must not go on writing target/ unseen.
    const stopBuild = () => child.kill('SIGTERM');
    process.once('exit', stopBuild);
    child.on('close', () => process.off('exit', stopBuild));
    let partial = '';
    const onData = (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) {
        tail.push(l);
        if (tail.length > 60) tail.shift();
        const step = /^\[INFO\] --- (\S+)/.exec(l);
        if (step) progress?.update(`Building ${path.basename(build.dir)} with Maven: ${step[1]}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) =>
      reject(
        new MsfctlError('BUILD_FAILED', `Cannot run ${mvn}: ${error.message}`, {
          hint: 'Install Maven (or set MSFCTL_MVN), or build the JAR yourself and use code.jar.',
        }),
      ),
    );
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0) {
    throw new MsfctlError(
      'BUILD_FAILED',
      `Maven build in ${build.dir} failed (exit ${code}):\n${tail.slice(-25).join('\n')}`,
      {
        hint: `Run \`mvn ${args.join(' ')}\` in ${build.dir} to see the whole output.`,
      },
    );
  }
  return findJar(build);
}

export function findJar(build: MavenBuild): string {
  if (build.jar) {
    const jar = path.resolve(build.dir, build.jar);
    if (!existsSync(jar)) throw new MsfctlError('BUILD_FAILED', `The build did not produce ${jar}.`);
    return jar;
  }
  const target = path.join(build.dir, 'target');
  const jars = existsSync(target)
    ? readdirSync(target).filter((f) => f.endsWith('.jar') && !NOT_APPLICATION_JAR.test(f))
    : [];
  if (jars.length === 0)
    throw new MsfctlError('BUILD_FAILED', `The Maven build produced no JAR in ${target}.`);
  if (jars.length > 1) {
    // Several candidates: the newest is the one just built, unless told otherwise.
    const newest = jars
      .map((f) => ({ f, t: statSync(path.join(target, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    if (newest[0]!.t - newest[1]!.t < 1_000) {
      throw new MsfctlError(
        'BUILD_FAILED',
        `The Maven build produced several JARs in ${target}: ${jars.join(', ')}.`,
        {
          hint: 'Say which one with code.maven: { dir, jar: target/<name>.jar }.',
        },
      );
    }
    return path.join(target, newest[0]!.f);
  }
  return path.join(target, jars[0]!);
}
