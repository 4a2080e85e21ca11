// A video as a share-link visitor plays it: the transcoded copy (made without metadata) as it is; a clip served as
// it is stored (an iPhone's H.264 MP4, a motion photo's MP4) without where it was taken or with which camera body,
// unless the link keeps them. That copy is made once (ExifTool, like a visitor's download: ./visitor-original.ts)
// and kept beside the photo's renditions, because a player asks for many byte ranges, each a request of its own.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyReply } from 'fastify';
import { UserError } from '../base/errors.js';
import type { PhotoRow } from '../db/schema.js';
import type { Library } from '../library/library.js';
import { playableVideo } from '../library/video-stream.js';
import { stripPrivateMetadata } from '../media/strip-metadata.js';
import { derivedPrefix, derivedVideoKey } from '../storage/keys.js';
import { sendStored } from './photos.js';
import { enterStripSlot } from './visitor-original.js';

/** Part of the copy's name: a change to what is removed makes new copies. */
const STRIP_RULES_VERSION = 1;

/** Copies being made, by key: the player's first requests all wait for the one copy. */
const making = new Map<string, Promise<void>>();

/** The visitor's copy of a clip served as it is stored, named by what it is a copy of. */
export function visitorClipKey(photoId: string, sourceKey: string, contentType: string): string {
  const digest = createHash('sha256').update(`${sourceKey}\n${STRIP_RULES_VERSION}`).digest('hex').slice(0, 16);
  return path.posix.join(derivedPrefix(photoId), `visitor-${digest}.${contentType === 'video/webm' ? 'webm' : 'mp4'}`);
}

export async function sendVisitorVideo(reply: FastifyReply, lib: Library, link: { linkId: string; keepMetadata: boolean }, photo: PhotoRow) {
  const clip = await playableVideo(lib, photo);
  if (clip.key === derivedVideoKey(photo.id) || link.keepMetadata) {
    return sendStored(reply, lib, photo.storageLocation, clip.key, clip.contentType, photo.sha256, { immutable: false });
  }
  const key = visitorClipKey(photo.id, clip.key, clip.contentType);
  const store = lib.storage.at(photo.storageLocation);
  if (!(await store.stat(key))) {
    let made = making.get(key);
    if (!made) {
      made = makeCopy(lib, reply, link.linkId, photo, clip.key, key).finally(() => making.delete(key));
      making.set(key, made);
    }
    await made;
  }
  return sendStored(reply, lib, photo.storageLocation, key, clip.contentType, photo.sha256, { immutable: false });
}

async function makeCopy(lib: Library, reply: FastifyReply, linkId: string, photo: PhotoRow, sourceKey: string, key: string): Promise<void> {
  const store = lib.storage.at(photo.storageLocation);
  const release = await enterStripSlot(reply, linkId);
  const temp = lib.scratch.tempPath(path.extname(key));
  try {
    await pipeline(await store.get(sourceKey), createWriteStream(temp, { flags: 'wx' }));
    const result = await stripPrivateMetadata(temp, { raw: false });
    if (!result.stripped) {
      reply.log.warn({ left: result.left, reason: result.reason, mime: photo.mime }, 'visitor video not stripped: refused');
      throw new UserError(
        'forbidden',
        `this video's location or camera serial number could not be removed (${result.left.slice(0, 3).join(', ')}), ` +
          'so it is not played here; its owner can let the link keep them',
      );
    }
    await store.putFile(key, temp, { move: true });
  } finally {
    release();
    await Promise.all([fs.rm(temp, { force: true }), fs.rm(`${temp}_exiftool_tmp`, { force: true })]);
  }
}
