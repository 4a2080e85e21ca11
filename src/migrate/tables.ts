// Copying a library's rows from one database to another (PGlite ⇄ PostgreSQL), table by table, whatever the
// schema holds: the catalog says which tables, columns and keys there are, and PostgreSQL itself turns each row
// into JSON and back (row_to_json / json_populate_recordset), so every type — vectors, arrays, jsonb, bytea,
// timestamps — crosses exactly as its text form, with no per-type code here.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../db/connection.js';

export interface TablePlan {
  name: string;
  /** Columns a row is written with: all but the generated ones, which the target computes. */
  columns: string[];
  /**
   * What rows are read in order of and resumed after: the primary key (in order, with each column's type), or,
   * for a table without one (derived rows such as a photo's duplicate-check keys), the column referencing their
   * owner: all rows of a batch of owners are written together, replacing what an earlier run wrote of them.
   */
  key: { name: string; type: string }[];
  grouped: boolean;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Tables the target writes for itself as the rows arrive: the photo changes log (its triggers log each photo
 * copied, under the target's own versions; the source's versions would mean nothing there), and the changes to
 * people's and albums' counts (its triggers count each face and album photo copied).
 */
const NOT_COPIED = new Set(['photo_order_changes', 'people_count_deltas', 'album_count_deltas']);

/**
 * Columns the target computes likewise: people's and albums' counts start at 0 there and its triggers count the faces
 * and album photos copied (copying them too would count twice); an album photo's place in the order and its trash
 * are its photo's, copied from the target's photo as the row arrives.
 */
const NOT_COPIED_COLUMNS = new Set([
  'people.face_count',
  'people.photo_count',
  'albums.photo_count',
  'albums.video_count',
  'album_photos.taken_local',
  'album_photos.photo_created_at',
  'album_photos.trashed',
]);

/** The library's tables in an order where a row's references are copied before it (foreign keys). */
export async function planTables(db: Db): Promise<TablePlan[]> {
  const columns = await rows<{ table: string; column: string; generated: boolean }>(
    db,
    sql`select c.relname as table, a.attname as column, a.attgenerated <> '' as generated
        from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' and not c.relispartition and a.attnum > 0 and not a.attisdropped
        order by c.relname, a.attnum`,
  );
  const keys = await rows<{ table: string; column: string; type: string }>(
    db,
    sql`select c.relname as table, a.attname as column, format_type(a.atttypid, a.atttypmod) as type
        from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum = any(i.indkey)
        where i.indisprimary and n.nspname = 'public'
        order by c.relname, array_position(i.indkey::int2[], a.attnum)`,
  );
  const references = await rows<{ child: string; parent: string; column: string; type: string; notNull: boolean }>(
    db,
    sql`select c.relname as child, p.relname as parent, a.attname as column, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as "notNull"
        from pg_constraint k join pg_attribute a on a.attrelid = k.conrelid and a.attnum = k.conkey[1]
        join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid join pg_namespace n on n.oid = c.relnamespace
        where k.contype = 'f' and n.nspname = 'public' and c.relname <> p.relname and cardinality(k.conkey) = 1
        order by c.relname, a.attnum`,
  );
  const tables = new Map<string, TablePlan>();
  for (const row of columns) {
    if (NOT_COPIED.has(row.table)) continue;
    const plan = tables.get(row.table) ?? { name: row.table, columns: [], key: [], grouped: false };
    if (!row.generated && !NOT_COPIED_COLUMNS.has(`${row.table}.${row.column}`)) plan.columns.push(row.column);
    tables.set(row.table, plan);
  }
  for (const row of keys) tables.get(row.table)?.key.push({ name: row.column, type: row.type });
  for (const plan of tables.values()) {
    if (plan.key.length > 0) continue;
    const owner = references.find((ref) => ref.child === plan.name && ref.notNull);
    if (!owner) throw new Error(`table ${plan.name} has neither a primary key nor a reference to an owner: its rows cannot be copied resumably`);
    plan.key = [{ name: owner.column, type: owner.type }];
    plan.grouped = true;
  }
  return inReferenceOrder([...tables.values()], references);
}

/** Parents before children; a cycle of references is an error (none in Shoebox's schema). */
export function inReferenceOrder<T extends { name: string }>(tables: T[], references: { child: string; parent: string }[]): T[] {
  const ordered: T[] = [];
  const placed = new Set<string>();
  let remaining = [...tables].sort((a, b) => a.name.localeCompare(b.name));
  while (remaining.length > 0) {
    const ready = remaining.filter((table) => references.every((ref) => ref.child !== table.name || placed.has(ref.parent)));
    if (ready.length === 0) throw new Error(`tables reference each other in a cycle: ${remaining.map((t) => t.name).join(', ')}`);
    for (const table of ready) {
      ordered.push(table);
      placed.add(table.name);
    }
    remaining = remaining.filter((table) => !placed.has(table.name));
  }
  return ordered;
}

/**
 * Copies a table's rows in key order, `batch` at a time; rows the target has already (an earlier run cut short)
 * are left as they are. Calls `progress` with each batch's size; returns the rows read.
 */
export async function copyTable(source: Db, target: Db, plan: TablePlan, progress: (rows: number) => void, batch = 500): Promise<number> {
  if (plan.grouped) return copyGroupedTable(source, target, plan, progress, batch);
  const table = sql.raw(quote(plan.name));
  const keyList = sql.raw(plan.key.map((k) => `t.${quote(k.name)}`).join(', '));
  const keyText = sql.raw(plan.key.map((k, i) => `t.${quote(k.name)}::text as k${i}`).join(', '));
  const columns = sql.raw(plan.columns.map(quote).join(', '));
  let after: string[] | null = null;
  let copied = 0;
  for (;;) {
    const from: SQL = after
      ? sql`where (${keyList}) > (${sql.join(
          after.map((value, i) => sql`${value}::${sql.raw(plan.key[i]!.type)}`),
          sql`, `,
        )})`
      : sql``;
    const page = await rows<Record<string, string>>(
      source,
      sql`select row_to_json(t)::text as row, ${keyText} from ${table} t ${from} order by ${keyList} limit ${batch}`,
    );
    if (page.length === 0) return copied;
    const json = `[${page.map((row) => row.row).join(',')}]`;
    await target.execute(
      sql`insert into ${table} (${columns}) select ${columns} from json_populate_recordset(null::${table}, ${json}::json) on conflict do nothing`,
    );
    copied += page.length;
    progress(page.length);
    const last = page[page.length - 1]!;
    after = plan.key.map((_, i) => last[`k${i}`]!);
  }
}

/** A table without a primary key, by batches of the owners its rows reference (`plan.key`: one column). */
async function copyGroupedTable(source: Db, target: Db, plan: TablePlan, progress: (rows: number) => void, batch: number): Promise<number> {
  const table = sql.raw(quote(plan.name));
  const owner = sql.raw(quote(plan.key[0]!.name));
  const type = sql.raw(plan.key[0]!.type);
  const columns = sql.raw(plan.columns.map(quote).join(', '));
  let after: string | null = null;
  let copied = 0;
  for (;;) {
    const owners: { owner: string }[] = await rows<{ owner: string }>(
      source,
      sql`select distinct ${owner}::text as owner, ${owner} from ${table} ${after === null ? sql`` : sql`where ${owner} > ${after}::${type}`} order by ${owner} limit ${batch}`,
    );
    if (owners.length === 0) return copied;
    const list = `{${owners.map((row) => row.owner).join(',')}}`;
    const page = await rows<{ row: string }>(source, sql`select row_to_json(t)::text as row from ${table} t where ${owner} = any(${list}::${type}[])`);
    const json = `[${page.map((row) => row.row).join(',')}]`;
    await target.transaction(async (tx) => {
      await tx.execute(sql`delete from ${table} where ${owner} = any(${list}::${type}[])`);
      await tx.execute(sql`insert into ${table} (${columns}) select ${columns} from json_populate_recordset(null::${table}, ${json}::json)`);
    });
    copied += page.length;
    progress(page.length);
    after = owners[owners.length - 1]!.owner;
  }
}

/** Rows per table. */
export async function countRows(db: Db, plans: TablePlan[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const plan of plans) {
    const [row] = await rows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.raw(quote(plan.name))}`);
    counts.set(plan.name, row!.n);
  }
  return counts;
}
