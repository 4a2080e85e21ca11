// A small raster PMTiles (version 3) archive, written as the specification lays it out: the header, one root
// directory (uncompressed, clustered), metadata, then the tiles. For tests of serving one with byte ranges.
import { zxyToTileId } from 'pmtiles';
import sharp from 'sharp';

function varint(value: number, out: number[]): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** Tiles of zooms 0 and 1, each one flat colour (zoom 0 red, zoom 1 green, blue, yellow, grey). */
export async function rasterPmtiles(): Promise<{ bytes: Buffer; tiles: Map<string, Buffer> }> {
  const colours: [number, number, number][] = [
    [200, 30, 30],
    [40, 160, 60],
    [40, 80, 200],
    [230, 210, 40],
    [120, 120, 120],
  ];
  const coordinates: [number, number, number][] = [[0, 0, 0], [1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 1, 1]];
  const tiles = new Map<string, Buffer>();
  const entries: { tileId: number; offset: number; length: number }[] = [];
  const data: Buffer[] = [];
  let offset = 0;
  for (const [i, [z, x, y]] of coordinates.entries()) {
    const [r, g, b] = colours[i]!;
    const png = await sharp({ create: { width: 256, height: 256, channels: 3, background: { r, g, b } } }).png().toBuffer();
    tiles.set(`${z}/${x}/${y}`, png);
    entries.push({ tileId: zxyToTileId(z, x, y), offset, length: png.length });
    data.push(png);
    offset += png.length;
  }
  entries.sort((a, b) => a.tileId - b.tileId);
  const dir: number[] = [];
  varint(entries.length, dir);
  let last = 0;
  for (const entry of entries) {
    varint(entry.tileId - last, dir);
    last = entry.tileId;
  }
  for (let i = 0; i < entries.length; i++) varint(1, dir); // run lengths
  for (const entry of entries) varint(entry.length, dir);
  entries.forEach((entry, i) => {
    const previous = entries[i - 1];
    varint(previous && entry.offset === previous.offset + previous.length ? 0 : entry.offset + 1, dir);
  });
  const root = Buffer.from(dir);
  const metadata = Buffer.from('{"name":"test tiles"}');
  const tileData = Buffer.concat(data);
  const header = Buffer.alloc(127);
  header.write('PMTiles', 0, 'latin1');
  header.writeUInt8(3, 7);
  const u64 = (at: number, value: number) => header.writeBigUInt64LE(BigInt(value), at);
  u64(8, 127);
  u64(16, root.length);
  u64(24, 127 + root.length);
  u64(32, metadata.length);
  u64(40, 0);
  u64(48, 0);
  u64(56, 127 + root.length + metadata.length);
  u64(64, tileData.length);
  u64(72, entries.length);
  u64(80, entries.length);
  u64(88, entries.length);
  header.writeUInt8(1, 96); // clustered
  header.writeUInt8(1, 97); // internal compression: none
  header.writeUInt8(1, 98); // tile compression: none
  header.writeUInt8(2, 99); // png
  header.writeUInt8(0, 100);
  header.writeUInt8(1, 101);
  header.writeInt32LE(-1800000000, 102);
  header.writeInt32LE(-850511287, 106);
  header.writeInt32LE(1800000000, 110);
  header.writeInt32LE(850511287, 114);
  header.writeUInt8(0, 118);
  header.writeInt32LE(0, 119);
  header.writeInt32LE(0, 123);
  return { bytes: Buffer.concat([header, root, metadata, tileData]), tiles };
}
