import type { Readable } from 'node:stream';

export interface BlobStat {
  size: number;
  modifiedAt: Date;
}

/** Bytes `start` to `end`, both included (as HTTP ranges count). */
export interface ByteRange {
  start: number;
  end: number;
}

/** A local file with a blob's bytes, for a tool that needs a path; released when the tool is done. */
export interface LocalFile {
  path: string;
  release(): Promise<void>;
}

/**
 * Where originals, sidecars and derived files are kept, by key (storage/keys.ts). The library and the pipeline
 * see only this: no file path leaves `storage/` except a LocalFile lent to a tool. One contract test runs against
 * every implementation (test/integration/blob-store-contract.test.ts).
 */
export interface BlobStore {
  readonly kind: 'local' | 's3';
  /** Stores bytes under a key, replacing what was there; readers never see half of it. */
  put(key: string, data: Buffer): Promise<void>;
  /** Stores a local file under a key, streamed (never whole in memory); `move` lets the store take the file itself. */
  putFile(key: string, file: string, options?: { move?: boolean }): Promise<void>;
  /** The blob's bytes, or a range of them, as a stream. Throws BlobNotFoundError when there is no such key. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Size and time of the blob, or null when there is none. */
  stat(key: string): Promise<BlobStat | null>;
  /** Removes a blob; nothing when there is none. */
  remove(key: string): Promise<void>;
  /** Removes every blob under a prefix (a photo's derived files), even while another process writes there. */
  removePrefix(prefix: string): Promise<void>;
  /** A local file with the blob's bytes (the file itself where the store is a local folder). */
  localFile(key: string): Promise<LocalFile>;
  /** A time-limited link a browser can fetch the blob from directly, where the store can give one. */
  presignedUrl?(key: string, options: PresignOptions): Promise<string>;
  /** Lets go of connections and local copies. */
  close(): Promise<void>;
}

export interface PresignOptions {
  expiresInSeconds: number;
  contentType: string;
  /** The Content-Disposition header the store answers with (file name, inline or attachment). */
  contentDisposition?: string;
}

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`no such file in storage: ${key}`);
    this.name = 'BlobNotFoundError';
  }
}

/**
 * The store could not be reached or answered with a server error: the operation may work later. A pipeline step
 * failing with it is tried again (pipeline/retry.ts); an API request gets a 503.
 */
export class StorageUnavailableError extends Error {
  readonly transient = true;
  /** What anyone outside the library is told (the message may name the store's address: base/errors.ts). */
  readonly publicMessage = 'the photo storage does not answer now: try again in a moment';
  constructor(message: string) {
    super(message);
    this.name = 'StorageUnavailableError';
  }
}

/** A blob's whole bytes: for small ones only (sidecars, face crops). */
export async function readBlob(store: BlobStore, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.get(key)) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
