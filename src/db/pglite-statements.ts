import { type messages, type PGlite, type QueryOptions, type Results, type Transaction, parse, protocol, types } from '@electric-sql/pglite';

const { serialize } = protocol;

/**
 * At most this many statements stay prepared: each holds its parse tree and plans in PGlite's memory. Shoebox's
 * repeated statements (a session's lookup, a step's claim and finish, a photo's read) are a few hundred at most.
 */
export const MAX_PREPARED = 256;

interface Prepared {
  name: string;
  /** The type of each parameter, as PostgreSQL inferred it: picks the serializer of each value. */
  paramTypes: number[];
}

/**
 * Errors after which a statement is prepared again, and run again outside a transaction: a table's columns changed
 * under it (SQLSTATE 0A000, `cached plan must not change result type`), or it was deallocated (26000).
 */
const prepareAgain = (error: unknown) =>
  /cached plan must not change result type/.test(String((error as Error)?.message)) || (error as { code?: string })?.code === '26000';

/** Statements that change tables: the result types of every kept statement may have changed with them. */
const SCHEMA_COMMANDS = new Set(['ALTER', 'CREATE', 'DROP']);

/** Instances already wrapped: a second wrapper would name its statements as the first did. */
const wrapped = new WeakSet<PGlite>();

/** PGlite's own `query()` hands COPY's blob in and out; such a statement stays on it. */
const withBlob = (text: string, options: QueryOptions | undefined) => options?.blob !== undefined || text.includes('/dev/blob');

/**
 * Makes PGlite keep the statements it runs prepared, by name, as node-postgres' named statements do.
 *
 * PGlite's `query()` sends every statement as an unnamed one, parsed, analysed and planned again each time, in six
 * round trips into its WebAssembly: ~0.7 ms for a one-row lookup on this machine, where the same lookup prepared
 * once runs in ~0.09 ms (its plan kept, PostgreSQL's default `plan_cache_mode`). A library's requests and
 * pipeline steps repeat the same few hundred statements, so `query()` and the queries of `transaction()` (what
 * drizzle calls) go through statements prepared on first use and kept in a least-recently-used set; anything
 * else (`exec`, COPY from or to a blob) is PGlite's own. Values are sent and results read with PGlite's serializers
 * and parsers (and a caller's): the same values come back. After a statement that changes tables (ALTER, CREATE,
 * DROP — the embedding column's size changes with the CLIP model, db/vectors.ts) or an `exec`, every statement is
 * prepared afresh: one kept from before could answer with the old columns' types, inside a transaction too.
 */
export function keepStatementsPrepared(pg: PGlite, limit = MAX_PREPARED): void {
  if (wrapped.has(pg)) return;
  wrapped.add(pg);
  const prepared = new Map<string, Prepared>(); // in order of last use
  const evicted: string[] = []; // closed with the next statement prepared
  let counter = 0;

  const run = async (messages: Uint8Array[], options?: QueryOptions) =>
    pg.execProtocolStream(concat(messages), { syncToFs: false, onNotice: options?.onNotice });

  async function statementFor(text: string, paramTypes: number[] | undefined): Promise<Prepared> {
    const key = paramTypes?.length ? `${paramTypes.join(',')}:${text}` : text;
    const known = prepared.get(key);
    if (known) {
      prepared.delete(key);
      prepared.set(key, known);
      return known;
    }
    const name = `shoebox_${++counter}`;
    const closed = evicted.splice(0);
    const closing = closed.map((old) => serialize.close({ type: 'S', name: old }));
    let described;
    try {
      described = await run([...closing, serialize.parse({ name, text, types: paramTypes }), serialize.describe({ type: 'S', name }), serialize.sync()]);
    } catch (error) {
      evicted.push(...closed, name); // whatever of them the database still holds is closed next time (a missing one is no error)
      throw error;
    }
    const statement = { name, paramTypes: parse.parseDescribeStatementResults(described) };
    prepared.set(key, statement);
    if (prepared.size > limit) {
      const [oldest, old] = prepared.entries().next().value!;
      prepared.delete(oldest);
      evicted.push(old.name);
    }
    return statement;
  }

  function forget(name?: string): void {
    for (const [key, statement] of prepared) {
      if (name !== undefined && statement.name !== name) continue;
      prepared.delete(key);
      evicted.push(statement.name);
    }
  }

  /** One statement, run under PGlite's query lock (taken by the caller's path, as PGlite's own query does). */
  async function execute(text: string, params: unknown[], options: QueryOptions | undefined, inTransaction: boolean): Promise<Results<never>> {
    return pg._runExclusiveQuery(async () => {
      let messages;
      try {
        messages = await bindAndExecute(text, params, options);
      } catch (error) {
        if (inTransaction || !prepareAgain(error)) throw described(error, text, params, options);
        try {
          messages = await bindAndExecute(text, params, options);
        } catch (again) {
          throw described(again, text, params, options);
        }
      }
      if (!inTransaction) await pg.syncToFs();
      const result = resultOf(messages, pg.parsers, options);
      if (SCHEMA_COMMANDS.has(result.command ?? '')) forget();
      return result as Results<never>;
    });
  }

  async function bindAndExecute(text: string, params: unknown[], options: QueryOptions | undefined) {
    const statement = await statementFor(text, options?.paramTypes);
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const type = statement.paramTypes[i]!;
      const serializer = options?.serializers?.[type] ?? pg.serializers[type];
      return serializer ? serializer(value) : String(value);
    });
    try {
      return await run(
        [serialize.bind({ statement: statement.name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()],
        options,
      );
    } catch (error) {
      if (prepareAgain(error)) forget(statement.name);
      throw error;
    }
  }

  const ownQuery = pg.query.bind(pg);
  const ownTransaction = pg.transaction.bind(pg);
  const ownExec = pg.exec.bind(pg);

  // `exec` runs scripts (migrations, VACUUM, SET): after one, the kept statements are prepared afresh
  pg.exec = async (text: string, options?: QueryOptions) => {
    try {
      return await ownExec(text, options);
    } finally {
      forget();
    }
  };

  pg.query = async <T>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> => {
    if (withBlob(text, options)) return ownQuery<T>(text, params, options);
    await pg._checkReady();
    return pg._runExclusiveTransaction(() => execute(text, params, options, false)) as Promise<Results<T>>;
  };

  pg.transaction = async <T>(callback: (tx: Transaction) => Promise<T>): Promise<T> =>
    ownTransaction((tx) => {
      const ownTxQuery = tx.query.bind(tx);
      tx.query = async <R>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<R>> => {
        if (tx.closed) throw new Error('Transaction is closed');
        if (withBlob(text, options)) return ownTxQuery<R>(text, params, options);
        return execute(text, params, options, true) as Promise<Results<R>>;
      };
      return callback(tx);
    });
}

type Parser = (text: string, typeId: number) => unknown;
type Message = { name: string };

/**
 * The result of one statement, as PGlite's `parseResults` gives it (rows, fields, command, counts), with each
 * column's parser looked up once a result instead of PGlite's copy of its whole parser table (369 types with the
 * array types) for every statement given parsers of its own, as drizzle gives each: ~0.1 ms a statement.
 */
function resultOf(messages: Message[], parsers: Record<number, Parser>, options?: QueryOptions): Results {
  let result: Results | undefined;
  let fields: { name: string; dataTypeID: number }[] = [];
  let columnParsers: (Parser | undefined)[] = [];
  let rows: unknown[] = [];
  let affectedRows = 0;
  const parseValue = (value: string | null, column: number) => {
    if (value === null) return null;
    const parser = columnParsers[column];
    return parser ? parser(value, fields[column]!.dataTypeID) : value;
  };
  for (const message of messages) {
    if (message.name === 'rowDescription') {
      fields = (message as messages.RowDescriptionMessage).fields.map(({ name, dataTypeID }) => ({ name, dataTypeID }));
      const own = options?.parsers as Record<number, Parser> | undefined;
      columnParsers = fields.map(({ dataTypeID }) => own?.[dataTypeID] ?? parsers[dataTypeID] ?? (types.parsers as Record<number, Parser>)[dataTypeID]);
    } else if (message.name === 'dataRow') {
      const values = (message as messages.DataRowMessage).fields;
      if (options?.rowMode === 'array') rows.push(values.map(parseValue));
      else {
        const row: Record<string, unknown> = {};
        for (let column = 0; column < values.length; column++) row[fields[column]!.name] = parseValue(values[column]!, column);
        rows.push(row);
      }
    } else if (message.name === 'commandComplete') {
      const words = (message as messages.CommandCompleteMessage).text.split(' ');
      const command = words[0]!;
      const count = Number.parseInt(words[words.length - 1]!, 10);
      if (['INSERT', 'UPDATE', 'DELETE', 'COPY', 'MERGE'].includes(command)) affectedRows += count;
      result ??= { rows, fields, command, affectedRows, ...(Number.isNaN(count) ? {} : { rowCount: count }) } as Results;
      rows = [];
      fields = [];
    }
  }
  return result ?? { affectedRows: 0, rows: [], fields: [] };
}

/** PGlite's own errors carry the statement, as its `query()` adds them. */
function described(error: unknown, query: string, params: unknown[], options: QueryOptions | undefined): unknown {
  if (error && typeof error === 'object') Object.assign(error, { query, params, queryOptions: options });
  return error;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}
