// Vectors as Postgres reads and writes them: pgvector's text and binary forms, and a query parameter that travels
// in binary. No database access here (connection.ts registers the embedded serializer).
import { sql, type SQL } from 'drizzle-orm';

/** pgvector's text form; fine for one row at a time (bulk loads use binary COPY). */
export function vectorLiteral(values: ArrayLike<number>): string {
  return `[${Array.from(values, (v) => (Number.isFinite(v) ? v : 0)).join(',')}]`;
}

/**
 * pgvector's binary form (what `vector_recv` reads): int16 dimensions, int16 unused (0), then each value as a
 * big-endian float4. Non-finite values become 0, as in the text form.
 */
export function vectorBinary(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(4 + values.length * 4);
  const view = new DataView(bytes.buffer);
  view.setInt16(0, values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    view.setFloat32(4 + i * 4, Number.isFinite(v) ? v : 0);
  }
  return bytes;
}

/**
 * A query's vector, sent in binary: parsing the text form costs ~1 ms for 512 dimensions in PGlite's WASM
 * Postgres (a float parse per value) and ships 10 KB instead of 2 KB. node-postgres sends what `toPostgres`
 * returns, a Buffer in the binary format; PGlite sends it through the serializer `connection.ts` registers for the
 * vector type (`embeddedVectorSerializer`). Only ever used with a `::vector` cast (`vectorParam`), so the
 * parameter's type is the vector type and the binary form is read by `vector_recv`.
 */
export class VectorValue {
  constructor(readonly values: ArrayLike<number>) {}
  toPostgres(): Buffer {
    const bytes = vectorBinary(this.values);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  /** What a driver that knows neither hook would send: the text form. */
  toString(): string {
    return vectorLiteral(this.values);
  }
}

/** A vector parameter of a statement, typed `vector`. */
export function vectorParam(values: ArrayLike<number>): SQL {
  return sql`${new VectorValue(values)}::vector`;
}

/** PGlite's serializer for vector parameters: binary for a VectorValue, anything else as it was (text). */
export function embeddedVectorSerializer(value: unknown): string {
  // PGlite sends an ArrayBuffer view as a binary parameter; its Serializer type only names strings
  return (value instanceof VectorValue ? vectorBinary(value.values) : String(value)) as string;
}

export function parseVector(text: string): Float32Array {
  return Float32Array.from(text.slice(1, -1).split(','), Number);
}
