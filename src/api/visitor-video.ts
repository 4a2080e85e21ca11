// A video as a share-link visitor plays it: the transcoded copy (made without metadata) as it is; a clip served as
// it is stored (an iPhone's H.264 MP4, a motion photo's MP4) through the visitor's copy (./visitor-copy.ts: its first
// video and audio streams only, no metadata, made once and kept, as a player asks for many byte ranges), unless the
// link keeps metadata.
import type { FastifyReply } from 'fastify';
import type { PhotoRow } from '../db/schema.js';
import type { Library } from '../library/library.js';
import { playableVideo } from '../library/photos/index.js';
import { derivedVideoKey } from '../storage/keys.js';
import { sendStored } from './photos.js';
import { countVisitorRequest, visitorCopy, type Visitor } from './visitor-copy.js';

export async function sendVisitorVideo(reply: FastifyReply, lib: Library, visitor: Visitor & { keepMetadata: boolean }, photo: PhotoRow) {
  countVisitorRequest(reply, visitor);
  const clip = await playableVideo(lib, photo);
  if (clip.key === derivedVideoKey(photo.id) || visitor.keepMetadata) {
    return sendStored(reply, lib, photo.storageLocation, clip.key, clip.contentType, photo.sha256, { immutable: false });
  }
  const key = await visitorCopy(lib, reply, visitor, {
    photoId: photo.id,
    sha256: photo.sha256,
    storageLocation: photo.storageLocation,
    key: clip.key,
    mime: clip.contentType,
  });
  return sendStored(reply, lib, photo.storageLocation, key, clip.contentType, photo.sha256, { immutable: false });
}
