/**
 * The web app's built files, read once into memory (a few hundred kB) and served from there: only files that
 * were in the build directory at start can ever be answered, so no request path reaches the file system.
 * Hashed files under /assets/ are immutable; index.html is revalidated. Compressible files also keep a gzip copy.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Where `vite build` writes the web app (web/vite.config.ts). */
export const DEFAULT_ASSETS_DIR = fileURLToPath(new URL('../dist/web/', import.meta.url));

export interface Asset {
  body: Buffer;
  gzip?: Buffer;
  type: string;
  etag: string;
  immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);
const MAX_FILES = 500;

export class StaticAssets {
  private constructor(
    private readonly files: ReadonlyMap<string, Asset>,
    readonly dir: string,
  ) {}

  /** Loads every file under `dir`; an absent directory gives an empty set (the pages then answer 503). */
  static async load(dir: string = DEFAULT_ASSETS_DIR): Promise<StaticAssets> {
    const files = new Map<string, Asset>();
    let entries: string[];
    try {
      entries = await readdir(dir, { recursive: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new StaticAssets(files, dir);
      throw e;
    }
    for (const relative of entries.slice(0, MAX_FILES)) {
      const full = path.join(dir, relative);
      const ext = path.extname(relative).toLowerCase();
      const type = TYPES[ext];
      if (!type) continue; // directories, source maps and anything unexpected are not served
      const body = await readFile(full);
      const urlPath = '/' + relative.split(path.sep).join('/');
      files.set(urlPath, {
        body,
        type,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
        immutable: urlPath.startsWith('/assets/'),
        ...(COMPRESSIBLE.has(ext) && body.length > 1024 ? { gzip: gzipSync(body) } : {}),
      });
    }
    return new StaticAssets(files, dir);
  }

  get built(): boolean {
    return this.files.has('/index.html');
  }

  /** The file for a URL path, compared as is: no decoding, so `..`, `%2e` and the like simply match nothing. */
  get(urlPath: string): Asset | undefined {
    return this.files.get(urlPath);
  }

  get index(): Asset | undefined {
    return this.files.get('/index.html');
  }
}
