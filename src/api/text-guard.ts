// Text the database cannot hold never reaches it: Postgres refuses a NUL character in any text value, so a request
// carrying one in its path, query or JSON body is answered 400 here, naming where it was.
import type { FastifyInstance } from 'fastify';
import { UserError } from '../base/errors.js';

/** Bounds the walk through a hostile JSON body (nesting, array length). */
const MAX_DEPTH = 32;
const MAX_ITEMS = 100_000;

/** Where in `value` a string holds a NUL character (`query.q`, `body.ids[3]`), or null. */
export function findNul(value: unknown, at: string, depth = 0, budget = { items: MAX_ITEMS }): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? at : null;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || budget.items <= 0) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && budget.items-- > 0; i++) {
      const found = findNul(value[i], `${at}[${i}]`, depth + 1, budget);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (budget.items-- <= 0) return null;
    if (key.includes('\u0000')) return `${at}.${key.replace(/\u0000/g, '\\u0000')}`;
    const found = findNul(item, `${at}.${key}`, depth + 1, budget);
    if (found) return found;
  }
  return null;
}

export function refuseNulText(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const) {
      const at = findNul(value, part);
      if (at) throw new UserError('invalid', `${at}: text must not contain NUL characters (\\u0000)`);
    }
  });
}
