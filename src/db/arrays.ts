import { sql, type SQL } from 'drizzle-orm';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A uuid[] literal in one parameter-free fragment (one array, not one parameter per id); ids are checked. */
export function uuidArray(ids: readonly string[]): SQL {
  for (const id of ids) if (!UUID.test(id)) throw new Error(`not a UUID: ${id}`);
  return sql.raw(`'{${ids.join(',')}}'::uuid[]`);
}

/** A text[] from strings in one parameter (any characters: quotes, commas, braces). */
export function textArray(values: readonly string[]): SQL {
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))::text[]`;
}
