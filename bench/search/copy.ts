// Postgres' binary COPY format, written by hand: what bench/search/generate.ts feeds to
// `COPY table (cols) FROM '/dev/blob' WITH (FORMAT binary)` through PGlite. Vectors go in pgvector's binary form
// (int16 dimensions, int16 unused, float4 big-endian values) so that nothing is parsed as text inside WASM.
import { vectorBinary } from '../../src/db/vector-values.js';

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]; // "PGCOPY\n\377\r\n\0"
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const TEXT_OID = 25;
const encoder = new TextEncoder();

export class CopyWriter {
  private buffer: Uint8Array<ArrayBuffer>;
  private view: DataView;
  private offset = 0;
  rows = 0;

  constructor(initialBytes = 1 << 20) {
    this.buffer = new Uint8Array(initialBytes);
    this.view = new DataView(this.buffer.buffer);
    for (const byte of SIGNATURE) this.buffer[this.offset++] = byte;
    this.int32(0); // flags
    this.int32(0); // header extension length
  }

  private ensure(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.offset + bytes) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.offset));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  private int16(value: number): void {
    this.ensure(2);
    this.view.setInt16(this.offset, value);
    this.offset += 2;
  }

  private int32(value: number): void {
    this.ensure(4);
    this.view.setInt32(this.offset, value);
    this.offset += 4;
  }

  /** Starts a row of `fields` values; each value below is one field. */
  row(fields: number): this {
    this.rows += 1;
    this.int16(fields);
    return this;
  }

  null(): this {
    this.int32(-1);
    return this;
  }

  uuid(value: string | null): this {
    if (value === null) return this.null();
    const hex = value.replace(/-/g, '');
    this.int32(16);
    this.ensure(16);
    for (let i = 0; i < 16; i += 1) this.buffer[this.offset++] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    return this;
  }

  text(value: string | null): this {
    if (value === null) return this.null();
    const bytes = encoder.encode(value);
    this.int32(bytes.length);
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.offset);
    this.offset += bytes.length;
    return this;
  }

  /** jsonb: version byte 1, then the JSON text. */
  jsonb(value: unknown): this {
    if (value === null || value === undefined) return this.null();
    const bytes = encoder.encode(JSON.stringify(value));
    this.int32(bytes.length + 1);
    this.ensure(bytes.length + 1);
    this.buffer[this.offset++] = 1;
    this.buffer.set(bytes, this.offset);
    this.offset += bytes.length;
    return this;
  }

  int4(value: number | null): this {
    if (value === null) return this.null();
    this.int32(4);
    this.int32(value);
    return this;
  }

  int8(value: number | null): this {
    if (value === null) return this.null();
    this.int32(8);
    this.ensure(8);
    this.view.setBigInt64(this.offset, BigInt(Math.round(value)));
    this.offset += 8;
    return this;
  }

  float4(value: number | null): this {
    if (value === null) return this.null();
    this.int32(4);
    this.ensure(4);
    this.view.setFloat32(this.offset, value);
    this.offset += 4;
    return this;
  }

  float8(value: number | null): this {
    if (value === null) return this.null();
    this.int32(8);
    this.ensure(8);
    this.view.setFloat64(this.offset, value);
    this.offset += 8;
    return this;
  }

  bool(value: boolean | null): this {
    if (value === null) return this.null();
    this.int32(1);
    this.ensure(1);
    this.buffer[this.offset++] = value ? 1 : 0;
    return this;
  }

  /** timestamptz: microseconds since 2000-01-01 UTC. */
  timestamptz(epochMs: number | null): this {
    if (epochMs === null) return this.null();
    this.int32(8);
    this.ensure(8);
    this.view.setBigInt64(this.offset, BigInt(Math.round(epochMs - PG_EPOCH_MS)) * 1000n);
    this.offset += 8;
    return this;
  }

  textArray(values: readonly string[] | null): this {
    if (values === null) return this.null();
    const encoded = values.map((v) => encoder.encode(v));
    const header = values.length === 0 ? 12 : 20;
    const size = header + encoded.reduce((sum, bytes) => sum + 4 + bytes.length, 0);
    this.int32(size);
    this.int32(values.length === 0 ? 0 : 1); // dimensions
    this.int32(0); // no nulls
    this.int32(TEXT_OID);
    if (values.length > 0) {
      this.int32(values.length);
      this.int32(1); // lower bound
    }
    for (const bytes of encoded) {
      this.int32(bytes.length);
      this.ensure(bytes.length);
      this.buffer.set(bytes, this.offset);
      this.offset += bytes.length;
    }
    return this;
  }

  /** pgvector `vector` in its binary form (the one query parameters use). */
  vector(values: Float32Array): this {
    const bytes = vectorBinary(values);
    this.int32(bytes.length);
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.offset);
    this.offset += bytes.length;
    return this;
  }

  /** The whole COPY stream, trailer included. */
  finish(): Uint8Array<ArrayBuffer> {
    this.int16(-1);
    return this.buffer.subarray(0, this.offset);
  }

  get bytes(): number {
    return this.offset;
  }
}
