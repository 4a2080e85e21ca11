// What a clip is, from ffprobe: its streams, size as displayed, rotation, duration, frame rate and codecs. A file
// with no video stream (audio only) or with sizes no camera writes is refused here, before any frame is decoded.
import { ImageDecodeError, LIMIT_INPUT_PIXELS } from '../decoders/common.js';
import type { VideoInfo } from '../../model/video.js';
import { requireVideoTools, runVideoTool, type VideoToolSettings } from './tools.js';

export interface VideoProbe extends VideoInfo {
  durationMs: number | null;
}

/** Longest clip taken: 24 h (a dashcam's day); beyond it the file is not a camera's. */
const MAX_DURATION_MS = 24 * 3600 * 1000;
const PROBE_TIMEOUT_MS = 30_000;
const PROBE_MEMORY_BYTES = 512 * 1024 * 1024;

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
  disposition?: { attached_pic?: number };
}

/** Probes a clip; ImageDecodeError (the file itself is unusable) with ffprobe's words when it is not one. */
export async function probeVideo(file: string, label: string, settings?: VideoToolSettings, signal?: AbortSignal): Promise<VideoProbe> {
  const tools = await requireVideoTools(settings);
  let output: string;
  try {
    const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file];
    output = (await runVideoTool(tools, 'ffprobe', args, { file, timeoutMs: PROBE_TIMEOUT_MS, memoryBytes: PROBE_MEMORY_BYTES, signal })).stdout;
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ImageDecodeError(`${label}: not a readable video (${(error as Error).message})`);
  }
  return parseProbe(output, label);
}

/**
 * How many frames the clip's video really has: what its container counts (MP4, MOV: the sample table, read at once)
 * where that count covers its length, else its packets counted (Matroska, MPEG-TS: the whole file read, nothing
 * decoded: a few seconds a gigabyte); null when neither answers in time. A clip's duration is the span of its
 * timestamps, which one jump makes hours long; its frames are the work a transcode really has.
 */
export async function countFrames(file: string, settings?: VideoToolSettings, signal?: AbortSignal): Promise<number | null> {
  const tools = await requireVideoTools(settings);
  const probe = async (args: string[], entries: string) => {
    const output = await runVideoTool(
      tools,
      'ffprobe',
      ['-v', 'error', '-select_streams', 'v', ...args, '-show_entries', entries, '-print_format', 'json', file],
      {
        file,
        timeoutMs: PROBE_TIMEOUT_MS,
        memoryBytes: PROBE_MEMORY_BYTES,
        signal,
      },
    );
    const data = JSON.parse(output.stdout) as { streams?: FrameCountStream[]; format?: { duration?: string } };
    return { stream: (data.streams ?? []).find((stream) => !stream.disposition?.attached_pic), formatDuration: data.format?.duration };
  };
  try {
    const listed = await probe([], 'stream=nb_frames,duration,avg_frame_rate:stream_disposition=attached_pic:format=duration');
    const counted = async () =>
      positiveCount((await probe(['-count_packets'], 'stream=nb_read_packets:stream_disposition=attached_pic')).stream?.nb_read_packets);
    return (listed.stream && containerCount(listed.stream, listed.formatDuration)) ?? (await counted());
  } catch (error) {
    if (signal?.aborted) throw error;
    return null; // the transcode's limits then follow from the duration alone
  }
}

interface FrameCountStream {
  nb_frames?: string;
  nb_read_packets?: string;
  duration?: string;
  avg_frame_rate?: string;
  disposition?: { attached_pic?: number };
}

const positiveCount = (value: string | undefined): number | null => {
  const count = Number(value);
  return Number.isInteger(count) && count > 0 ? count : null;
};

/**
 * The frames the container counts, when that count covers the clip's length at its rate (pure); null when it has
 * none, or a short one: an MP4 written in fragments with the first in its index (a recorder's, a camera's) counts
 * that fragment's frames alone, and a limit from it would stop a whole clip as if it repeated frames.
 */
export function containerCount(stream: FrameCountStream, formatDuration?: string): number | null {
  const count = positiveCount(stream.nb_frames);
  if (count === null) return null;
  const seconds = Math.max(Number(stream.duration) || 0, Number(formatDuration) || 0);
  const fps = rate(stream.avg_frame_rate);
  // a tenth short, and a frame, for the rounding of durations and the last frame's length
  return fps === null || seconds <= 0 || count >= 0.9 * seconds * fps - 1 ? count : null;
}

/** ffprobe's JSON as a VideoProbe (pure: the unit tests feed it ffprobe's output). */
export function parseProbe(json: string, label: string): VideoProbe {
  let data: { streams?: ProbeStream[]; format?: { format_name?: string; duration?: string; bit_rate?: string } };
  try {
    data = JSON.parse(json) as typeof data;
  } catch {
    throw new ImageDecodeError(`${label}: ffprobe gave no readable answer`);
  }
  const streams = data.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!video) {
    const audio = streams.some((s) => s.codec_type === 'audio');
    throw new ImageDecodeError(`${label}: no video stream${audio ? ' (audio only)' : ''}`);
  }
  const width = video.width ?? 0;
  const height = video.height ?? 0;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImageDecodeError(`${label}: video stream without a frame size`);
  }
  if (width * height > LIMIT_INPUT_PIXELS)
    throw new ImageDecodeError(`${label}: frames of ${width}×${height} are over the ${Math.round(LIMIT_INPUT_PIXELS / 1e6)} MP limit`);
  const seconds = Number(data.format?.duration ?? video.duration);
  const durationMs = Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : null;
  if (durationMs !== null && durationMs > MAX_DURATION_MS)
    throw new ImageDecodeError(`${label}: ${Math.round(durationMs / 3600_000)} hours long, over the 24-hour limit`);
  const bitRate = Number(data.format?.bit_rate);
  return {
    container: data.format?.format_name ?? 'unknown',
    durationMs,
    width,
    height,
    rotation: rotationOf(video),
    fps: rate(video.avg_frame_rate) ?? rate(video.r_frame_rate),
    videoCodec: video.codec_name ?? 'unknown',
    audioCodec: streams.find((s) => s.codec_type === 'audio')?.codec_name ?? null,
    bitRate: Number.isFinite(bitRate) && bitRate > 0 ? Math.round(bitRate) : null,
  };
}

/** The display matrix's rotation (newer ffprobe: side data, counter-clockwise negative) or the `rotate` tag (older). */
function rotationOf(stream: ProbeStream): VideoProbe['rotation'] {
  const matrix = stream.side_data_list?.find((d) => d.side_data_type === 'Display Matrix' && typeof d.rotation === 'number');
  const degrees = matrix ? -matrix.rotation! : Number(stream.tags?.rotate ?? 0);
  const turned = (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;
  return turned as VideoProbe['rotation'];
}

function rate(value: string | undefined): number | null {
  const match = /^(\d+)\/(\d+)$/.exec(value ?? '');
  if (!match || Number(match[2]) === 0) return null;
  const fps = Number(match[1]) / Number(match[2]);
  return fps > 0 && fps < 10_000 ? Math.round(fps * 1000) / 1000 : null;
}

/** The size a player shows: turned a quarter, width and height swap. */
export const displaySize = (probe: VideoProbe) =>
  probe.rotation === 90 || probe.rotation === 270 ? { width: probe.height, height: probe.width } : { width: probe.width, height: probe.height };
