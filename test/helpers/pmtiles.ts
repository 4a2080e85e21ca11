// Small PMTiles (version 3) archives, written as the specification lays it out: the header, one root directory
// (uncompressed, clustered), metadata, then the tiles: raster (PNG) tiles, and vector tiles (MVT, encoded here as the
// Mapbox Vector Tile specification lays out its protobuf) in the Protomaps basemap's layers. For tests of serving one
// with byte ranges and of drawing it.
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
  const tiles = new Map<string, Buffer>();
  for (const [i, zxy] of ['0/0/0', '1/0/0', '1/1/0', '1/0/1', '1/1/1'].entries()) {
    const [r, g, b] = colours[i]!;
    tiles.set(
      zxy,
      await sharp({ create: { width: 256, height: 256, channels: 3, background: { r, g, b } } })
        .png()
        .toBuffer(),
    );
  }
  return { bytes: pmtilesArchive(tiles, 2), tiles };
}

/**
 * One vector tile in the Protomaps basemap's layers: all land (`earth`) with water over its western half (`water`), so
 * that a drawn tile shows a style's two colours side by side.
 */
export function halfWaterTile(): Buffer {
  const EXTENT = 4096;
  const square = (x0: number, y0: number, x1: number, y1: number): [number, number][] => [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ];
  return mvtTile([
    { name: 'earth', kind: 'earth', ring: square(-64, -64, EXTENT + 64, EXTENT + 64) },
    { name: 'water', kind: 'ocean', ring: square(-64, -64, EXTENT / 2, EXTENT + 64) },
  ]);
}

/** Vector tiles of zooms 0 and 1, each a `halfWaterTile`. */
export function vectorPmtiles(): { bytes: Buffer; tiles: Map<string, Buffer> } {
  const tiles = new Map<string, Buffer>();
  for (const zxy of ['0/0/0', '1/0/0', '1/1/0', '1/0/1', '1/1/1']) tiles.set(zxy, halfWaterTile());
  return { bytes: pmtilesArchive(tiles, 1), tiles };
}

/** A protobuf field's key: its number and wire type (0 varint, 2 length-delimited). */
const key = (field: number, wire: 0 | 2) => (field << 3) | wire;
const zigzag = (n: number) => (n << 1) ^ (n >> 31);

function lengthDelimited(field: number, bytes: number[], out: number[]): void {
  varint(key(field, 2), out);
  varint(bytes.length, out);
  out.push(...bytes);
}

/** One tile of polygon layers (extent 4096), each layer one feature with a `kind` property and one clockwise ring. */
function mvtTile(layers: { name: string; kind: string; ring: [number, number][] }[]): Buffer {
  const tile: number[] = [];
  for (const layer of layers) {
    const geometry: number[] = [];
    const [first, ...rest] = layer.ring;
    varint((1 << 3) | 1, geometry); // MoveTo, once
    varint(zigzag(first![0]), geometry);
    varint(zigzag(first![1]), geometry);
    varint((rest.length << 3) | 2, geometry); // LineTo, for each other point
    let [x, y] = first!;
    for (const [px, py] of rest) {
      varint(zigzag(px - x), geometry);
      varint(zigzag(py - y), geometry);
      [x, y] = [px, py];
    }
    varint((1 << 3) | 7, geometry); // ClosePath
    const feature: number[] = [];
    const tags: number[] = [];
    varint(0, tags); // key 0 ("kind")
    varint(0, tags); // value 0
    lengthDelimited(2, tags, feature);
    varint(key(3, 0), feature);
    varint(3, feature); // POLYGON
    lengthDelimited(4, geometry, feature);
    const value: number[] = [];
    lengthDelimited(1, [...Buffer.from(layer.kind)], value); // string_value
    const message: number[] = [];
    varint(key(15, 0), message);
    varint(2, message); // version
    lengthDelimited(1, [...Buffer.from(layer.name)], message);
    lengthDelimited(2, feature, message);
    lengthDelimited(3, [...Buffer.from('kind')], message);
    lengthDelimited(4, value, message);
    varint(key(5, 0), message);
    varint(4096, message);
    lengthDelimited(3, message, tile);
  }
  return Buffer.from(tile);
}

/** The archive of tiles keyed `z/x/y`, of the header's tile type (1 MVT, 2 PNG), uncompressed. */
function pmtilesArchive(tiles: Map<string, Buffer>, tileType: number): Buffer {
  const entries: { tileId: number; offset: number; length: number }[] = [];
  const data: Buffer[] = [];
  let offset = 0;
  for (const [zxy, bytes] of tiles) {
    const [z, x, y] = zxy.split('/').map(Number) as [number, number, number];
    entries.push({ tileId: zxyToTileId(z, x, y), offset, length: bytes.length });
    data.push(bytes);
    offset += bytes.length;
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
  header.writeUInt8(tileType, 99);
  header.writeUInt8(0, 100);
  header.writeUInt8(1, 101);
  header.writeInt32LE(-1800000000, 102);
  header.writeInt32LE(-850511287, 106);
  header.writeInt32LE(1800000000, 110);
  header.writeInt32LE(850511287, 114);
  header.writeUInt8(0, 118);
  header.writeInt32LE(0, 119);
  header.writeInt32LE(0, 123);
  return Buffer.concat([header, root, metadata, tileData]);
}
