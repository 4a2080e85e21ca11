import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rows, type Database } from '../../src/db/connection.js';
import { parseVector, vectorLiteral, vectorParam, VectorValue } from '../../src/db/vector-values.js';
import { startWirePostgres, type WirePostgres } from '../helpers/postgres-wire.js';
import { tempDir } from '../helpers/server.js';

function randomVector(dimensions: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: dimensions }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 30 - 1;
  });
}

/** Fails the statement if a driver falls back to the text form. */
class BinaryOnly extends VectorValue {
  override toString(): string {
    throw new Error('the vector was sent as text');
  }
}

/** A vector parameter arrives as the same vector the text form gives, whichever driver sent it. */
async function expectSameAsText(database: Database) {
  for (const [dimensions, seed] of [
    [512, 1],
    [1024, 2],
    [3, 3],
  ] as const) {
    const values = randomVector(dimensions, seed);
    const [row] = await rows<{ distance: number; dims: number; text: string }>(
      database.db,
      sql`select (${vectorParam(values)} <=> ${vectorLiteral(values)}::vector)::float8 as distance,
                 vector_dims(${vectorParam(values)}) as dims, (${vectorParam(values)})::text as text`,
    );
    expect(row!.dims).toBe(dimensions);
    expect(row!.distance).toBeCloseTo(0, 6);
    expect(Array.from(parseVector(row!.text))).toEqual(Array.from(values));
  }
  // and it was sent in binary
  const values = randomVector(512, 4);
  const [binary] = await rows<{ distance: number }>(
    database.db,
    sql`select (${new BinaryOnly(values)}::vector <=> ${vectorLiteral(values)}::vector)::float8 as distance`,
  );
  expect(binary!.distance).toBeCloseTo(0, 6);
  // non-finite values are sent as 0, as the text form does
  const [row] = await rows<{ text: string }>(database.db, sql`select (${vectorParam([1, Number.NaN, Number.POSITIVE_INFINITY])})::text as text`);
  expect(row!.text).toBe('[1,0,0]');
}

describe('vector parameters', () => {
  let dataDir: string;
  let embedded: Database;
  let postgres: WirePostgres;
  let overTheWire: Database;

  beforeAll(async () => {
    dataDir = tempDir();
    embedded = await openDatabase({ dataDir });
    postgres = await startWirePostgres();
    overTheWire = await openDatabase({ url: postgres.url, poolSize: 1 });
  });

  afterAll(async () => {
    await embedded?.close();
    await overTheWire?.close();
    await postgres?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reach the embedded database in binary as the same vectors', async () => {
    await expectSameAsText(embedded);
  });

  it('reach a PostgreSQL server (node-postgres) in binary as the same vectors', async () => {
    await expectSameAsText(overTheWire);
  });
});
