// A copy of a clip that keeps its picture and sound and nothing else: what share-link visitors play or download unless
// the owner lets the link keep its metadata. Remuxed, not re-encoded: the first video stream (not a cover picture)
// and the first audio stream, no subtitle, data or attachment stream (a drone's or action camera's GPS track is
// one of those: a text track of positions, a `gpmd` stream), no container or stream metadata, no chapters
// (`udta`, `meta`, `keys`, ©xyz, 3GPP `loci`, XMP all go). The rotation stays: it is the track's matrix, not a tag.
// The copy is probed after and refused if it holds anything more.
import { reader } from '../exiftool-reader.js';
import { unsafeTagsIn } from '../safe-metadata.js';
import { toolDetail, type StripResult } from '../strip-metadata.js';
import { FFMPEG_MEMORY_BYTES } from './poster.js';
import { runVideoTool, videoTools, type VideoToolSettings } from './tools.js';

/** ffmpeg's muxer for a clip's type: the copy stays in its container. */
const MUXERS: Record<string, string> = {
  'video/mp4': 'mp4',
  'video/x-m4v': 'mp4',
  'video/quicktime': 'mov',
  'video/3gpp': '3gp',
  'video/3gpp2': '3g2',
  'video/webm': 'webm',
  'video/matroska': 'matroska',
  'video/x-matroska': 'matroska',
  'video/vnd.avi': 'avi',
  'video/x-msvideo': 'avi',
  'video/mp2t': 'mpegts',
};

export const muxerFor = (mime: string): string | null => MUXERS[mime] ?? null;

/** ffmpeg's arguments (pure). `+bitexact` leaves out the muxer's own name and the creation times. */
export function remuxArgs(input: string, output: string, muxer: string): string[] {
  return [
    '-v',
    'error',
    '-i',
    input,
    '-map',
    '0:V:0',
    '-map',
    '0:a:0?',
    '-c',
    'copy',
    '-sn',
    '-dn',
    '-map_metadata',
    '-1',
    '-map_chapters',
    '-1',
    '-fflags',
    '+bitexact',
    '-flags:v',
    '+bitexact',
    '-flags:a',
    '+bitexact',
    ...(['mp4', 'mov', '3gp', '3g2'].includes(muxer) ? ['-movflags', '+faststart'] : []),
    '-f',
    muxer,
    '-y',
    output,
  ];
}

interface ProbedCopy {
  streams?: { index: number; codec_type?: string; tags?: Record<string, string> }[];
  format?: { tags?: Record<string, string> };
  chapters?: unknown[];
}

/** Tags a muxer writes itself: the file's brand, a track's language and handler, the length Matroska records. */
const FORMAT_TAGS = new Set(['major_brand', 'minor_version', 'compatible_brands', 'encoder', 'ENCODER']);
const STREAM_TAGS = new Set(['language', 'handler_name', 'vendor_id', 'encoder', 'DURATION', 'ENCODER']);

/** What the copy holds beyond one video and one audio stream and the muxer's own tags; [] when nothing (pure). */
export function unsafeStreamsIn(probe: ProbedCopy): string[] {
  const found: string[] = [];
  const streams = probe.streams ?? [];
  const videos = streams.filter((s) => s.codec_type === 'video');
  const audios = streams.filter((s) => s.codec_type === 'audio');
  if (videos.length !== 1) found.push(`${videos.length} video streams`);
  if (audios.length > 1) found.push(`${audios.length} audio streams`);
  for (const stream of streams) {
    if (stream.codec_type !== 'video' && stream.codec_type !== 'audio') found.push(`a ${stream.codec_type ?? 'unknown'} stream`);
    for (const tag of Object.keys(stream.tags ?? {})) if (!STREAM_TAGS.has(tag)) found.push(`stream ${stream.index} tag ${tag}`);
  }
  for (const tag of Object.keys(probe.format?.tags ?? {})) if (!FORMAT_TAGS.has(tag)) found.push(`container tag ${tag}`);
  if ((probe.chapters ?? []).length > 0) found.push('chapters');
  return found;
}

const REMUX_TIMEOUT_MS = 10 * 60_000;
const PROBE_MEMORY_BYTES = 512 * 1024 * 1024;

/** Writes the copy of `input` (a clip of type `mime`) to `output`; stripped, or why not. */
export async function stripVideo(input: string, output: string, mime: string, settings?: VideoToolSettings): Promise<StripResult> {
  const muxer = muxerFor(mime);
  if (!muxer) return { stripped: false, left: [], reason: `no copy is made of a ${mime} file` };
  const tools = await videoTools(settings);
  if ('problem' in tools) return { stripped: false, left: [], reason: 'ffmpeg is not available on this server', detail: tools.problem };
  try {
    await runVideoTool(tools, 'ffmpeg', remuxArgs(input, output, muxer), { file: input, timeoutMs: REMUX_TIMEOUT_MS, memoryBytes: FFMPEG_MEMORY_BYTES });
  } catch (error) {
    // ffmpeg's words (a stream its muxer does not take, a work file's name) are for the log
    return {
      stripped: false,
      left: [],
      reason: "this server's ffmpeg could not copy its picture and sound into a new file of its type",
      detail: toolDetail(error),
    };
  }
  let left: string[];
  try {
    const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-show_chapters', output];
    const probed = await runVideoTool(tools, 'ffprobe', args, { file: output, timeoutMs: 60_000, memoryBytes: PROBE_MEMORY_BYTES });
    left = unsafeStreamsIn(JSON.parse(probed.stdout) as ProbedCopy);
    // and what ExifTool finds in every box, timed metadata included (-ee)
    left.push(...unsafeTagsIn(await reader().readRaw(output, { readArgs: ['-a', '-u', '-G0:1', '-ee', '-s'] }), { raw: false }));
  } catch (error) {
    return { stripped: false, left: [], reason: 'the copy could not be read back', detail: toolDetail(error) };
  }
  return left.length === 0 ? { stripped: true } : { stripped: false, left, reason: 'the copy still holds them' };
}
