// Several storage locations: the main store (the data folder or SHOEBOX_STORAGE) and named ones an admin gives
// users (settings' storageLocations: a bucket or prefix of their own, or a folder on another disk). A photo's row
// names where its files are (`photos.storage_location`, null: the main store), fixed when it is added, so that
// giving a user another location later never loses sight of what they have.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { StorageLocationSettings, StorageSettings } from '../config/settings.js';
import { envName } from '../config/storage-locations-env.js';
import { StorageUnavailableError, type BlobStore } from './blob-store.js';
import { LocalBlobStore } from './local.js';
import { openBlobStore } from './open.js';
import { Scratch } from './scratch.js';
import { isInPlaceKey, withInPlaceFiles, type InPlaceGuard } from './in-place.js';

/** A row names a location this process's settings do not: the admin has to add it (like the other servers). */
export class MissingStorageLocationError extends StorageUnavailableError {
  constructor(readonly location: string) {
    super(
      `storage location ${location} is not set up on this server: add it to SHOEBOX_STORAGE_LOCATIONS with SHOEBOX_STORAGE_${envName(location)} (as on the servers that wrote it)`,
    );
    this.name = 'MissingStorageLocationError';
  }
}

export interface LocationInfo {
  /** null: the main store. */
  name: string | null;
  kind: 'local' | 's3';
  /** `s3://bucket/prefix` or the folder: what an admin needs to recognise it, never a key or a secret. */
  address: string;
}

interface LocationDetails {
  address: string;
  presignSeconds: number;
}

export class StorageLocations {
  private constructor(
    readonly main: BlobStore,
    private readonly named: ReadonlyMap<string, BlobStore>,
    private readonly details: ReadonlyMap<string | null, LocationDetails>,
    /** Every location is the main store (a backup's folder holds them all). */
    private readonly flat = false,
  ) {}

  static of(main: BlobStore, named: ReadonlyMap<string, BlobStore>, details: ReadonlyMap<string | null, LocationDetails>): StorageLocations {
    return new StorageLocations(main, named, details);
  }

  /** The main store alone: no named locations. */
  static only(main: BlobStore, details: LocationDetails = { address: 'the data folder', presignSeconds: 0 }): StorageLocations {
    return new StorageLocations(main, new Map(), new Map([[null, details]]));
  }

  /** One store standing for every location: a backup's folder, where the files of all locations lie together. */
  static flattened(store: BlobStore): StorageLocations {
    return new StorageLocations(store, new Map(), new Map([[null, { address: 'the backup', presignSeconds: 0 }]]), true);
  }

  private readonly readingInPlace = new Map<BlobStore, BlobStore>();
  private inPlaceGuard: InPlaceGuard | null = null;

  /**
   * How files of libraries in place are checked before they are read (storage/in-place.ts): set by the process
   * that opens the library. Until then none is read.
   */
  guardInPlace(guard: InPlaceGuard): void {
    this.inPlaceGuard = guard;
  }

  /**
   * The store of a location; null or undefined: the main store. It also reads the files of libraries in place
   * (absolute keys, storage/in-place.ts), which it never writes.
   */
  at(location: string | null | undefined): BlobStore {
    const store = location == null || this.flat ? this.main : this.named.get(location);
    if (!store) throw new MissingStorageLocationError(location!);
    let wrapped = this.readingInPlace.get(store);
    if (!wrapped) this.readingInPlace.set(store, (wrapped = withInPlaceFiles(store, () => this.inPlaceGuard)));
    return wrapped;
  }

  has(location: string | null): boolean {
    return location === null || this.flat || this.named.has(location);
  }

  /** The named locations, sorted. */
  get names(): string[] {
    return [...this.named.keys()].sort();
  }

  describe(): LocationInfo[] {
    return [null, ...this.names].map((name) => ({ name, kind: this.at(name).kind, address: this.details.get(name)?.address ?? '' }));
  }

  /** Seconds a presigned link to an original of the location lasts; 0: originals are streamed through the server. */
  presignSeconds(location: string | null, key?: string): number {
    if (key !== undefined && isInPlaceKey(key)) return 0;
    return this.at(location).presignedUrl ? (this.details.get(this.flat ? null : location)?.presignSeconds ?? 0) : 0;
  }

  /** The same named stores around another main store: a migration's target, which shares them with its source. */
  withMain(main: BlobStore, details: LocationDetails): StorageLocations {
    return new StorageLocations(main, this.named, new Map([...this.details, [null, details]]), this.flat);
  }

  async close(): Promise<void> {
    for (const store of new Set([this.main, ...this.named.values()])) await store.close();
  }
}

/**
 * Opens the main store and every named location, each checked now (a bucket that does not answer, a folder that
 * is not there), so that a wrong setting stops the start instead of failing photos one by one.
 */
export async function openStorageLocations(
  settings: { storage: StorageSettings; storageLocations: Record<string, StorageLocationSettings> },
  dataDir: string,
  scratch: Scratch,
  cacheRoot: string = path.join(dataDir, 'cache'),
): Promise<StorageLocations> {
  const main = await openBlobStore(settings.storage, dataDir, scratch, cacheRoot);
  const named = new Map<string, BlobStore>();
  const details = new Map<string | null, LocationDetails>([
    [null, { address: settings.storage.url ?? dataDir, presignSeconds: settings.storage.presignSeconds }],
  ]);
  try {
    for (const [name, location] of Object.entries(settings.storageLocations)) {
      named.set(name, await openLocation(name, location, dataDir, scratch, path.join(cacheRoot, `@${name}`)));
      details.set(name, { address: location.url, presignSeconds: location.presignSeconds });
    }
  } catch (error) {
    for (const store of [main, ...named.values()]) await store.close().catch(() => undefined);
    throw error;
  }
  return StorageLocations.of(main, named, details);
}

async function openLocation(name: string, location: StorageLocationSettings, dataDir: string, scratch: Scratch, cacheRoot: string): Promise<BlobStore> {
  if (location.url.startsWith('s3://')) {
    try {
      return await openBlobStore(location, dataDir, scratch, cacheRoot);
    } catch (error) {
      throw new Error(`storage location ${name}: ${(error as Error).message}`);
    }
  }
  const folder = path.resolve(location.url);
  // never made here: a disk that is not mounted must not turn into a folder on the system disk
  const stat = await fs.stat(folder).catch(() => null);
  if (!stat?.isDirectory()) throw new Error(`storage location ${name}: ${folder} is not a folder (mount the disk, or make the folder)`);
  try {
    await fs.access(folder, fs.constants.W_OK);
  } catch {
    throw new Error(`storage location ${name}: ${folder} is not writable by this process`);
  }
  const own = new Scratch(path.join(folder, 'tmp'));
  await own.sweep({ alone: false }); // other processes may write to the location: only what gone ones left
  return new LocalBlobStore(folder, own);
}

/**
 * A store found when first used: a photo's steps meet a location this server lacks as a failure of the step that
 * needed it (with its reason, tried again later: MissingStorageLocationError is a StorageUnavailableError), not
 * as a job that fails before any step could say why.
 */
export function deferredStore(find: () => BlobStore): BlobStore {
  let found: BlobStore | null = null;
  const store = () => (found ??= find());
  return {
    get kind() {
      return store().kind;
    },
    put: (key, data) => store().put(key, data),
    putFile: (key, file, options) => store().putFile(key, file, options),
    get: (key, range) => store().get(key, range),
    stat: (key) => store().stat(key),
    remove: (key) => store().remove(key),
    removePrefix: (prefix) => store().removePrefix(prefix),
    localFile: (key) => store().localFile(key),
    presignedUrl: (key, options) => {
      const presign = store().presignedUrl;
      if (!presign) throw new Error('this store gives no presigned links');
      return presign.call(store(), key, options);
    },
    close: async () => undefined, // the locations' own stores are closed with them
  };
}
