// Videos beside photos: which items are videos (by their detected type) and what a probe says about a clip.

import type { StepName } from './photo-state.js';

/** An item's kind, as the API names it (`type`); it follows from the detected MIME type. */
export const MEDIA_TYPES = ['photo', 'video'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

export const isVideoMime = (mime: string): boolean => mime.startsWith('video/');

export const mediaTypeOf = (mime: string): MediaType => (isVideoMime(mime) ? 'video' : 'photo');

/**
 * Steps only a clip has work for: a photo's are skipped from the start, with this reason (a motion photo's
 * metadata step opens them again once it found the video inside).
 */
export const VIDEO_ONLY_STEPS: readonly StepName[] = ['transcode'];
export const NOT_A_VIDEO = 'no video to make playable';

/** Whether the step has work for the item: a video-only step only for a video, or a photo whose motion was found. */
export function stepApplies(step: StepName, item: { mime: string; hasMotion: boolean }): boolean {
  return !VIDEO_ONLY_STEPS.includes(step) || isVideoMime(item.mime) || item.hasMotion;
}

/** A step's row as an item arrives (its motion not looked for yet): pending, or skipped when it has nothing to do. */
export function arrivingStep(step: StepName, mime: string): { status: 'pending' } | { status: 'skipped'; error: string } {
  return stepApplies(step, { mime, hasMotion: false }) ? { status: 'pending' } : { status: 'skipped', error: NOT_A_VIDEO };
}

/** Which encoder makes playable copies (settings.video.hwaccel): the CPU's libx264, or a GPU's. */
export const HWACCELS = ['off', 'nvenc', 'vaapi', 'qsv'] as const;
export type Hwaccel = (typeof HWACCELS)[number];

/** A motion photo's short video (photos.motion): where it came from, its size and, once probed, its streams. */
export type MotionInfo = EmbeddedMotion | LiveMotion;

interface MotionCommon {
  bytes: number;
  durationMs?: number | null;
  video?: VideoInfo;
}

/** An MP4 inside the still's own file (Samsung, Google), kept as a derived file. */
export interface EmbeddedMotion extends MotionCommon {
  source: 'embedded';
}

/**
 * An Apple Live Photo's MOV: a file of its own that arrived beside the still (same ContentIdentifier) and became part
 * of it (library/live-photos/live-photos.ts). Kept where it was stored, in the still's storage location, under its own key.
 */
export interface LiveMotion extends MotionCommon {
  source: 'live';
  sha256: string;
  key: string;
  filename: string;
  mime: string;
  /** Where it was imported from, or its path in a library in place; null for an upload. */
  sourcePath: string | null;
  /** The id the clip had as an item of its own: an import waiting on it learns that it joined its still. */
  clipId?: string;
}

/** A clip's streams, as kept on its row (photos.video). */
export interface VideoInfo {
  /** Container as ffprobe names it ("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "mpegts"…). */
  container: string;
  /** Coded size of the first video stream (before rotation). */
  width: number;
  height: number;
  /** Clockwise degrees the player turns it (a phone held upright records 90). */
  rotation: 0 | 90 | 180 | 270;
  /** Frames per second (the stream's average, else its base rate). */
  fps: number | null;
  videoCodec: string;
  audioCodec: string | null;
  bitRate: number | null;
}
