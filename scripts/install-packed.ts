/**
 * Installs the repository's packages as a user would get them: `npm pack` of every workspace (which runs their
 * prepack: compiled dist/, the Java tools' jars), then `npm install` of the tarballs into an empty directory.
 * Used by the installed-packages test and bench/startup. Nothing of the clone is on the returned PATH: only the
 * install's node_modules/.bin and a directory holding `node` and `java`.
 */
import { execFile } from 'node:child_process';
import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

export interface InstalledPackages {
  /** The directory the tarballs were installed into (its node_modules holds msfctl, msf-local, ...). */
  dir: string;
  /** The packed tarballs. */
  tarballs: string[];
  /** An environment with only the installed bins, node and java on PATH, and no NODE_OPTIONS. */
  env: NodeJS.ProcessEnv;
}

/** Packs every workspace into `<dir>/tarballs` and installs them into `<dir>/app` (npm, from its cache first). */
export async function installPacked(dir: string): Promise<InstalledPackages> {
  const tarballs = path.join(dir, 'tarballs');
  await mkdir(tarballs, { recursive: true });
  const { stdout } = await run('npm', ['pack', '--workspaces', '--json', '--pack-destination', tarballs], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  const files = (JSON.parse(stdout) as { filename: string }[]).map((p) => path.join(tarballs, p.filename));

  const app = path.join(dir, 'app');
  await mkdir(app, { recursive: true });
  await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'installed', private: true }));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...files], {
    cwd: app,
    env: withoutRepoSettings(process.env),
    maxBuffer: 64 * 1024 * 1024,
  });

  const tools = path.join(dir, 'tools');
  await mkdir(tools, { recursive: true });
  await symlink(process.execPath, path.join(tools, 'node'));
  const { stdout: java } = await run('sh', ['-c', 'command -v java']);
  await symlink(await realpath(java.trim()), path.join(tools, 'java'));
  const env = withoutRepoSettings(process.env);
  env.PATH = [path.join(app, 'node_modules', '.bin'), tools].join(path.delimiter);
  return { dir: app, tarballs: files, env };
}

/** The environment minus what this repository's npm settings add (.npmrc: resolve packages to their sources). */
function withoutRepoSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean = { ...env };
  delete clean.NODE_OPTIONS;
  for (const key of Object.keys(clean)) if (key.toLowerCase().startsWith('npm_')) delete clean[key];
  return clean;
}
