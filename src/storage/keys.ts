import path from 'node:path';

// Where a photo's files live, as keys of the blob store (the same for every store: a folder layout on disk, object
// names under a prefix in a bucket):
//   originals/ab/cd/<sha256>.<ext>   content-addressed, written once, never modified
//   sidecars/<photo id>.xmp          an XMP sidecar that came with a photo (.json: a Google Takeout one)
//   derived/<id[0..2]>/<id>/...      thumbnail, preview and faces/<face id>.webp, rebuilt at will

/** `unedited-preview.jpg`: an edited photo's upright preview before its edit, what the editor starts from. */
export type DerivedName = 'thumbnail.webp' | 'preview.jpg' | 'unedited-preview.jpg';

export function originalKey(sha256: string, ext: string): string {
  return path.posix.join('originals', sha256.slice(0, 2), sha256.slice(2, 4), `${sha256}.${ext}`);
}

export function sidecarKey(photoId: string, format: 'xmp' | 'json' = 'xmp'): string {
  return path.posix.join('sidecars', `${photoId}.${format}`);
}

/**
 * What kind of sidecar a photo's key is: a Google Takeout JSON one (an iCloud export's facts are kept in its form)
 * or an XMP one (uploaded, or beside a file in place).
 */
export function sidecarKind(key: string): 'takeout-json' | 'xmp' {
  return /\.json$/iu.test(key) ? 'takeout-json' : 'xmp';
}

/** Everything made from a photo lives under this prefix, so that it goes in one removal. */
export function derivedPrefix(photoId: string): string {
  return path.posix.join('derived', photoId.slice(0, 2), photoId);
}

export function derivedKey(photoId: string, name: DerivedName): string {
  return path.posix.join(derivedPrefix(photoId), name);
}

/** A motion photo's embedded video, as its file held it (the metadata step). */
export function derivedMotionKey(photoId: string): string {
  return path.posix.join(derivedPrefix(photoId), 'motion.mp4');
}

/** Where a motion photo's video is: a Live Photo's MOV under its own key, an embedded one where the metadata step kept it. */
export function motionKey(photoId: string, motion: { source: string; key?: string }): string {
  return motion.source === 'live' && motion.key ? motion.key : derivedMotionKey(photoId);
}

/** A clip (a video, or a motion photo's video) made playable in browsers (the transcode step); absent when it plays as it is. */
export function derivedVideoKey(photoId: string): string {
  return path.posix.join(derivedPrefix(photoId), 'video.mp4');
}

/** A photo's share-link visitors' copies, in one folder: they go together when they go stale (api/visitor-copy.ts). */
export function visitorCopiesPrefix(photoId: string): string {
  return path.posix.join(derivedPrefix(photoId), 'visitor');
}

/** A share-link visitor's copy of an original or a clip (api/visitor-copy.ts), named by what it copies and how. */
export function visitorCopyKey(photoId: string, digest: string, ext: string): string {
  return path.posix.join(visitorCopiesPrefix(photoId), `${digest}.${ext}`);
}

/** A frame of a clip beyond its poster (pipeline/steps/keyframes.ts); named by the clip's bytes, which a file in place may change. */
export function keyframeKey(photoId: string, sha256: string, index: number): string {
  return path.posix.join(derivedPrefix(photoId), 'keyframes', `${sha256.slice(0, 12)}-${index}.jpg`);
}

export function faceThumbnailKey(photoId: string, faceId: string): string {
  return path.posix.join(derivedPrefix(photoId), 'faces', `${faceId}.webp`);
}
