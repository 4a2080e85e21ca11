// EXPLAIN (ANALYZE, BUFFERS) of every statement a search runs, as PostgreSQL's auto_explain writes them to the
// server's log: the search is run again on a connection of its own with auto_explain loaded, and the log's new
// lines are kept. The statements are runSearch's own, parameters and all, so nothing is rewritten by hand.
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { openDatabase, type Db } from '../../src/db/connection.js';

export interface ExplainCase {
  label: string;
  run: (db: Db) => Promise<unknown>;
}

/** The plans of each case's statements, as text (one section per case). */
export async function explainCases(url: string, serverLog: string, cases: ExplainCase[]): Promise<string> {
  let out = '';
  for (const item of cases) {
    const database = await openDatabase({ url, poolSize: 1 });
    try {
      // one connection: the settings hold for the statements the search runs next
      await database.db.execute(
        sql.raw(
          "LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_analyze = on; SET auto_explain.log_buffers = on; SET auto_explain.log_nested_statements = on",
        ),
      );
      const before = fs.statSync(serverLog).size;
      const t0 = performance.now();
      await item.run(database.db);
      const ms = Math.round((performance.now() - t0) * 10) / 10;
      await new Promise((resolve) => setTimeout(resolve, 300)); // the server writes its log after answering
      const text = fs.readFileSync(serverLog).subarray(before).toString('utf8');
      out += `### ${item.label} (${ms} ms this time)\n${text}\n`;
    } finally {
      await database.close();
    }
  }
  return out;
}
