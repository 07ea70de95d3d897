/**
 * Start-up of the S3 store: reads every bucket back from disk and repairs what a crash (`kill -9` at any
 * point of a write) can leave: temp files, data files no metadata points at, metadata whose data file is gone,
 * uploads already completed into an object, part files no part record names.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isTempFileName, readJsonFile, removeStaleTempFiles } from '../../store/atomic-file.js';
import { safeSegment } from '../../store/safe-path.js';
import {
  metaPath,
  type BucketFile,
  type ObjectFile,
  type PartFile,
  type Trash,
  type UploadFile,
} from './disk-layout.js';
import { compareKeys, removeKey } from './key-order.js';
import type { BucketState, StoredObject, UploadState } from './model.js';

/** Every bucket under `bucketsDir`, repaired; the trash is emptied first. */
export async function loadBuckets(
  bucketsDir: string,
  trash: Trash,
  warn: (message: string) => void,
): Promise<Map<string, BucketState>> {
  const buckets = new Map<string, BucketState>();
  await fs.mkdir(bucketsDir, { recursive: true });
  await trash.empty();
  await removeStaleTempFiles(bucketsDir);
  for (const entry of await fs.readdir(bucketsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(bucketsDir, entry.name);
    const file = await readJsonFile<BucketFile>(path.join(dir, 'bucket.json'));
    if (!file) {
      warn(`removing ${dir}: no bucket.json`);
      await fs.rm(dir, { recursive: true, force: true });
      continue;
    }
    if (safeSegment(file.name) !== entry.name) {
      warn(`ignoring ${dir}: it holds bucket ${JSON.stringify(file.name)}`);
      continue;
    }
    const state: BucketState = {
      info: { name: file.name, region: file.region, creationDate: new Date(file.creationDate) },
      dir,
      objects: new Map(),
      sortedKeys: [],
      uploads: new Map(),
    };
    await loadObjects(state, warn);
    await loadUploads(state);
    buckets.set(file.name, state);
  }
  return buckets;
}

async function loadObjects(state: BucketState, warn: (message: string) => void): Promise<void> {
  const metaDir = path.join(state.dir, 'meta');
  const dataDir = path.join(state.dir, 'data');
  await fs.mkdir(metaDir, { recursive: true });
  await fs.mkdir(dataDir, { recursive: true });
  for (const shard of await fs.readdir(metaDir)) {
    const shardDir = path.join(metaDir, shard);
    for (const name of await fs.readdir(shardDir)) {
      const file = path.join(shardDir, name);
      if (isTempFileName(name)) {
        await fs.rm(file, { force: true });
        continue;
      }
      const stored = await readJsonFile<ObjectFile>(file);
      if (!stored) continue;
      const object: StoredObject = { ...stored.object, lastModified: new Date(stored.object.lastModified) };
      if (metaPath(state.dir, object.key) !== file) {
        warn(`ignoring ${file}: misplaced metadata for key ${JSON.stringify(object.key)}`);
        continue;
      }
      state.objects.set(object.key, object);
    }
  }
  state.sortedKeys = [...state.objects.keys()];
  state.sortedKeys.sort(compareKeys);
  // Collect data files no metadata points at (a crash between writing the bytes and committing).
  const referenced = new Set([...state.objects.values()].map((o) => o.dataFile));
  for (const name of await fs.readdir(dataDir)) {
    if (!referenced.has(name)) await fs.rm(path.join(dataDir, name), { force: true });
  }
  for (const object of state.objects.values()) {
    try {
      await fs.access(path.join(dataDir, object.dataFile));
    } catch {
      warn(`object ${JSON.stringify(object.key)} in ${state.info.name} lost its data file; dropping it`);
      state.objects.delete(object.key);
      removeKey(state.sortedKeys, object.key);
    }
  }
}

async function loadUploads(state: BucketState): Promise<void> {
  const uploadsDir = path.join(state.dir, 'uploads');
  await fs.mkdir(uploadsDir, { recursive: true });
  await removeStaleTempFiles(uploadsDir);
  const completed = new Set([...state.objects.values()].map((o) => o.completedUploadId).filter(Boolean));
  for (const uploadId of await fs.readdir(uploadsDir)) {
    const dir = path.join(uploadsDir, uploadId);
    const file = await readJsonFile<UploadFile>(path.join(dir, 'upload.json'));
    if (!file || completed.has(uploadId) || file.uploadId !== uploadId) {
      await fs.rm(dir, { recursive: true, force: true });
      continue;
    }
    const upload: UploadState = {
      uploadId,
      key: file.key,
      initiated: new Date(file.initiated),
      contentType: file.contentType,
      headers: file.headers,
      userMetadata: file.userMetadata,
      tags: file.tags,
      checksumAlgorithm: file.checksumAlgorithm,
      checksumType: file.checksumType,
      parts: new Map(),
    };
    await removeStaleTempFiles(dir);
    const names = await fs.readdir(dir);
    for (const name of names) {
      if (!/^part-\d+\.json$/.test(name)) continue;
      const partFile = await readJsonFile<PartFile>(path.join(dir, name));
      if (!partFile) continue;
      upload.parts.set(partFile.part.partNumber, {
        ...partFile.part,
        lastModified: new Date(partFile.part.lastModified),
      });
    }
    const referenced = new Set([...upload.parts.values()].map((p) => p.dataFile));
    for (const name of names) {
      if (name.endsWith('.part') && !referenced.has(name)) await fs.rm(path.join(dir, name), { force: true });
    }
    state.uploads.set(uploadId, upload);
  }
}
