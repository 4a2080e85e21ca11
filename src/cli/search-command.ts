import fs from 'node:fs';
import path from 'node:path';
import { searchQuery, similarQuery, filtersOf } from '../api/search-schemas.js';
import type { Settings } from '../config/settings.js';
import { withLibrary } from './listing.js';
import { findServer } from './target.js';

export interface SearchFlags {
  mode?: string;
  json?: boolean;
  limit?: string;
  page?: string;
  like?: string;
  server?: string;
  from?: string;
  to?: string;
  camera?: string;
  place?: string;
  tag?: string[];
  category?: string[];
  person?: string[];
  cutoff?: string;
  exact?: boolean;
}

interface Hit {
  photo: { id: string; filename: string; takenAt: string | null };
  score?: number;
  similarity?: number;
  explanation?: {
    keyword: { rank: number; fuzzy: boolean; matches: { field: string; words: string[] }[] } | null;
    semantic: { rank: number; similarity: number } | null;
    satisfies?: string[];
  };
}

/** The flags as the API's query string: the same names, the same validation, wherever the search runs. */
function queryOf(query: string | null, flags: SearchFlags): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  const set = (name: string, value: string | string[] | undefined) => {
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) params[name] = value;
  };
  if (query !== null) set('q', query);
  if (query !== null) set('mode', flags.mode);
  if (query !== null) set('page', flags.page);
  if (query !== null) set('cutoff', flags.cutoff);
  if (query !== null && flags.exact) set('understand', 'false');
  // "last summer" is this machine's user's: its zone
  if (query !== null) set('tz', Intl.DateTimeFormat().resolvedOptions().timeZone || undefined);
  set('limit', flags.limit);
  set('from', flags.from);
  set('to', flags.to);
  set('camera', flags.camera);
  set('place', flags.place);
  set('tags', flags.tag);
  set('categories', flags.category);
  set('people', flags.person);
  return params;
}

function problemsOf(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`).join('; ');
}

function why(hit: Hit): string {
  if (hit.similarity !== undefined) return `similarity ${hit.similarity.toFixed(3)}`;
  const parts: string[] = [];
  const keyword = hit.explanation?.keyword;
  if (keyword) {
    const fields = keyword.matches.map((m) => `${m.field}: ${m.words.join(' ')}`).join('; ');
    parts.push(`keyword #${keyword.rank}${keyword.fuzzy ? ' (similar words)' : ''}${fields ? ` [${fields}]` : ''}`);
  }
  const semantic = hit.explanation?.semantic;
  if (semantic) parts.push(`semantic #${semantic.rank} (${semantic.similarity.toFixed(3)})`);
  const satisfies = hit.explanation?.satisfies ?? [];
  if (satisfies.length > 0) parts.push(`matches ${satisfies.join(' · ')}`);
  return parts.join(' + ');
}

interface Understood {
  text: string;
  parts: { kind: string; label: string; negated: boolean }[];
  didYouMean: { text: string; options: { name: string }[] }[];
}

function print(result: { items: Hit[]; total?: number; notices?: string[]; mode?: string; understood?: Understood | null }, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  for (const notice of result.notices ?? []) process.stderr.write(`note: ${notice}\n`);
  const understood = result.understood;
  if (understood && understood.parts.some((p) => p.kind !== 'text')) {
    const parts = understood.parts.filter((p) => p.kind !== 'text').map((p) => `${p.kind} ${p.negated && !/^(no|not) /.test(p.label) ? 'not ' : ''}${p.label}`);
    process.stderr.write(`understood: ${parts.join(' · ')}${understood.text ? ` · words “${understood.text}”` : ''} (--exact: as typed)\n`);
    for (const ask of understood.didYouMean) process.stderr.write(`did you mean: ${ask.options.map((o) => o.name).join(', ')} (for “${ask.text}”)?\n`);
  }
  if (result.items.length === 0) {
    process.stderr.write('No photos found.\n');
    return;
  }
  for (const [i, hit] of result.items.entries()) {
    const date = hit.photo.takenAt ? hit.photo.takenAt.slice(0, 10) : '          ';
    process.stdout.write(`${String(i + 1).padStart(3)}  ${date}  ${hit.photo.filename}  ${hit.photo.id}\n       ${why(hit)}\n`);
  }
  if (result.total !== undefined) process.stderr.write(`${result.items.length} of ${result.total} (${result.mode})\n`);
}

/** `shoebox search "query"` or `shoebox search --like photo.jpg`: through a running server, else the library directly. */
export async function searchCommand(query: string | undefined, settings: Settings, flags: SearchFlags): Promise<void> {
  if (!query && !flags.like) throw new Error('give a query, or --like <image file>');
  if (flags.like && !fs.existsSync(flags.like)) throw new Error(`no such file: ${flags.like}`);
  const params = queryOf(flags.like ? null : query!, flags);
  const parsed = flags.like ? similarQuery.safeParse(params) : searchQuery.safeParse(params);
  if (!parsed.success) throw new Error(problemsOf(parsed.error));

  const server = await findServer(settings, flags.server);
  if (server) {
    const result = flags.like ? await server.similarToFile(flags.like, params) : await server.search(params);
    print(result as { items: Hit[]; understood?: Understood | null }, Boolean(flags.json));
    return;
  }
  await withLibrary(settings, 'search', async (lib) => {
    const { searchLibrary, similarToImage } = await import('../library/photo-search/index.js');
    if (flags.like) {
      const options = parsed.data as ReturnType<typeof similarQuery.parse>;
      const result = await similarToImage(lib, flags.like, path.basename(flags.like), {
        filters: filtersOf(options),
        limit: options.limit,
        minSimilarity: options.minSimilarity,
      });
      print(result as { items: Hit[] }, Boolean(flags.json));
    } else {
      const q = parsed.data as ReturnType<typeof searchQuery.parse>;
      const result = await searchLibrary(lib, {
        q: q.q,
        mode: q.mode,
        page: q.page,
        limit: q.limit,
        cutoff: q.cutoff,
        rrfK: q.k,
        filters: filtersOf(q),
        understand: q.understand,
        timeZone: q.tz,
        today: q.today,
      });
      print(result as { items: Hit[]; understood: Understood | null }, Boolean(flags.json));
    }
  });
}
