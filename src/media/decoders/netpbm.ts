// Reads the PNM/PAM files that command-line decoders write (P5 grey, P6 RGB, P7 with alpha; 8 or 16 bits).
// sharp's prebuilt libvips has no PPM loader.

import { ImageDecodeError, type DecodedPixels } from './common.js';

/** Parses (and, for 16-bit samples, rewrites in place) a PNM/PAM file's bytes. */
export function parseNetpbm(buf: Buffer, decoder: string): DecodedPixels {
  let pos = 0;
  const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
  const token = (): string => {
    for (;;) {
      while (pos < buf.length && isSpace(buf[pos]!)) pos += 1;
      if (buf[pos] === 0x23 /* # */) {
        while (pos < buf.length && buf[pos] !== 0x0a) pos += 1;
        continue;
      }
      break;
    }
    const start = pos;
    while (pos < buf.length && !isSpace(buf[pos]!)) pos += 1;
    return buf.toString('latin1', start, pos);
  };
  const magic = token();
  let width: number;
  let height: number;
  let channels: number;
  let maxval: number;
  if (magic === 'P5' || magic === 'P6') {
    width = Number(token());
    height = Number(token());
    maxval = Number(token());
    channels = magic === 'P5' ? 1 : 3;
  } else if (magic === 'P7') {
    const fields: Record<string, string> = {};
    for (let key = token(); key !== 'ENDHDR'; key = token()) {
      if (!key) throw new ImageDecodeError(`${decoder}: PAM header without ENDHDR`);
      fields[key] = token();
    }
    width = Number(fields.WIDTH);
    height = Number(fields.HEIGHT);
    channels = Number(fields.DEPTH);
    maxval = Number(fields.MAXVAL);
  } else {
    throw new ImageDecodeError(`${decoder}: unexpected output (${JSON.stringify(magic.slice(0, 8))}, not PNM)`);
  }
  pos += 1; // the single whitespace byte before the samples
  if (![1, 2, 3, 4].includes(channels) || !(width > 0) || !(height > 0) || !(maxval === 255 || maxval === 65535)) {
    throw new ImageDecodeError(`${decoder}: unsupported PNM output ${width}×${height}×${channels}, maxval ${maxval}`);
  }
  const samples = width * height * channels;
  const bytes = maxval === 255 ? 1 : 2;
  if (buf.length - pos < samples * bytes) throw new ImageDecodeError(`${decoder}: PNM output is truncated`);
  let data: Uint8Array | Uint16Array;
  if (bytes === 1) {
    data = new Uint8Array(buf.buffer, buf.byteOffset + pos, samples);
  } else {
    // Big-endian samples → machine order, in place (the buffer is ours): first slide them one byte back
    // when they start at an odd address, since a Uint16Array must be 2-byte aligned.
    let start = buf.byteOffset + pos;
    if (start % 2 === 1) {
      buf.copy(buf, pos - 1, pos, pos + samples * 2); // memmove
      pos -= 1;
      start -= 1;
    }
    const samplesView = buf.subarray(pos, pos + samples * 2);
    if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) samplesView.swap16();
    data = new Uint16Array(buf.buffer, start, samples);
  }
  return { data, width, height, channels: channels as 1 | 2 | 3 | 4, decoder };
}
