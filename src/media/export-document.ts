// The check every JSON file at the top of an export goes through on import (`albums.json`, `photos.json`): JSON,
// then the file's schema, a refusal naming the file and the first field that does not fit. Pure.
import type { z } from 'zod';

/** The document `text` holds by `schema`; throws "<file> is not a Shoebox export's list of <what> (…)" otherwise. */
export function parseExportDocument<T>(text: string, file: string, what: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file} is not a Shoebox export's list of ${what} (${issue.path.join('.') || 'top'}: ${issue.message})`);
  }
  return parsed.data;
}
