import { sql, type SQL } from 'drizzle-orm';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A uuid[] literal in one parameter-free fragment (one array, not one parameter per id); ids are checked. */
export function uuidArray(ids: readonly string[]): SQL {
  for (const id of ids) if (!UUID.test(id)) throw new Error(`not a UUID: ${id}`);
  return sql.raw(`'{${ids.join(',')}}'::uuid[]`);
}

