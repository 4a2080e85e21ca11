// What the PDQ duplicate tier (distance ≤ 31, quality ≥ 50) catches on real photos and common edits, and
// what it leaves to the next tier. Prints the figures (console.log) so they can be quoted.

import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { pairwiseScores, tieredScores, type Groups } from '../../src/library/duplicates/evaluation.js';
import { pdqWords, probeKeys } from '../../src/library/duplicates/pdq-index.js';
import { PDQ_MATCH_DISTANCE, PDQ_MIN_QUALITY } from '../../src/config/tuning.js';
import { PDQ_DIHEDRAL_NAMES, pdqDihedral, type PdqDihedralName } from '../../src/media/pdq-dihedral.js';
import { hammingDistance } from '../../src/media/pdq-distance.js';
import { decodeForPdq, pdqFromFile } from '../../src/media/pdq-file.js';
import {
  buildNearDuplicateSet,
  corpusDir,
  NEAR_DUPLICATE_EDITS,
  NEAR_DUPLICATE_SOURCES,
  type NearDuplicateEdit,
  type NearDuplicateSet,
} from '../helpers/near-duplicates.js';
import { makeTempDir } from '../helpers/temp.js';

const pdqData = path.join(corpusDir, 'threatexchange-pdq/pdq/data');

interface Hashed {
  hash: string;
  quality: number;
  dihedral: Record<PdqDihedralName, string>;
}

async function hashFile(file: string): Promise<Hashed> {
  const { hash, quality } = await pdqFromFile(file);
  const { hashes } = pdqDihedral(await decodeForPdq(file));
  return { hash, quality, dihedral: hashes };
}

async function hashAll(files: string[]): Promise<Map<string, Hashed>> {
  const out = new Map<string, Hashed>();
  for (const f of files) out.set(f, await hashFile(f));
  return out;
}

const usable = (h: Hashed): boolean => h.quality >= PDQ_MIN_QUALITY;
const distance = (a: Hashed, b: Hashed): number => hammingDistance(a.hash, b.hash);

/** Smallest distance between any orientation of `a` and `b` as stored (catches mirrors and quarter turns). */
function dihedralDistance(a: Hashed, b: Hashed): number {
  return Math.min(...PDQ_DIHEDRAL_NAMES.map((n) => hammingDistance(a.dihedral[n], b.hash)));
}

/** Single-linkage groups: connected components of the "linked" relation (union–find). */
function linkGroups(ids: string[], linked: (a: string, b: string) => boolean): string[][] {
  const parent = ids.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) if (linked(ids[i]!, ids[j]!)) parent[root(i)] = root(j);
  }
  const groups = new Map<number, string[]>();
  ids.forEach((id, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), id]));
  return [...groups.values()];
}

function pdqGroups(hashes: Map<string, Hashed>, dist: (a: Hashed, b: Hashed) => number = distance): string[][] {
  return linkGroups([...hashes.keys()], (a, b) => {
    const [ha, hb] = [hashes.get(a)!, hashes.get(b)!];
    return usable(ha) && usable(hb) && Math.min(dist(ha, hb), dist(hb, ha)) <= PDQ_MATCH_DISTANCE;
  });
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const pad = (s: string | number, n: number): string => String(s).padStart(n);

describe('pairwiseScores (hand-checked)', () => {
  it('counts pairs, not groups', () => {
    // Truth {a,b,c} {d}; predicted {a,b} {c,d}: 1 of 2 predicted pairs right, 1 of 3 true pairs found.
    const s = pairwiseScores(
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
      [['a', 'b', 'c'], ['d']],
    );
    expect(s).toMatchObject({ truePositives: 1, predictedPairs: 2, truePairs: 3, precision: 0.5 });
    expect(s.recall).toBeCloseTo(1 / 3);
    const t = tieredScores({ x: [['a', 'b']], y: [['b', 'c']] }, [['a', 'b', 'c']]);
    expect(t.overall).toMatchObject({ truePositives: 2, predictedPairs: 2, precision: 1 });
    expect(pairwiseScores([], [['a']])).toMatchObject({ precision: 1, recall: 1 });
  });
});

describe('PDQ tier on near-duplicates of corpus photos', () => {
  let dir = '';
  let set: NearDuplicateSet;
  let hashes: Map<string, Hashed>;
  const pathOf = (source: string, edit: NearDuplicateEdit): string => set.files.find((f) => f.source === source && f.edit === edit)!.path;
  const editOf = (source: string, edit: NearDuplicateEdit): Hashed => hashes.get(pathOf(source, edit))!;
  const originalOf = (source: string): Hashed => editOf(source, 'original');
  const sources = Object.keys(NEAR_DUPLICATE_SOURCES);

  beforeAll(async () => {
    dir = await makeTempDir('shoebox-near-dup-');
    set = await buildNearDuplicateSet(dir);
    hashes = await hashAll(set.files.map((f) => f.path));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('builds ≥ 6 sources × 8 files and ≥ 6 unrelated photos, all hashable with quality ≥ 50', () => {
    expect(sources.length).toBeGreaterThanOrEqual(6);
    expect(set.files.filter((f) => f.edit === 'unrelated').length).toBeGreaterThanOrEqual(6);
    for (const s of sources) expect(set.truth.get(s)).toHaveLength(1 + NEAR_DUPLICATE_EDITS.length);
    for (const f of set.files) expect(hashes.get(f.path)!.quality, f.path).toBeGreaterThanOrEqual(PDQ_MIN_QUALITY);
    // The dihedral "original" is the plain hash: one DCT, two code paths.
    for (const h of hashes.values()) expect(h.dihedral.original).toBe(h.hash);
  });

  it('prints the per-edit distance table', () => {
    const rows: [string, (s: string) => number][] = [
      ...NEAR_DUPLICATE_EDITS.map((e): [string, (s: string) => number] => [e, (s) => distance(originalOf(s), editOf(s, e))]),
      ['mirror, best dihedral', (s) => dihedralDistance(editOf(s, 'mirror'), originalOf(s))],
    ];
    const lines = [`${'edit'.padEnd(22)}${sources.map((s) => pad(s, 9)).join('')}   ≤31`];
    for (const [name, d] of rows) {
      const ds = sources.map(d);
      const within = ds.filter((x) => x <= PDQ_MATCH_DISTANCE).length;
      lines.push(`${name.padEnd(22)}${ds.map((x) => pad(x, 9)).join('')}   ${within}/${ds.length}`);
    }
    console.log(`PDQ distance of each edit to its source:\n${lines.join('\n')}`);
  });

  it('matches resize, recompression, brightness/contrast and a corner watermark (≤ 31)', () => {
    for (const edit of ['resize-50', 'jpeg-q20', 'tone', 'watermark'] as const) {
      for (const s of sources) expect(distance(originalOf(s), editOf(s, edit)), `${s} ${edit}`).toBeLessThanOrEqual(31);
    }
  });

  it('does not match a 3 % crop or a 3° straighten: geometry moves every DCT basis (> 31)', () => {
    for (const edit of ['crop-3pct', 'rotate-3deg'] as const) {
      for (const s of sources) expect(distance(originalOf(s), editOf(s, edit)), `${s} ${edit}`).toBeGreaterThan(31);
    }
  });

  it('misses a mirror directly, but the flipy dihedral hash of the mirror matches the source', () => {
    for (const s of sources) {
      const [orig, mirror] = [originalOf(s), editOf(s, 'mirror')];
      expect(distance(orig, mirror), s).toBeGreaterThan(31);
      expect(hammingDistance(mirror.dihedral.flipy, orig.hash), s).toBeLessThanOrEqual(31);
      expect(hammingDistance(orig.dihedral.flipy, mirror.hash), s).toBeLessThanOrEqual(31);
    }
  });

  it('keeps different photos apart: every cross-photo distance, unrelated ones included, is > 31', () => {
    let min = 256;
    for (const a of set.files) {
      for (const b of set.files) {
        if (a.source === b.source) continue;
        min = Math.min(min, dihedralDistance(hashes.get(a.path)!, hashes.get(b.path)!));
      }
    }
    console.log(`smallest distance between different photos (any orientation): ${min}`);
    expect(min).toBeGreaterThan(PDQ_MATCH_DISTANCE);
  });

  it('the multi-index probe keys reach every real match the brute-force scan finds', () => {
    const all = [...hashes.values()];
    for (const q of all) {
      const keys = probeKeys(q.hash);
      const probed = new Set(keys.idx.map((n, k) => `${n}:${keys.word[k]}`));
      for (const s of all) {
        if (distance(q, s) > PDQ_MATCH_DISTANCE) continue;
        expect(pdqWords(s.hash).some((w, n) => probed.has(`${n}:${w}`))).toBe(true);
      }
    }
  });

  it('scores single-linkage grouping at PDQ ≤ 31 (precision / recall over pairs)', () => {
    const truth: Groups = [...set.truth.values()];
    const scores = tieredScores({ 'pdq ≤31': pdqGroups(hashes), 'pdq ≤31 any orientation': pdqGroups(hashes, dihedralDistance) }, truth);
    const groups = pdqGroups(hashes);
    const together = (a: string, b: string): boolean => groups.some((g) => g.includes(a) && g.includes(b));
    const perEdit = NEAR_DUPLICATE_EDITS.map((edit) => {
      const found = sources.filter((s) => together(pathOf(s, 'original'), pathOf(s, edit))).length;
      return `${edit} ${found}/${sources.length}`;
    });
    const lines = Object.entries(scores.tiers).map(
      ([name, s]) =>
        `${name.padEnd(26)} precision ${pct(s.precision)} (${s.truePositives}/${s.predictedPairs})` +
        `  recall ${pct(s.recall)} (${s.truePositives}/${s.truePairs})`,
    );
    console.log(`pairwise scores on ${set.files.length} files:\n${lines.join('\n')}\n` + `grouped with their source: ${perEdit.join(', ')}`);
    for (const s of Object.values(scores.tiers)) expect(s.precision).toBe(1);
    // Original + 4 photometric edits = 5 files = 10 of a source's 28 pairs; with the mirror, 15 of 28.
    expect(scores.tiers['pdq ≤31']!.recall).toBeGreaterThanOrEqual(10 / 28 - 1e-9);
    expect(scores.tiers['pdq ≤31 any orientation']!.recall).toBeGreaterThanOrEqual(15 / 28 - 1e-9);
  });
});

describe('PDQ on ThreatExchange bridge-mods and labelme photos', () => {
  let bridge: Map<string, Hashed>;
  let labelme: Map<string, Hashed>;
  const list = async (sub: string): Promise<string[]> => (await readdir(path.join(pdqData, sub))).sort().map((f) => path.join(pdqData, sub, f));

  beforeAll(async () => {
    bridge = await hashAll(await list('bridge-mods'));
    labelme = await hashAll(await list('reg-test-input/labelme-subset'));
  });

  it('connects every bridge edit within 31, single-linkage and pairwise', () => {
    const names = [...bridge.keys()];
    let max = 0;
    let maxPair = '';
    for (const a of names) {
      for (const b of names) {
        const d = distance(bridge.get(a)!, bridge.get(b)!);
        if (d > max) [max, maxPair] = [d, `${path.basename(a)} ↔ ${path.basename(b)}`];
      }
    }
    const orig = bridge.get(names.find((n) => n.endsWith('aaa-orig.jpg'))!)!;
    const table = names.map((n) => {
      const h = bridge.get(n)!;
      return `${path.basename(n).padEnd(22)} q=${pad(h.quality, 3)}  d(orig)=${pad(distance(orig, h), 2)}`;
    });
    const groups = pdqGroups(bridge);
    console.log(
      `bridge-mods (${names.length} files):\n${table.join('\n')}\n` + `pairwise max ${max} (${maxPair}); single-linkage groups at ≤31: ${groups.length}`,
    );
    expect(names.length).toBeGreaterThanOrEqual(12);
    expect(groups).toHaveLength(1);
    expect(max).toBeLessThanOrEqual(PDQ_MATCH_DISTANCE);
  });

  it('keeps labelme photos away from the bridge, and apart from each other once gated by quality', () => {
    const lines: string[] = [];
    let min = 256;
    for (const [file, h] of labelme) {
      const d = Math.min(...[...bridge.values()].map((b) => dihedralDistance(h, b)));
      min = Math.min(min, d);
      lines.push(`${path.basename(file).padEnd(10)} q=${pad(h.quality, 3)}  min d(bridge, any orientation)=${d}`);
    }
    const all = new Map([...bridge, ...labelme]);
    const truth: Groups = [[...bridge.keys()], ...[...labelme.keys()].map((k) => [k])];
    const s = pairwiseScores(pdqGroups(all), truth);
    console.log(
      `labelme:\n${lines.join('\n')}\nbridge + labelme single-linkage ≤31 (quality ≥ 50): ` +
        `precision ${pct(s.precision)} recall ${pct(s.recall)} (${s.truePositives}/${s.truePairs})`,
    );
    expect(min).toBeGreaterThan(PDQ_MATCH_DISTANCE);
    expect(s.precision).toBe(1);
    expect(s.recall).toBe(1);
  });
});
