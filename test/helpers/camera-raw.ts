// A camera RAW for tests (the corpus has none): a CR2-shaped TIFF whose IFD0 is the JPEG preview the camera embeds,
// with its make, model, orientation and capture time, as ExifTool reads them. ExifTool will not write into such a file
// unless it has a thumbnail too, in IFD1 as a CR2 has it (a CR2's IFD chain ends in the image IFDs it must keep).

interface RawFacts {
  /** The embedded preview, a JPEG (a camera's is the picture its JPEG shows, often smaller). */
  preview: Buffer;
  /** A second, smaller JPEG in IFD1 (ThumbnailImage), as a CR2 has it. */
  thumbnail?: Buffer;
  width: number;
  height: number;
  make?: string;
  model?: string;
  /** EXIF form, `2024:05:01 10:00:00`. */
  taken?: string;
  orientation?: number;
}

type Entry = [tag: number, type: number, count: number, value: number];

const ASCII = 2;
const SHORT = 3;
const LONG = 4;

export function cameraRaw(facts: RawFacts): Buffer {
  const head = Buffer.alloc(512);
  head.write('II', 0, 'latin1');
  head.writeUInt16LE(42, 2);
  head.writeUInt32LE(16, 4); // IFD0 after the CR2 marker
  head.write('CR', 8, 'latin1');
  head[10] = 2;
  // strings from 300 on, the Exif IFD at 400, the preview at 512
  let text = 300;
  const ascii = (value: string): [number, number] => {
    const at = text;
    head.write(`${value}\0`, at, 'latin1');
    text += value.length + 1;
    return [value.length + 1, at];
  };
  const ifd0: Entry[] = [
    [256, LONG, 1, facts.width],
    [257, LONG, 1, facts.height],
    [259, SHORT, 1, 6], // old-style JPEG
  ];
  if (facts.make) ifd0.push([271, ASCII, ...ascii(facts.make)]);
  if (facts.model) ifd0.push([272, ASCII, ...ascii(facts.model)]);
  ifd0.push([273, LONG, 1, 512], [274, SHORT, 1, facts.orientation ?? 1], [279, LONG, 1, facts.preview.length]);
  if (facts.taken) {
    ifd0.push([34665, LONG, 1, 400]);
    writeIfd(head, 400, [[36867, ASCII, ...ascii(facts.taken)]]);
  }
  if (text > 400) throw new Error('camera RAW facts too long');
  // IFD1 (the thumbnail, after the preview) at 200, named as the last IFD at byte 12 as a CR2's header names its raw IFD
  const ifd1: Entry[] | null = facts.thumbnail
    ? [
        [259, SHORT, 1, 6],
        [513, LONG, 1, 512 + facts.preview.length],
        [514, LONG, 1, facts.thumbnail.length],
      ]
    : null;
  writeIfd(head, 16, ifd0, ifd1 ? 200 : 0);
  if (ifd1) {
    writeIfd(head, 200, ifd1);
    head.writeUInt32LE(200, 12);
  }
  return Buffer.concat([head, facts.preview, ...(facts.thumbnail ? [facts.thumbnail] : [])]);
}

function writeIfd(out: Buffer, at: number, entries: Entry[], next = 0): void {
  out.writeUInt16LE(entries.length, at);
  entries.forEach(([tag, type, count, value], i) => {
    const entry = at + 2 + i * 12;
    out.writeUInt16LE(tag, entry);
    out.writeUInt16LE(type, entry + 2);
    out.writeUInt32LE(count, entry + 4);
    if (type === SHORT && count === 1) out.writeUInt16LE(value, entry + 8);
    else out.writeUInt32LE(value, entry + 8);
  });
  out.writeUInt32LE(next, at + 2 + entries.length * 12);
}
