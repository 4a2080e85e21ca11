// Bounds on the work one XMP sidecar can cause. ExifTool's XMP parser is slow on some shapes that stay under the
// 4 MB size cap: deeply nested elements (quadratic: 144 KB nested 4,000 deep took 31 s), and tens of thousands of
// distinct property names (2 MB of them: 7 s and 580 MB). A 3.4 MB sidecar ran past ExifTool's 30 s timeout twice
// (63 s) and was then ignored without a word; 80,000 keywords held the server's main thread for 2.6 s. So a
// sidecar's shape is measured first, in one linear pass, and one past these limits is not read, with a note on the
// metadata step that says why; so is one ExifTool fails on.

import { readFile, stat } from 'node:fs/promises';

/** Deepest element nesting read (Lightroom, digiKam and darktable sidecars stay under 15 levels). */
export const MAX_XMP_DEPTH = 100;
/** Most distinct element and attribute names (a Lightroom sidecar has a few hundred). */
export const MAX_XMP_NAMES = 5_000;
/**
 * Most elements and attributes. exiftool-vendored turns ExifTool's answer into tags on the server's main thread at
 * ~30 µs a value (80,000 keywords: 2.6 s of a blocked event loop); 25,000 keeps it under a second.
 */
export const MAX_XMP_NODES = 25_000;
/** Keywords kept per photo, and the longest kept. */
export const MAX_KEYWORDS = 1_000;
export const MAX_KEYWORD_LENGTH = 200;

export interface XmpShape {
  depth: number;
  names: number;
  nodes: number;
}

// An element's start or end tag, with its attributes; comments, PIs and CDATA start with `<!` or `<?` and do not match.
// Names are taken whole (`(?=(…))\2`: no backtracking into them) and an attribute starts only where a name does: a
// 4 MB sidecar of one unclosed tag or one long name made the plain patterns quadratic (hours).
const TAG = /<(\/?)(?=([A-Za-z_][\w.:-]*))\2([^<>]*)>/g;
const ATTRIBUTE = /(?<![\w.:-])(?=([A-Za-z_][\w.:-]*))\1\s*=/g;

/** Nesting depth, distinct names and node count of an XML text, in one pass; stops counting past the limits. */
export function xmpShape(text: string): XmpShape {
  const names = new Set<string>();
  let depth = 0;
  let deepest = 0;
  let nodes = 0;
  for (const match of text.matchAll(TAG)) {
    const [, closing, name, rest] = match as unknown as [string, string, string, string];
    if (closing) {
      depth = Math.max(0, depth - 1);
      continue;
    }
    nodes += 1;
    if (names.size <= MAX_XMP_NAMES) names.add(name);
    for (const attribute of rest.matchAll(ATTRIBUTE)) {
      nodes += 1;
      if (names.size <= MAX_XMP_NAMES) names.add(`@${attribute[1]}`);
    }
    if (!rest.endsWith('/')) deepest = Math.max(deepest, (depth += 1));
  }
  return { depth: deepest, names: names.size, nodes };
}

/** Why a sidecar of this shape is not read, or null when it is within the limits. Pure. */
export function shapeProblem(shape: XmpShape): string | null {
  if (shape.depth > MAX_XMP_DEPTH) return `its elements nest ${shape.depth.toLocaleString('en')} deep, over the limit of ${MAX_XMP_DEPTH}`;
  if (shape.names > MAX_XMP_NAMES) return `it uses more than ${MAX_XMP_NAMES.toLocaleString('en')} different names, over the limit`;
  if (shape.nodes > MAX_XMP_NODES) {
    return `it has ${shape.nodes.toLocaleString('en')} elements and attributes, over the limit of ${MAX_XMP_NODES.toLocaleString('en')}`;
  }
  return null;
}

/** Why the sidecar at `file` is not read (too big, or a shape ExifTool is slow on), or null. */
export async function sidecarProblem(file: string, maxBytes: number): Promise<string | null> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    return 'it cannot be opened';
  }
  if (size > maxBytes) return `it is larger than ${Math.round(maxBytes / (1024 * 1024))} MB`;
  const text = await readFile(file, 'utf8').catch(() => null);
  return text === null ? 'it cannot be read' : shapeProblem(xmpShape(text));
}

/** At most MAX_KEYWORDS keywords of at most MAX_KEYWORD_LENGTH characters, and a note naming what was left out. */
export function capKeywords(keywords: readonly string[]): { keywords: string[]; note: string | null } {
  const fitting = keywords.filter((keyword) => keyword.length <= MAX_KEYWORD_LENGTH);
  const kept = fitting.slice(0, MAX_KEYWORDS);
  const parts: string[] = [];
  if (fitting.length > kept.length) {
    parts.push(`kept the first ${MAX_KEYWORDS.toLocaleString('en')} of ${fitting.length.toLocaleString('en')} keywords`);
  }
  const long = keywords.length - fitting.length;
  if (long > 0) parts.push(`left out ${long.toLocaleString('en')} keyword${long === 1 ? '' : 's'} longer than ${MAX_KEYWORD_LENGTH} characters`);
  return { keywords: kept, note: parts.length > 0 ? parts.join('; ') : null };
}
