import { eq, sql } from 'drizzle-orm';
import { photos } from '../../db/schema.js';
import { decodePhoto, DEFAULT_SIZES, labelOf } from '../../media/decode.js';
import { decodeVideo, type DecodedVideo } from '../../media/video/decode-video.js';
import { VideoToolsMissingError } from '../../media/video/tools.js';
import { isVideoMime } from '../../model/video.js';
import { editedRenditions } from '../../media/edit-renditions.js';
import { activeEdit } from '../../model/photo-edit.js';
import type { PipelineStep } from '../step.js';
import { STORED_PIXELS } from './shared.js';
import { derivedKey } from '../../storage/keys.js';

/**
 * Decode check, true dimensions, thumbnail and preview from one decode (turned and cropped by the user's edit); the stored pixels it decoded on the way
 * are left for the hashes step of the same lane run (PDQ hashes them at full size). A video is probed and its
 * poster frame stands for it (media/video/); without ffmpeg its steps are skipped, with the reason.
 */
export const preprocessingStep: PipelineStep = {
  name: 'preprocessing',
  version: '1',
  async run({ photo, db, storage, original, shared, video: videoSettings, signal }) {
    const file = await original();
    if (isVideoMime(photo.mime)) {
      let video: DecodedVideo;
      try {
        video = await decodeVideo(file, labelOf(photo.filename, photo.mime), DEFAULT_SIZES, videoSettings, signal);
      } catch (error) {
        if (error instanceof VideoToolsMissingError) return { status: 'skipped', reason: error.message };
        throw error;
      }
      const { probe, stored, ...renditions } = video;
      const { durationMs, ...info } = probe;
      await storage.put(derivedKey(photo.id, 'thumbnail.webp'), renditions.thumbnail);
      await storage.put(derivedKey(photo.id, 'preview.jpg'), renditions.preview);
      await db
        .update(photos)
        .set({ width: renditions.width, height: renditions.height, durationMs, video: info, thumbnailAt: new Date(), updatedAt: new Date() })
        .where(eq(photos.id, photo.id));
      if (stored) shared.set(STORED_PIXELS, stored);
      return { status: 'done' };
    }
    const { stored, ...decoded } = await decodePhoto(file, photo.mime);
    // an edited photo: its renditions and size are the edited image's; the upright preview is kept for the editor
    const edit = activeEdit(photo.edit);
    const renditions = edit ? await editedRenditions({ file, mime: photo.mime, preview: decoded.preview, upright: decoded }, edit) : decoded;
    // the editor's base first: a failure after it never leaves the edited preview as the only one
    if (edit) await storage.put(derivedKey(photo.id, 'unedited-preview.jpg'), decoded.preview);
    await storage.put(derivedKey(photo.id, 'thumbnail.webp'), renditions.thumbnail);
    await storage.put(derivedKey(photo.id, 'preview.jpg'), renditions.preview);
    if (!edit) await storage.remove(derivedKey(photo.id, 'unedited-preview.jpg'));
    // the edit's base is the upright original as decoded here: an edit given before the first decode (an import of
    // an export) had none; set in the statement, so that an edit saved meanwhile keeps its turn and crop
    const base = { width: decoded.width, height: decoded.height };
    await db
      .update(photos)
      .set({
        width: renditions.width,
        height: renditions.height,
        ...(edit ? { edit: sql`case when ${photos.edit} is null then null else jsonb_set(${photos.edit}, '{base}', ${JSON.stringify(base)}::jsonb) end` } : {}),
        thumbnailAt: new Date(),
        updatedAt: new Date(),
      })
      .where(eq(photos.id, photo.id));
    if (stored) shared.set(STORED_PIXELS, stored);
    return { status: 'done' };
  },
};
