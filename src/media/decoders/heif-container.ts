// Reading a HEIF file's ISOBMFF boxes, for what libheif-js does not tell us:
// - the colour description ('colr' property) of the primary image: an ICC profile ('prof'/'rICC') or nclx
//   codes (libheif-js decodes to RGB without colour management; iPhones shoot Display P3);
// - whether the file is complete (libheif decodes a truncated file without complaint, greying the missing
//   tiles).

import { open } from 'node:fs/promises';
import { ImageDecodeError } from './common.js';

export interface HeifColour {
  icc?: Buffer;
  nclx?: { primaries: number; transfer: number; matrix: number; fullRange: boolean };
}

interface Box {
  type: string;
  start: number; // payload start
  end: number; // payload end, within the buffer
  declaredEnd: number; // where the box says it ends (may be past the buffer)
}

function* boxes(buf: Buffer, start: number, end: number): Generator<Box> {
  let pos = start;
  while (pos + 8 <= end) {
    let size = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    let header = 8;
    if (size === 1) {
      if (pos + 16 > end) return;
      size = Number(buf.readBigUInt64BE(pos + 8));
      header = 16;
    } else if (size === 0) {
      size = end - pos;
    }
    if (size < header) return;
    yield { type, start: pos + header, end: Math.min(pos + size, end), declaredEnd: pos + size };
    pos += size;
  }
}

const child = (buf: Buffer, parent: Box, type: string, skip = 0) => {
  for (const box of boxes(buf, parent.start + skip, parent.end)) if (box.type === type) return box;
  return undefined;
};

/** Reads the 'meta' box (within the first 4 MiB) and returns the primary image's colour; {} when none. */
export async function readHeifColour(file: string): Promise<HeifColour> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    for (const box of boxes(head, 0, bytesRead)) {
      if (box.type !== 'meta') continue;
      if (box.declaredEnd <= bytesRead) return colourOfPrimary(head, box);
      // The meta box runs past what we read: read it whole (bounded).
      const size = box.declaredEnd - box.start;
      if (size > 4 * 1024 * 1024) return {};
      const meta = Buffer.alloc(size);
      const { bytesRead: got } = await handle.read(meta, 0, size, box.start);
      return colourOfPrimary(meta, { type: 'meta', start: 0, end: got, declaredEnd: got });
    }
    return {};
  } finally {
    await handle.close();
  }
}

function colourOfPrimary(buf: Buffer, meta: Box): HeifColour {
  // meta is a FullBox: 4 bytes of version/flags before its children.
  const pitm = child(buf, meta, 'pitm', 4);
  const iprp = child(buf, meta, 'iprp', 4);
  if (!iprp) return {};
  const ipco = child(buf, iprp, 'ipco');
  if (!ipco) return {};
  const properties = [...boxes(buf, ipco.start, ipco.end)];
  let primary: number | null = null;
  if (pitm) primary = buf[pitm.start] === 0 ? buf.readUInt16BE(pitm.start + 4) : buf.readUInt32BE(pitm.start + 4);

  const colrBoxes: Box[] = [];
  const ipma = child(buf, iprp, 'ipma');
  if (ipma && primary !== null) {
    const version = buf[ipma.start]!;
    const flags = buf.readUIntBE(ipma.start + 1, 3);
    let pos = ipma.start + 4;
    const entries = buf.readUInt32BE(pos);
    pos += 4;
    for (let e = 0; e < entries && pos < ipma.end; e += 1) {
      const item = version < 1 ? buf.readUInt16BE(pos) : buf.readUInt32BE(pos);
      pos += version < 1 ? 2 : 4;
      const count = buf[pos]!;
      pos += 1;
      for (let a = 0; a < count; a += 1) {
        const index = flags & 1 ? buf.readUInt16BE(pos) & 0x7fff : buf[pos]! & 0x7f;
        pos += flags & 1 ? 2 : 1;
        const property = properties[index - 1];
        if (item === primary && property?.type === 'colr') colrBoxes.push(property);
      }
    }
  }
  // Fall back to any colr in the file (tiles of a grid carry it in some files).
  if (colrBoxes.length === 0) colrBoxes.push(...properties.filter((p) => p.type === 'colr'));

  const colour: HeifColour = {};
  for (const colr of colrBoxes) {
    const kind = buf.toString('latin1', colr.start, colr.start + 4);
    if ((kind === 'prof' || kind === 'rICC') && !colour.icc) {
      colour.icc = Buffer.from(buf.subarray(colr.start + 4, colr.end));
    } else if (kind === 'nclx' && !colour.nclx && colr.end - colr.start >= 11) {
      colour.nclx = {
        primaries: buf.readUInt16BE(colr.start + 4),
        transfer: buf.readUInt16BE(colr.start + 6),
        matrix: buf.readUInt16BE(colr.start + 8),
        fullRange: (buf[colr.start + 10]! & 0x80) !== 0,
      };
    }
  }
  return colour;
}

/** Throws ImageDecodeError when a top-level box (typically 'mdat') runs past the end of the file. */
export async function checkHeifComplete(file: string, label: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(16);
    let pos = 0;
    for (let boxes = 0; pos < size && boxes < 10_000; boxes += 1) {
      const { bytesRead } = await handle.read(header, 0, 16, pos);
      if (bytesRead < 8) throw new ImageDecodeError(`${label}: truncated HEIF file (a box header is cut at byte ${pos})`);
      let length = header.readUInt32BE(0);
      const type = header.toString('latin1', 4, 8);
      if (length === 0) return; // runs to the end of the file
      if (length === 1) {
        if (bytesRead < 16) throw new ImageDecodeError(`${label}: truncated HEIF file (a box header is cut at byte ${pos})`);
        length = Number(header.readBigUInt64BE(8));
      }
      if (length < 8) throw new ImageDecodeError(`${label}: corrupt HEIF file (box '${type}' at byte ${pos} has size ${length})`);
      if (pos + length > size) {
        throw new ImageDecodeError(`${label}: truncated HEIF file (box '${type}' ends at byte ${pos + length}, the file has ${size} bytes)`);
      }
      pos += length;
    }
  } finally {
    await handle.close();
  }
}
