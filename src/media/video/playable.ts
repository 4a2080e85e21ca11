// Whether current browsers play a clip as it is, or it must be transcoded (H.264/AAC MP4) first. Pure.
import type { VideoInfo } from '../../model/video.js';

/** Above this a clip streams badly on a household's Wi-Fi and phones: transcoded even when its codecs play. */
export const MAX_PLAYABLE_BITS_PER_SECOND = 60_000_000;

const MP4_FAMILY = /^mov,mp4/; // ffprobe's "mov,mp4,m4a,3gp,3g2,mj2": MP4, MOV, M4V, 3GP
const WEBM = /^matroska,webm/;
/** Codecs every current browser decodes in an MP4 (HEVC is left out: Firefox and Chromium without hardware support do not). */
const MP4_VIDEO = new Set(['h264', 'av1', 'vp9']);
const MP4_AUDIO = new Set(['aac', 'mp3', 'opus', 'flac']);
const WEBM_VIDEO = new Set(['vp8', 'vp9', 'av1']);
const WEBM_AUDIO = new Set(['opus', 'vorbis']);

export type Playability = { playable: true; contentType: string } | { playable: false; reason: string };

export function browserPlayable(info: VideoInfo): Playability {
  if (info.bitRate !== null && info.bitRate > MAX_PLAYABLE_BITS_PER_SECOND) {
    return { playable: false, reason: `${Math.round(info.bitRate / 1e6)} Mbit/s is too much to stream` };
  }
  const audioOk = (codecs: Set<string>) => info.audioCodec === null || codecs.has(info.audioCodec);
  if (MP4_FAMILY.test(info.container)) {
    if (!MP4_VIDEO.has(info.videoCodec)) return { playable: false, reason: `${codecName(info.videoCodec)} video does not play in every browser` };
    if (!audioOk(MP4_AUDIO)) return { playable: false, reason: `${codecName(info.audioCodec!)} sound does not play in browsers` };
    // a MOV or 3GP with these codecs plays when its type says MP4 (the same ISO container)
    return { playable: true, contentType: 'video/mp4' };
  }
  if (WEBM.test(info.container) && WEBM_VIDEO.has(info.videoCodec) && audioOk(WEBM_AUDIO)) return { playable: true, contentType: 'video/webm' };
  return { playable: false, reason: `${containerName(info.container)} files do not play in browsers` };
}

const CODEC_NAMES: Record<string, string> = { hevc: 'HEVC (H.265)', prores: 'ProRes', mpeg4: 'MPEG-4 Part 2', mpeg2video: 'MPEG-2', pcm_s16le: 'PCM' };
const codecName = (codec: string) => CODEC_NAMES[codec] ?? codec;

function containerName(container: string): string {
  if (WEBM.test(container)) return 'Matroska';
  if (container === 'avi') return 'AVI';
  if (container === 'mpegts') return 'MPEG-TS (MTS)';
  return container;
}
