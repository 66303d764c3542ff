// The reader's own models in IndexedDB: one record per model trained (or tuned) in the page, with
// its three llama2.c files and what it was made from. Kept until the reader deletes it.
import type { ModelFiles } from '../../train/export.ts';

export interface StoredModelMeta {
  id: string;
  /** Shown in the status line and the model menu. */
  name: string;
  createdAt: string;
  /** What made it, in words (e.g. "pretrained on Shakespeare, 600 steps"). */
  recipe: string;
  nParams: number;
  /** Validation bits per character at the end, when known. */
  valBitsPerChar?: number;
  /** Stopped early or rescued from a failed run. */
  partial: boolean;
  bytes: number;
}

export interface StoredModel extends StoredModelMeta {
  files: ModelFiles;
}

const DB = 'llama-lab-models';
const STORE = 'models';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(
        new Error(
          'this browser gives the page no IndexedDB (private mode?): models cannot be kept',
        ),
      );
      return;
    }
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
  });
}

async function tx<T>(
  mode: IDBTransactionMode,
  run: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const req = run(t.objectStore(STORE));
      t.oncomplete = () => resolve(req.result);
      t.onerror = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
      t.onabort = () =>
        reject(t.error ?? new Error('IndexedDB refused the write (is the disk quota full?)'));
    });
  } finally {
    db.close();
  }
}

export async function putModel(m: StoredModel): Promise<void> {
  await tx('readwrite', (s) => s.put(m));
}

export async function getModel(id: string): Promise<StoredModel | undefined> {
  return tx('readonly', (s) => s.get(id) as IDBRequest<StoredModel | undefined>);
}

export async function deleteModel(id: string): Promise<void> {
  await tx('readwrite', (s) => s.delete(id));
}

/** Every stored model's description, newest first (the files stay in the database). */
export async function listModels(): Promise<StoredModelMeta[]> {
  const all = await tx('readonly', (s) => s.getAll() as IDBRequest<StoredModel[]>);
  return all
    .map(({ files: _files, ...meta }) => meta)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export function newModelId(): string {
  return `m-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}
