import { describe, expect, it } from 'vitest';

import { categoriesForTags, SEED_CATEGORIES, TEXT_PROMPTS } from '../../src/ml/tags/categories.js';
import { fixArticles, GROUPS, promptsFor, TAG_KINDS, TEMPLATES, VOCABULARY } from '../../src/ml/tags/vocabulary.js';

const byName = new Map(VOCABULARY.map((e) => [e.name, e]));

describe('vocabulary', () => {
  it('holds a few thousand tags with unique, clean names', () => {
    expect(VOCABULARY.length).toBeGreaterThanOrEqual(2000);
    expect(VOCABULARY.length).toBeLessThanOrEqual(4000);
    expect(byName.size).toBe(VOCABULARY.length);
    for (const { name } of VOCABULARY) {
      expect(name, name).toMatch(/^[a-z0-9][a-z0-9 '&.-]*[a-z0-9]$/);
      expect(name, name).not.toMatch(/\s{2}/);
    }
  });

  it('has every kind, and aliases that never shadow a name or each other', () => {
    for (const kind of TAG_KINDS)
      expect(
        VOCABULARY.some((e) => e.kind === kind),
        kind,
      ).toBe(true);
    const aliases = VOCABULARY.flatMap((e) => e.aliases ?? []);
    expect(new Set(aliases).size).toBe(aliases.length);
    for (const alias of aliases) expect(byName.has(alias), alias).toBe(false);
  });

  it('has the plain colour words the fixture CLIP model understands', () => {
    for (const colour of ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'brown', 'black', 'white', 'gray']) {
      expect(byName.get(colour)?.kind, colour).toBe('colour');
    }
  });

  it('has valid templates: one slot each, whole sentences', () => {
    for (const kind of TAG_KINDS) {
      expect(TEMPLATES[kind].length, kind).toBeGreaterThan(0);
      for (const t of TEMPLATES[kind]) {
        expect(t.split('{}')).toHaveLength(2);
        expect(t).toMatch(/^[a-z].*\.$/);
      }
    }
  });

  it('writes well-formed prompts for every entry', () => {
    const all = VOCABULARY.flatMap((e) => promptsFor(e).map((p) => [e.name, p] as const));
    expect(new Set(all.map(([, p]) => p)).size).toBe(all.length);
    for (const [name, p] of all) {
      expect(p, name).not.toContain('{}');
      expect(p, name).toMatch(/^[a-z].*\.$/);
      expect(p, name).not.toMatch(/\b(a|an|the) (a|an|the) /);
      expect(fixArticles(p), name).toBe(p);
    }
    // Text for the whole vocabulary stays around two prompts a tag (~10 ms each on CPU).
    expect(all.length).toBeLessThan(VOCABULARY.length * 2.5);
  });

  it('chooses articles by sound and keeps the noun phrases given', () => {
    expect(promptsFor(byName.get('orange')!)[0]).toBe('an orange photo.');
    expect(promptsFor(byName.get('orange fruit')!)[0]).toBe('a photo of an orange fruit.');
    expect(promptsFor(byName.get('umbrella')!)[0]).toBe('a photo of an umbrella.');
    expect(promptsFor(byName.get('unicycle')!)[0]).toBe('a photo of a unicycle.');
    expect(promptsFor(byName.get('hourglass')!)[0]).toBe('a photo of an hourglass.');
    expect(promptsFor(byName.get('rice')!)[0]).toBe('a photo of a bowl of rice.');
    expect(promptsFor(byName.get('eiffel tower')!)[0]).toBe('a photo of the eiffel tower.');
    expect(promptsFor(byName.get('hiking')!)[0]).toBe('a photo of people hiking.');
    expect(promptsFor(byName.get('soccer')!)[0]).toBe('a photo of people playing soccer.');
    expect(promptsFor(byName.get('wedding')!)[0]).toBe('a photo taken at a wedding.');
    expect(promptsFor(byName.get('receipt')!)).toEqual(['a photo of a receipt.', 'a scan of a receipt.']);
    expect(promptsFor(byName.get('sofa')!)).toContain('a photo of a couch.');
    expect(promptsFor(byName.get('french fries')!)).toContain('a photo of fries.');
  });

  it('covers the document types and scenes the library relies on', () => {
    for (const name of [
      'receipt',
      'invoice',
      'menu',
      'handwritten note',
      'screenshot',
      'whiteboard',
      'sign',
      'book page',
      'business card',
      'ticket',
      'map',
      'poster',
    ]) {
      expect(byName.get(name)?.kind, name).toBe('document');
    }
    for (const name of ['beach', 'forest', 'mountain', 'city street', 'kitchen', 'office', 'restaurant', 'stadium']) {
      expect(byName.get(name)?.kind, name).toBe('scene');
    }
    for (const name of ['hiking', 'cooking', 'swimming']) expect(byName.get(name)?.kind, name).toBe('activity');
    for (const name of ['wedding', 'birthday party', 'concert']) expect(byName.get(name)?.kind, name).toBe('event');
    expect(Object.values(GROUPS).flat()).toHaveLength(VOCABULARY.length);
  });
});

describe('seed categories', () => {
  it('are the ten seeds, each labelled and non-empty', () => {
    expect(SEED_CATEGORIES.map((c) => c.name).sort()).toEqual([
      'animals',
      'architecture',
      'documents',
      'electronics',
      'events',
      'food',
      'landscape',
      'people',
      'plants',
      'vehicles',
    ]);
    for (const c of SEED_CATEGORIES) {
      expect(c.label.length, c.name).toBeGreaterThan(0);
      expect(c.tags.length, c.name).toBeGreaterThan(20);
      expect(new Set(c.tags).size, c.name).toBe(c.tags.length);
    }
  });

  it('map only to tags that exist in the vocabulary', () => {
    for (const c of SEED_CATEGORIES) {
      const missing = c.tags.filter((t) => !byName.has(t));
      expect(missing, c.name).toEqual([]);
    }
  });

  it('put everyday tags where a user would look for them, some in several', () => {
    const of = (tag: string) =>
      SEED_CATEGORIES.filter((c) => c.tags.includes(tag))
        .map((c) => c.name)
        .sort();
    expect(of('laptop')).toEqual(['electronics']);
    expect(of('pizza')).toEqual(['food']);
    expect(of('beach')).toEqual(['landscape']);
    expect(of('receipt')).toEqual(['documents']);
    expect(of('dog')).toEqual(['animals']);
    expect(of('bicycle')).toEqual(['vehicles']);
    expect(of('cathedral')).toEqual(['architecture']);
    expect(of('rose')).toEqual(['plants']);
    expect(of('wedding')).toEqual(['events']);
    expect(of('hiking')).toEqual(['people']);
    expect(of('christmas tree')).toEqual(['events', 'plants']);
    expect(of('mushroom')).toEqual(['food', 'plants']);
  });

  it('derive a photo’s categories from its tags', () => {
    expect(
      categoriesForTags([
        { name: 'beach', confidence: 0.9 },
        { name: 'dog', confidence: 0.7 },
        { name: 'palm tree', confidence: 0.6 },
        { name: 'no such tag', confidence: 1 },
      ]),
    ).toEqual([
      { name: 'landscape', confidence: 0.9 },
      { name: 'animals', confidence: 0.7 },
      { name: 'plants', confidence: 0.6 },
    ]);
    expect(categoriesForTags([])).toEqual([]);
  });
});

describe('text prompts', () => {
  it('have both sides, distinct from each other', () => {
    expect(TEXT_PROMPTS.text.length).toBeGreaterThanOrEqual(10);
    expect(TEXT_PROMPTS.noText.length).toBeGreaterThanOrEqual(10);
    const all = [...TEXT_PROMPTS.text, ...TEXT_PROMPTS.noText];
    expect(new Set(all).size).toBe(all.length);
  });
});
