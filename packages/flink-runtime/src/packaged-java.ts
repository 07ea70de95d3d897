/**
 * The Java tools (flink-host, jar-inspector, properties agent) as an installed package ships them: compiled at
 * pack time into `jars/` next to `dist/`, with a manifest naming each build's jar and the Maven Central
 * libraries it runs on (repository path, size, SHA-256). Installing one needs Java but no Maven: the libraries
 * come from the local Maven repository when it holds them, else over plain HTTPS from Maven Central (or
 * `$MSF_LOCAL_MAVEN_REPOSITORY`), and are verified against the manifest either way.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where a packed msf-flink-runtime keeps its prebuilt jars and their manifest. */
export const PACKAGED_JARS_DIR = fileURLToPath(new URL('../jars/', import.meta.url));

/** Default remote repository for the libraries: Maven Central. */
export const MAVEN_CENTRAL = 'https://repo1.maven.org/maven2';

export interface PackagedLibrary {
  /** Path inside a Maven repository, e.g. `org/apache/flink/flink-core/1.20.5/flink-core-1.20.5.jar`. */
  path: string;
  size: number;
  sha256: string;
}

export interface PackagedBuild {
  /** File name of the tool's jar in `jars/` (copied into the build directory under `outputName`). */
  jar: string;
  /** Name the jar has in a Maven build directory (e.g. `flink-host.jar`). */
  outputName: string;
  /** Libraries for the build's `lib/` directory. */
  libraries: PackagedLibrary[];
}

export interface PackagedManifest {
  /** What the jars were built from (java/ sources, Flink releases): lets a repeated pack skip the build. */
  sourceDigest?: string;
  /** Keyed by `<tool>` or `<tool>@<flink version>`, e.g. `flink-host@1.20.5`. */
  builds: Record<string, PackagedBuild>;
}

export const MANIFEST_FILE = 'manifest.json';

/** The packaged build named `name`, or undefined when this package holds no packaged jars (a clone). */
export function packagedBuild(name: string, jarsDir = PACKAGED_JARS_DIR): PackagedBuild | undefined {
  const file = path.join(jarsDir, MANIFEST_FILE);
  if (!existsSync(file)) return undefined;
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as PackagedManifest;
  const build = manifest.builds[name];
  if (!build) {
    throw new Error(
      `this msf-flink-runtime has no packaged build ${name} (it has: ${Object.keys(manifest.builds).join(', ')})`,
    );
  }
  return build;
}

export interface MaterializeOptions {
  jarsDir?: string;
  /** Remote Maven repository; default `$MSF_LOCAL_MAVEN_REPOSITORY`, else Maven Central. */
  repository?: string;
  /** Local Maven repository to take verified copies from; default `~/.m2/repository`. */
  localRepository?: string;
  log: (line: string) => void;
  label: string;
}

/**
 * Lays a packaged build out as the Maven build would: `<outDir>/<outputName>` and `<outDir>/lib/*.jar`.
 * Every library is checked against its SHA-256; a mismatch fails with the library's name and both digests.
 */
export async function materializePackagedBuild(
  build: PackagedBuild,
  outDir: string,
  options: MaterializeOptions,
): Promise<void> {
  const jarsDir = options.jarsDir ?? PACKAGED_JARS_DIR;
  const repository = (options.repository ?? process.env.MSF_LOCAL_MAVEN_REPOSITORY ?? MAVEN_CENTRAL).replace(
    /\/+$/,
    '',
  );
  const localRepository = options.localRepository ?? path.join(os.homedir(), '.m2', 'repository');
  await mkdir(path.join(outDir, 'lib'), { recursive: true });
  await copyFile(path.join(jarsDir, build.jar), path.join(outDir, build.outputName));
  let downloaded = 0;
  const queue = [...build.libraries];
  // Four downloads at a time: enough to fill a link, few enough to be polite to Maven Central.
  const worker = async (): Promise<void> => {
    for (let library = queue.shift(); library; library = queue.shift()) {
      const target = path.join(outDir, 'lib', path.basename(library.path));
      const local = path.join(localRepository, library.path);
      if (existsSync(local) && (await fileSha256(local)) === library.sha256) {
        await copyFile(local, target);
        continue;
      }
      await download(`${repository}/${library.path}`, target, library);
      downloaded += 1;
      options.log(
        `${options.label}: downloaded ${path.basename(library.path)} (${formatSize(library.size)}) [${downloaded}]`,
      );
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

async function download(url: string, target: string, library: PackagedLibrary): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(
      `cannot download ${url}: ${(error as Error).message} (set MSF_LOCAL_MAVEN_REPOSITORY to a mirror)`,
    );
  }
  if (!response.ok) throw new Error(`cannot download ${url}: HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== library.sha256) {
    throw new Error(
      `${url} has SHA-256 ${digest}, the package expects ${library.sha256}; not using it (a corrupted download or a wrong mirror)`,
    );
  }
  // Written beside the target and renamed, so an interrupted download never leaves a short jar behind.
  const partial = `${target}.partial`;
  try {
    await writeFile(partial, bytes);
    await rename(partial, target);
  } finally {
    await rm(partial, { force: true });
  }
}

function fileSha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;
}
