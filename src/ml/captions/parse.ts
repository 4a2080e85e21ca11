// Local models often wrap JSON in prose, ``` fences or <think> blocks even when asked not to; this digs the
// object out rather than spending a retry on it.

/** Removes reasoning blocks (`<think>…</think>`) that some local models emit before their answer. */
export function stripReasoning(text: string): string {
  return text.replace(/<think>[\s\S]*?<\/think>/gi, '').replace(/^[\s\S]*?<\/think>/i, '');
}

export type ExtractResult = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

/** The first JSON object in `text`: fenced blocks first, then any balanced `{…}` that parses. */
export function extractJsonObject(text: string): ExtractResult {
  const cleaned = stripReasoning(text);
  const candidates: string[] = [];
  for (const m of cleaned.matchAll(/```[a-zA-Z0-9_-]*\s*\n?([\s\S]*?)```/g)) candidates.push(m[1] ?? '');
  candidates.push(cleaned);

  let lastError = 'no JSON object found in the reply';
  for (const candidate of candidates) {
    for (const slice of balancedObjects(candidate)) {
      try {
        const value: unknown = JSON.parse(slice);
        if (value && typeof value === 'object' && !Array.isArray(value)) return { ok: true, value: value as Record<string, unknown> };
      } catch (e) {
        lastError = `the reply is not valid JSON (${(e as Error).message})`;
      }
    }
  }
  return { ok: false, error: lastError };
}

/** Yields each top-level `{…}` span (string-aware); an unterminated one is yielded as is and ends the scan. */
function* balancedObjects(text: string, limit = 20): Generator<string> {
  let from = 0;
  for (let n = 0; n < limit; n++) {
    const start = text.indexOf('{', from);
    if (start < 0) return;
    const end = matchingBrace(text, start);
    if (end < 0) {
      // Unterminated (e.g. cut off by a token limit): let JSON.parse report it, then look no further.
      yield text.slice(start);
      return;
    }
    yield text.slice(start, end + 1);
    from = end + 1;
  }
}

function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}
