// Which file plays a video in a browser: its transcoded copy when the transcode step made one, else the original
// when it plays as it is (served as MP4 or WebM). A clip still to be transcoded, or whose transcoding failed, says so.
import { and, eq } from 'drizzle-orm';
import { UserError } from '../../base/errors.js';
import { photoSteps, type PhotoRow } from '../../db/schema.js';
import { browserPlayable } from '../../media/video/playable.js';
import { isVideoMime } from '../../model/video.js';
import { derivedVideoKey, motionKey } from '../../storage/keys.js';
import type { Library } from '../library.js';

export interface PlayableFile {
  key: string;
  contentType: string;
  /** Never: the same address serves the original or a transcoded copy, which a reprocess may change (ETags revalidate). */
  immutable: false;
}

/** A video's clip, or a motion photo's; a still has none (404). */
export async function playableVideo(lib: Library, photo: PhotoRow): Promise<PlayableFile> {
  const video = isVideoMime(photo.mime);
  if (!video && !photo.motion) throw new UserError('not-found', `photo ${photo.id} is a still photo, not a video or a motion photo: its file is at /original`);
  const transcoded = derivedVideoKey(photo.id);
  if (await lib.storage.at(photo.storageLocation).stat(transcoded)) return { key: transcoded, contentType: 'video/mp4', immutable: false };
  const info = video ? photo.video : photo.motion?.video;
  if (!info) throw new UserError('conflict', `the video of ${photo.id} is not probed yet (state: ${photo.state}): try again once it is analysed`);
  const playable = browserPlayable(info);
  if (playable.playable) return { key: video ? photo.storageKey : motionKey(photo.id, photo.motion!), contentType: playable.contentType, immutable: false };
  const [step] = await lib.db
    .select()
    .from(photoSteps)
    .where(and(eq(photoSteps.photoId, photo.id), eq(photoSteps.step, 'transcode')));
  const status = step?.status ?? 'pending';
  const why =
    status === 'failed' || status === 'skipped'
      ? `transcoding ${status === 'failed' ? 'failed' : 'was skipped'}: ${step?.error ?? 'no reason given'}`
      : 'it is being transcoded';
  // the step's error is ffmpeg's words (work files' names): a link's visitor is told only that it failed
  const said = (because: string) => `video ${photo.id} does not play in browsers as it is (${playable.reason}) and ${because}; its original is at /original`;
  throw new UserError('conflict', said(why), {
    publicMessage: said(status === 'failed' ? 'transcoding failed' : status === 'skipped' ? 'transcoding was skipped' : why),
  });
}
