// Which file plays a video in a browser: its transcoded copy when the transcode step made one, else the original
// when it plays as it is (served as MP4 or WebM). A clip still to be transcoded, or whose transcoding failed, says so.
import { and, eq } from 'drizzle-orm';
import { UserError } from '../base/errors.js';
import { photoSteps, type PhotoRow } from '../db/schema.js';
import { browserPlayable } from '../media/video/playable.js';
import { isVideoMime } from '../model/video.js';
import { derivedVideoKey } from '../storage/keys.js';
import type { Library } from './library.js';

export interface PlayableFile {
  key: string;
  contentType: string;
  /** The original (content-addressed, never changes); a transcoded copy is made again by a reprocess. */
  immutable: boolean;
}

export async function playableVideo(lib: Library, photo: PhotoRow): Promise<PlayableFile> {
  if (!isVideoMime(photo.mime)) throw new UserError('not-found', `photo ${photo.id} is a photo, not a video: its file is at /original`);
  const transcoded = derivedVideoKey(photo.id);
  if (await lib.storage.at(photo.storageLocation).stat(transcoded)) return { key: transcoded, contentType: 'video/mp4', immutable: false };
  if (!photo.video) throw new UserError('conflict', `video ${photo.id} is not probed yet (state: ${photo.state}): try again once its preprocessing is done`);
  const playable = browserPlayable(photo.video);
  if (playable.playable) return { key: photo.storageKey, contentType: playable.contentType, immutable: true };
  const [step] = await lib.db.select().from(photoSteps).where(and(eq(photoSteps.photoId, photo.id), eq(photoSteps.step, 'transcode')));
  const status = step?.status ?? 'pending';
  const why =
    status === 'failed' || status === 'skipped' ? `transcoding ${status === 'failed' ? 'failed' : 'was skipped'}: ${step?.error ?? 'no reason given'}` : 'it is being transcoded';
  throw new UserError('conflict', `video ${photo.id} does not play in browsers as it is (${playable.reason}) and ${why}; its original is at /original`);
}
