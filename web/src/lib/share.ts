// The system's share sheet (navigator.share): a photo's file itself where the browser can hand files to other
// apps, a link otherwise. Files come from Shoebox's own API with the user's session (same origin, its cookie).
import { photoUrls } from '../api.js';
import { errorText, isAbort } from './errors.js';

/** At most this many files, and bytes in all, go to the share sheet at once: they are held in memory first. */
export const MAX_SHARED_FILES = 20;
export const MAX_SHARED_BYTES = 100_000_000;
const TOO_MANY_BYTES = 'These files are over 100 MB together, more than the share sheet takes at once; share a link instead.';

/**
 * Types that other apps open (and Chromium's share sheet takes), shared as they are. Anything else — HEIC, RAW,
 * TIFF, JPEG XL — and an edited photo (its original is unedited) share as the display JPEG Shoebox made of it.
 */
const AS_THEY_ARE = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif', 'video/mp4', 'video/webm']);

export interface SharedPhoto {
  id: string;
  filename: string;
  mime: string;
  /** Rotated or cropped in Shoebox. */
  edited?: boolean;
}

/** Whether this browser has a share sheet at all (phones; some desktops). */
export function hasShareSheet(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.share === 'function';
}

/** Where a photo's shared file comes from, and its name and type there. */
export function sharedSource(photo: SharedPhoto): { url: string; name: string; type: string } {
  if (AS_THEY_ARE.has(photo.mime) && !photo.edited) return { url: photoUrls.original(photo.id), name: photo.filename, type: photo.mime };
  const stem = photo.filename.replace(/\.[^./]+$/, '') || 'photo';
  return { url: photoUrls.preview(photo.id), name: `${stem}.jpg`, type: 'image/jpeg' };
}

/** The photos' files, one after another, refused once they would pass MAX_SHARED_BYTES. */
export async function fetchSharedFiles(photos: readonly SharedPhoto[]): Promise<File[]> {
  if (photos.length > MAX_SHARED_FILES) throw new Error(`At most ${MAX_SHARED_FILES} files go to the share sheet at once; share a link instead.`);
  const files: File[] = [];
  let bytes = 0;
  for (const photo of photos) {
    const source = sharedSource(photo);
    const response = await fetch(source.url);
    if (!response.ok) throw new Error(`${photo.filename} could not be fetched to share (${response.status}).`);
    // the size said up front refuses a large video before its bytes come (over a phone's data, into memory)
    const said = Number(response.headers.get('content-length'));
    if (said > 0 && bytes + said > MAX_SHARED_BYTES) {
      void response.body?.cancel();
      throw new Error(TOO_MANY_BYTES);
    }
    const blob = await response.blob();
    bytes += blob.size;
    if (bytes > MAX_SHARED_BYTES) throw new Error(TOO_MANY_BYTES);
    files.push(new File([blob], source.name, { type: source.type }));
  }
  return files;
}

/** Whether the browser would hand these files to the share sheet (some take no video, none HEIC). */
export function canShareFiles(files: File[]): boolean {
  return typeof navigator.canShare === 'function' && navigator.canShare({ files });
}

/**
 * Opens the share sheet. Resolves false when the user closed it without sharing (AbortError: said nowhere);
 * any other failure throws an Error saying why.
 */
export async function openShareSheet(data: ShareData): Promise<boolean> {
  try {
    await navigator.share(data);
    return true;
  } catch (failure) {
    if (isAbort(failure)) return false;
    if (failure instanceof DOMException && failure.name === 'NotAllowedError') {
      throw new Error('The browser did not let this open the share sheet (the file took too long to fetch, or sharing is blocked here): tap Share again.');
    }
    if (failure instanceof DOMException && failure.name === 'DataError') throw new Error('The browser cannot share this kind of file.');
    throw new Error(`Could not share: ${errorText(failure)}`);
  }
}
