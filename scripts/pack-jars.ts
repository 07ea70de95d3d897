/**
 * Pack time (`npm pack` / `npm publish` of msf-flink-runtime runs it as `prepack`): builds the Java tools of
 * java/ with Maven — the properties agent once, flink-host and the jar inspector once per Flink release of the
 * runtime table — into packages/flink-runtime/jars/, with a manifest of the Maven Central libraries each one
 * runs on (repository path, size, SHA-256, from the local Maven repository Maven just filled). An installed
 * package then needs Java 17 but no Maven: see packages/flink-runtime/src/packaged-java.ts.
 *
 *   npx tsx scripts/pack-jars.ts      # needs Maven 3.8+ and Java 17; minutes on a cold Maven cache
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FLINK_RUNTIMES } from '../packages/flink-runtime/src/runtimes.js';
import {
  MANIFEST_FILE,
  type PackagedBuild,
  type PackagedLibrary,
  type PackagedManifest,
} from '../packages/flink-runtime/src/packaged-java.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const JAVA = path.join(ROOT, 'java');
const OUT = path.join(ROOT, 'packages/flink-runtime/jars');

interface Tool {
  project: string;
  /** The pom property that moves its build directory. */
  buildDirProperty: string;
  perFlinkVersion: boolean;
}

const TOOLS: Tool[] = [
  { project: 'properties-agent', buildDirProperty: 'agent.buildDir', perFlinkVersion: false },
  { project: 'flink-host', buildDirProperty: 'host.buildDir', perFlinkVersion: true },
  { project: 'jar-inspector', buildDirProperty: 'inspector.buildDir', perFlinkVersion: true },
];

/** `group:artifact:type[:classifier]:version:scope:/abs/path.jar[ -- module …]` from `dependency:list`. */
const LISTED = /^\s*([^:\s]+):([^:\s]+):([^:\s]+):(?:([^:\s]+):)?([^:\s]+):(?:compile|runtime):(\/\S+)/;

async function buildOne(tool: Tool, flinkVersion: string | undefined): Promise<[string, PackagedBuild]> {
  const name = flinkVersion ? `${tool.project}@${flinkVersion}` : tool.project;
  const scratch = await mkdtemp(path.join(os.tmpdir(), `pack-${tool.project}-`));
  try {
    const list = path.join(scratch, 'dependencies.txt');
    const args = [
      '-B',
      '-q',
      '-f',
      path.join(JAVA, tool.project, 'pom.xml'),
      ...(flinkVersion ? [`-Dflink.version=${flinkVersion}`] : []),
      `-D${tool.buildDirProperty}=${path.join(scratch, 'build')}`,
      'package',
      ...(flinkVersion
        ? ['dependency:list', `-DoutputFile=${list}`, '-DoutputAbsoluteArtifactFilename=true']
        : []),
    ];
    await promisify(execFile)('mvn', args, { maxBuffer: 64 * 1024 * 1024 }).catch((error: Error) => {
      throw new Error(`mvn ${args.join(' ')} failed: ${error.message}`);
    });
    const jar = flinkVersion ? `${tool.project}-${flinkVersion}.jar` : `${tool.project}.jar`;
    await copyFile(path.join(scratch, 'build', `${tool.project}.jar`), path.join(OUT, jar));
    const libraries: PackagedLibrary[] = [];
    if (flinkVersion) {
      for (const line of (await readFile(list, 'utf8')).split('\n')) {
        const match = LISTED.exec(line);
        if (!match) continue;
        const [, group, artifact, type, classifier, version, file] = match as unknown as string[];
        if (type !== 'jar') throw new Error(`${name}: dependency ${line.trim()} is not a jar`);
        const fileName = `${artifact}-${version}${classifier ? `-${classifier}` : ''}.jar`;
        libraries.push({
          path: `${group!.replaceAll('.', '/')}/${artifact}/${version}/${fileName}`,
          size: (await stat(file!)).size,
          sha256: createHash('sha256')
            .update(await readFile(file!))
            .digest('hex'),
        });
      }
      if (libraries.length === 0) throw new Error(`${name}: dependency:list named no libraries`);
      libraries.sort((a, b) => a.path.localeCompare(b.path));
    }
    process.stderr.write(`[pack-jars] ${name}: ${jar} and ${libraries.length} libraries\n`);
    return [name, { jar, outputName: `${tool.project}.jar`, libraries }];
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Digest of what the jars are built from: the tools' sources and the Flink releases. */
export async function inputsDigest(versions: string[]): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(versions));
  for (const tool of TOOLS) {
    const dir = path.join(JAVA, tool.project);
    const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name))
      .filter(
        (file) => file === path.join(dir, 'pom.xml') || file.startsWith(path.join(dir, 'src') + path.sep),
      )
      .sort();
    for (const file of files)
      hash
        .update(path.relative(JAVA, file))
        .update('\0')
        .update(await readFile(file));
  }
  return hash.digest('hex');
}

/** Builds the jars unless jars/manifest.json records the current inputs. */
export async function packJars(): Promise<void> {
  const versions = [...new Set(Object.values(FLINK_RUNTIMES).map((spec) => spec.flinkVersion))];
  const digest = await inputsDigest(versions);
  const previous = await readFile(path.join(OUT, MANIFEST_FILE), 'utf8').then(
    (text) => JSON.parse(text) as PackagedManifest,
    () => undefined,
  );
  if (previous?.sourceDigest === digest) {
    process.stderr.write('[pack-jars] jars/ is current (same java/ sources and Flink releases)\n');
    return;
  }
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const jobs = TOOLS.flatMap((tool) =>
    tool.perFlinkVersion
      ? versions.map((version) => () => buildOne(tool, version))
      : [() => buildOne(tool, undefined)],
  );
  const builds: Record<string, PackagedBuild> = {};
  // Two Maven builds at a time: most of each is JVM start-up and compilation on one core.
  const run = async (): Promise<void> => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const [name, build] = await job();
      builds[name] = build;
    }
  };
  await Promise.all([run(), run()]);
  const manifest: PackagedManifest = {
    sourceDigest: digest,
    builds: Object.fromEntries(Object.entries(builds).sort(([a], [b]) => a.localeCompare(b))),
  };
  await writeFile(path.join(OUT, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await packJars();
