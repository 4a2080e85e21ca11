// What a library in place leaves out unless its owner says otherwise: the folders NAS systems and drives keep
// beside photos (thumbnails, recycle bins, snapshots), which are not the user's photos. Hidden entries (a name
// starting with a dot: .thumbnails, .Trashes, ._IMG_0001.JPG) are always left out (library/in-place/walk.ts).
// One list for the API, the CLI and the web form's starting text.

/** Exclusion globs of a new library in place when none are given (`exclude` left out of the request). */
export const DEFAULT_IN_PLACE_EXCLUDES: readonly string[] = [
  '**/@eaDir/**', // Synology's thumbnails and metadata
  '**/#recycle/**', // Synology's recycle bin
  '**/#snapshot/**', // Synology's snapshots
  '**/@Recycle/**', // QNAP's recycle bin
  '**/$RECYCLE.BIN/**', // Windows' recycle bin on a shared drive
  '**/System Volume Information/**', // Windows' restore points on a drive
];
