// Photos an ordering leaves out on this device before the server does (moved to the trash offline, waiting to be
// sent): the server's answers still hold them, so the ordering shows them without their places. Offsets here are the
// server's (`hidden`, sorted) or the screen's; pure arithmetic between the two.
import type { Timeline } from '../client/library.js';

/** The timeline without the photos at the server offsets `hidden` (sorted); `isVideo` says which of them are clips. */
export function timelineWithout(timeline: Timeline, hidden: readonly number[], isVideo: (offset: number) => boolean): Timeline {
  if (hidden.length === 0) return timeline;
  let gone = 0;
  let goneVideos = 0;
  let next = 0;
  const buckets: Timeline['buckets'] = [];
  for (const bucket of timeline.buckets) {
    let count = 0;
    let videos = 0;
    for (; next < hidden.length && hidden[next]! < bucket.offset + bucket.count; next++) {
      if (hidden[next]! < bucket.offset) continue;
      count++;
      if (isVideo(hidden[next]!)) videos++;
    }
    if (bucket.count > count) buckets.push({ ...bucket, offset: bucket.offset - gone, count: bucket.count - count, videos: bucket.videos - videos });
    gone += count;
    goneVideos += videos;
  }
  return { ...timeline, buckets, total: timeline.total - gone, videos: timeline.videos - goneVideos };
}

/** The server offset of the photo shown at `shown`: each hidden photo at or before it moves it one on. */
export function serverOffset(shown: number, hidden: readonly number[]): number {
  let offset = shown;
  for (const at of hidden) {
    if (at > offset) break;
    offset++;
  }
  return offset;
}

/** Where the photo at server offset `offset` (not hidden) shows: one back for each hidden photo before it. */
export function shownOffset(offset: number, hidden: readonly number[]): number {
  let before = 0;
  for (const at of hidden) {
    if (at >= offset) break;
    before++;
  }
  return offset - before;
}
