import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { and, eq } from 'drizzle-orm';
import { mediaTypeOf, type MediaType } from '../../model/video.js';
import { photos, photoSteps, users } from '../../db/schema.js';
import { detectImageType } from '../../media/detect.js';
import { findSidecar, MAX_SIDECAR_BYTES } from '../../media/xmp-sidecar.js';
import type { ExistingCopy } from '../duplicates/upload-check.js';
import { UserError } from '../../base/errors.js';
import { archiveRefusal } from './archive-source.js';
import type { Library } from '../library.js';
import { originalKey, sidecarKey } from '../../storage/keys.js';
import { removeOriginalUnlessShared } from '../photos/originals.js';
import { admitPhoto, photoWithBytes, queuePhotos, type Admitted, type Arrival, type PhotoSource } from '../photos/door.js';
import { formatBytes } from '../../base/text.js';
import { QuotaReservation, RESERVE_WHILE_STREAMING_PAST } from '../quota/quota.js';
import { owns } from '../../scope/rows.js';

export interface IngestedPhoto {
  id: string;
  filename: string;
  /** The library had this photo already (same bytes, or a near-copy when asked to check): `id` is that photo. */
  duplicate: boolean;
  state: string;
  /** What arrived: a photo or a video (by its content). */
  type: MediaType;
  /** When refused as a near-copy: the existing photo, how it matched and where to see it. */
  existing?: ExistingCopy & { url: string; thumbnailUrl: string };
  /** Imports: why the sidecar beside the file was not taken (the photo was). */
  sidecarRefused?: string;
}

export interface IngestSource {
  filename: string;
  stream: Readable;
  /** Where it comes from (photo-door.ts): an upload, an imported file, a generated image. */
  source: Exclude<PhotoSource, { kind: 'in-place' }>;
  fileModifiedAt?: Date | null;
  /** Set when the stream stopped at the size limit (multipart truncates instead of failing). */
  wasTruncated?: () => boolean;
  /** Refuse the file when a near-copy is already in the library (PDQ or CLIP tier), instead of storing it. */
  checkDuplicate?: boolean;
}

/**
 * Counts and hashes bytes on their way to disk, and stops at the size limit; a large file reserves its bytes
 * against the owner's quota as they come (a 413 stops it before gigabytes are written).
 */
class HashingCounter extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  constructor(
    private readonly maxBytes: number,
    private readonly reservation: QuotaReservation | null,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void) {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return done(tooLarge(this.maxBytes));
    this.hash.update(chunk);
    const { reservation } = this;
    if (reservation && this.bytes > RESERVE_WHILE_STREAMING_PAST && this.bytes > reservation.reserved) {
      reservation.grow(this.bytes).then(() => done(null, chunk), done);
      return;
    }
    done(null, chunk);
  }
}

function tooLarge(maxBytes: number): UserError {
  return new UserError('too-large', `file is larger than the upload limit of ${formatBytes(maxBytes)}`);
}

/** Longest file name kept, in characters (file systems allow 255 bytes). */
const MAX_FILE_NAME = 255;

/**
 * The file name as the library keeps it: its last path segment, without control characters (a NUL, which the
 * database cannot hold, a newline, an escape), trimmed, at most 255 characters (the extension kept); `unnamed`
 * when nothing is left.
 */
export function cleanFileName(name: string | undefined | null): string {
  const base = path.basename(String(name ?? '').replace(/\\/g, '/'));
  let clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (clean.length > MAX_FILE_NAME) {
    const ext = path.extname(clean).slice(0, 16);
    clean = clean.slice(0, MAX_FILE_NAME - ext.length) + ext;
  }
  return clean === '' || clean === '.' || clean === '..' ? 'unnamed' : clean;
}

/**
 * Streams a file into the library: to a temp file while hashing, then checks the type, then either points at
 * the photo that has the same bytes or stores it content-addressed and makes its photo (photo-door.ts).
 * The caller queues new photos (after attaching any sidecar).
 */
export async function ingestStream(lib: Library, source: IngestSource): Promise<IngestedPhoto> {
  const filename = cleanFileName(source.filename);
  const maxBytes = lib.settings.maxUploadBytes;
  const owner = await ownerStorage(lib);
  // with a quota, the file's bytes are reserved before they are kept (quota.ts)
  const reservation = owner.quota === null ? null : new QuotaReservation(lib.db, lib.ownerId, filename);
  const temp = lib.scratch.tempPath();
  const counter = new HashingCounter(maxBytes, reservation);
  try {
    await pipeline(source.stream, counter, createWriteStream(temp));
    if (source.wasTruncated?.()) throw tooLarge(maxBytes);
    if (counter.bytes === 0) throw new UserError('unsupported-type', `${filename}: empty file (0 bytes), not an image`);
    const detected = await detectImageType(temp);
    if (detected.mime === 'application/zip') {
      // a Google Takeout or iCloud export dropped on Upload: say where it goes instead, with its source's command
      throw new UserError('unsupported-type', await archiveRefusal(filename, temp));
    }
    if (!detected.supported) {
      throw new UserError('unsupported-type', `${filename}: not a supported photo or video (detected ${detected.mime}: ${detected.description})`);
    }
    const sha256 = counter.hash.digest('hex');
    const existing = await photoWithBytes(lib, sha256);
    const type = mediaTypeOf(detected.mime);
    if (existing) return { id: existing.id, filename, duplicate: true, state: existing.state, type };
    await reservation?.settle(counter.bytes);
    if (source.checkDuplicate) {
      // Loaded when asked for: the check decodes and hashes (45 files of media/), which a plain upload never needs.
      const { findExistingCopy } = await import('../duplicates/upload-check.js');
      const copy = await findExistingCopy(lib, temp, detected.mime, filename);
      if (copy) {
        const [photo] = await lib.db.select({ state: photos.state }).from(photos).where(eq(photos.id, copy.photoId));
        const url = `/api/photos/${copy.photoId}`;
        return {
          id: copy.photoId,
          filename,
          duplicate: true,
          state: photo?.state ?? 'pending',
          type,
          existing: { ...copy, url, thumbnailUrl: `${url}/thumbnail` },
        };
      }
    }

    const storageKey = originalKey(sha256, detected.ext);
    const storageLocation = owner.location;
    await lib.storage.at(storageLocation).putFile(storageKey, temp, { move: true });
    const arrival = { sha256, filename, storageKey, storageLocation, mime: detected.mime, sizeBytes: counter.bytes };
    const admitted = await admitStored(lib, { ...arrival, fileModifiedAt: source.fileModifiedAt ?? null, source: source.source }, reservation);
    return { id: admitted.id, filename, duplicate: admitted.duplicate, state: admitted.state, type };
  } catch (error) {
    source.stream.resume(); // drain what is left so a multipart request can go on to its next file
    throw error;
  } finally {
    await reservation?.release();
    await fs.rm(temp, { force: true });
  }
}

interface OwnerStorage {
  /** Where their new photos go (an admin's choice; null: the main store). */
  location: string | null;
  /** Bytes of originals they may keep (an admin sets it; none by default). */
  quota: number | null;
}

async function ownerStorage(lib: Library): Promise<OwnerStorage> {
  const [owner] = await lib.db.select({ quota: users.quotaBytes, location: users.storageLocation }).from(users).where(eq(users.id, lib.ownerId));
  return { location: owner?.location ?? null, quota: owner?.quota ?? null };
}

/**
 * The stored original's photo, its quota reservation becoming the photo's bytes in the same transaction (or given
 * back when the same bytes won a race). An original stored for a row that could not be written goes again (unless
 * another photo has the same bytes): never a file without its row.
 */
async function admitStored(lib: Library, arrival: Arrival, reservation: QuotaReservation | null): Promise<Admitted> {
  try {
    const admitted = await admitPhoto(lib, arrival, { within: async (tx) => void (await reservation?.claim(tx)) });
    reservation?.claimed();
    return admitted;
  } catch (error) {
    await removeOriginalUnlessShared(lib, lib.storage.at(arrival.storageLocation), arrival.storageLocation, arrival.storageKey);
    throw error;
  }
}

/**
 * Gives a photo its sidecar: XMP, or a Google Takeout JSON one (media/takeout-json.ts). A photo that already has one
 * keeps it. When metadata was read already, the metadata step runs again so the sidecar's values apply.
 */
export async function attachSidecar(lib: Library, photoId: string, sidecarFile: string, format: 'xmp' | 'json' = 'xmp'): Promise<boolean> {
  const [photo] = await lib.db
    .select({ sidecarKey: photos.sidecarKey, storageLocation: photos.storageLocation })
    .from(photos)
    .where(and(eq(photos.id, photoId), owns(lib, photos)));
  if (!photo || photo.sidecarKey) return false;
  const key = sidecarKey(photoId, format);
  await lib.storage.at(photo.storageLocation).putFile(key, sidecarFile);
  await lib.db.update(photos).set({ sidecarKey: key, state: 'pending' }).where(eq(photos.id, photoId));
  await lib.db
    .update(photoSteps)
    .set({ status: 'pending', error: null })
    .where(and(eq(photoSteps.photoId, photoId), eq(photoSteps.step, 'metadata')));
  return true;
}

/** Imports one file from disk, with the sidecar beside it if there is one. Queues the photo when new. */
export async function ingestFile(lib: Library, file: string): Promise<IngestedPhoto> {
  const stat = await fs.stat(file);
  if (stat.size > lib.settings.maxUploadBytes) throw tooLarge(lib.settings.maxUploadBytes);
  const result = await ingestStream(lib, {
    filename: path.basename(file),
    stream: createReadStream(file),
    source: { kind: 'import', sourcePath: path.resolve(file) },
    fileModifiedAt: stat.mtime,
  });
  const sidecar = await findSidecar(file);
  const sidecarSize = sidecar ? (await fs.stat(sidecar)).size : 0;
  const attached = sidecar && sidecarSize <= MAX_SIDECAR_BYTES ? await attachSidecar(lib, result.id, sidecar) : false;
  if (!result.duplicate || attached) await queuePhotos(lib, [result.id]);
  if (sidecar && sidecarSize > MAX_SIDECAR_BYTES) {
    return { ...result, sidecarRefused: `${path.basename(sidecar)}: XMP sidecar is larger than ${MAX_SIDECAR_BYTES / 1024 / 1024} MB, not read` };
  }
  return result;
}
