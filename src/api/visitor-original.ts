// The original a share-link visitor downloads: the stored file when the link keeps its metadata, else the visitor's
// copy (./visitor-copy.ts: made once, kept, every range served from it). The stored file, or a file in place, is
// only read.
import type { FastifyReply } from 'fastify';
import type { Library } from '../library/library.js';
import { sendStored } from './photos.js';
import { countVisitorRequest, visitorCopy, type Visitor } from './visitor-copy.js';

export interface VisitorOriginal {
  id: string;
  storageLocation: string | null;
  storageKey: string;
  mime: string;
  sha256: string;
  filename: string;
}

/** Sends the original to a link's visitor: ETag, conditional requests and one byte range, like any original. */
export async function sendVisitorOriginal(reply: FastifyReply, lib: Library, visitor: Visitor & { keepMetadata: boolean }, photo: VisitorOriginal) {
  countVisitorRequest(reply, visitor);
  const download = { filename: photo.filename, disposition: 'attachment' as const };
  if (visitor.keepMetadata) return sendStored(reply, lib, photo.storageLocation, photo.storageKey, photo.mime, photo.sha256, { immutable: true, ...download });
  const key = await visitorCopy(lib, reply, visitor, {
    photoId: photo.id,
    sha256: photo.sha256,
    storageLocation: photo.storageLocation,
    key: photo.storageKey,
    mime: photo.mime,
  });
  // revalidated (its ETag is the copy's): a new original or new rules make another copy
  return sendStored(reply, lib, photo.storageLocation, key, photo.mime, photo.sha256, { immutable: false, ...download });
}
