// Catalogue fields of a product photo, as the caption endpoint's vision model is asked for them and as they are
// checked before they are kept (pure: prompt, schema, validation, and what stands in without an endpoint).

export const QUALITY_GRADES = ['A', 'B', 'C'] as const;
export type QualityGrade = (typeof QUALITY_GRADES)[number];

export interface CatalogueFields {
  name: string;
  description: string;
  attributes: Record<string, string>;
  mainColour: string | null;
  qualityGrade: QualityGrade | null;
  qualityReason: string | null;
}

export const CATALOGUE_SYSTEM_PROMPT = [
  'You write product catalogue entries for an online shop from a product photo.',
  'Answer with JSON only, with these fields:',
  '"name": a short product name a shop would list (at most 8 words, no brand unless it is written on the product);',
  '"description": two or three sentences for the product page;',
  '"attributes": a list of {"name", "value"} pairs such as material, style, stones, finish, closure, shape (only what the photo shows);',
  '"mainColour": the product\'s main colour in plain words (e.g. "rose gold", "silver", "emerald green");',
  '"qualityGrade": "A" (sharp, well lit, clean background, ready for a shop), "B" (usable with small flaws) or "C" (blurry, badly lit or cluttered);',
  '"qualityReason": one sentence saying why.',
].join(' ');

export const CATALOGUE_JSON_SCHEMA = {
  name: 'product_catalogue_entry',
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      description: { type: 'string' },
      attributes: {
        type: 'array',
        items: {
          type: 'object',
          properties: { name: { type: 'string' }, value: { type: 'string' } },
          required: ['name', 'value'],
          additionalProperties: false,
        },
      },
      mainColour: { type: 'string' },
      qualityGrade: { type: 'string', enum: [...QUALITY_GRADES] },
      qualityReason: { type: 'string' },
    },
    required: ['name', 'description', 'attributes', 'mainColour', 'qualityGrade', 'qualityReason'],
    additionalProperties: false,
  },
};

const LIMITS = { name: 200, description: 4000, attributeName: 40, attributeValue: 200, attributes: 30, colour: 60, reason: 500 };

const clean = (value: unknown, max: number): string | null => {
  if (typeof value !== 'string') return null;
  const text = value
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text ? text.slice(0, max) : null;
};

/** The model's reply as fields, or what is wrong with it (quoted back to the model on the next try). */
export function validateCatalogueFields(value: Record<string, unknown>): { ok: true; fields: CatalogueFields } | { ok: false; error: string } {
  const name = clean(value.name, LIMITS.name);
  if (!name) return { ok: false, error: '"name" must be a non-empty string' };
  const description = clean(value.description, LIMITS.description);
  if (!description) return { ok: false, error: '"description" must be a non-empty string' };
  const attributes = attributesFrom(value.attributes);
  if (typeof attributes === 'string') return { ok: false, error: attributes };
  const grade = typeof value.qualityGrade === 'string' ? value.qualityGrade.trim().toUpperCase() : '';
  if (!(QUALITY_GRADES as readonly string[]).includes(grade)) return { ok: false, error: '"qualityGrade" must be "A", "B" or "C"' };
  return {
    ok: true,
    fields: {
      name,
      description,
      attributes,
      mainColour: clean(value.mainColour, LIMITS.colour),
      qualityGrade: grade as QualityGrade,
      qualityReason: clean(value.qualityReason, LIMITS.reason),
    },
  };
}

/** `[{name, value}]` (the schema's form) or a plain object, as lower-case names with their values. */
export function attributesFrom(value: unknown): Record<string, string> | string {
  const pairs: [unknown, unknown][] = Array.isArray(value)
    ? value.map((item) => [(item as { name?: unknown })?.name, (item as { value?: unknown })?.value])
    : value && typeof value === 'object'
      ? Object.entries(value)
      : [];
  if (value !== undefined && value !== null && !Array.isArray(value) && typeof value !== 'object') return '"attributes" must be a list of {name, value}';
  const attributes: Record<string, string> = {};
  for (const [rawName, rawValue] of pairs.slice(0, LIMITS.attributes)) {
    const name = clean(rawName, LIMITS.attributeName)?.toLowerCase();
    const text = typeof rawValue === 'number' ? String(rawValue) : clean(rawValue, LIMITS.attributeValue);
    if (name && text) attributes[name] = text;
  }
  return attributes;
}

/**
 * Without a caption endpoint: the photo's caption as name and description (or its file name), the caption step's
 * quality grade, and the colour named from the palette. Marked `fallback`.
 */
export function fallbackCatalogueFields(input: {
  filename: string;
  caption: { caption: string; description: string | null; qualityGrade: string | null; qualityReason: string | null } | null;
  colourName: string | null;
}): CatalogueFields {
  const grade = input.caption?.qualityGrade?.toUpperCase();
  const stem = input.filename
    .replace(/\.[^.]+$/, '')
    .replace(/[-_]+/g, ' ')
    .trim();
  return {
    name: (input.caption?.caption ?? (stem || 'Product')).slice(0, LIMITS.name),
    description: (input.caption?.description ?? input.caption?.caption ?? '').slice(0, LIMITS.description),
    attributes: {},
    mainColour: input.colourName,
    qualityGrade: grade && (QUALITY_GRADES as readonly string[]).includes(grade) ? (grade as QualityGrade) : null,
    qualityReason: input.caption?.qualityReason ?? null,
  };
}

/**
 * The product's colour from its palette: the largest colour that is not the white, grey or black of a studio
 * background (the palette's first colour is often the backdrop); the first one when all are neutral.
 */
export function productColour(palette: readonly { hex: string; share: number }[] | null): string | null {
  if (!palette || palette.length === 0) return null;
  const coloured = palette.filter((entry) => entry.share >= 0.03 && saturation(entry.hex) >= 0.12);
  return (coloured[0] ?? palette[0])!.hex;
}

function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function saturation(hex: string): number {
  const [r, g, b] = rgb(hex).map((v) => v / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  return max === 0 ? 0 : (max - min) / max;
}

const NAMED_COLOURS: readonly [string, number, number, number][] = [
  ['white', 245, 245, 245],
  ['silver', 192, 192, 192],
  ['grey', 128, 128, 128],
  ['black', 25, 25, 25],
  ['gold', 212, 175, 55],
  ['rose gold', 183, 110, 121],
  ['yellow', 240, 210, 60],
  ['orange', 235, 130, 40],
  ['red', 200, 30, 40],
  ['pink', 235, 150, 180],
  ['purple', 130, 60, 160],
  ['blue', 40, 80, 190],
  ['turquoise', 64, 200, 190],
  ['green', 40, 150, 70],
  ['emerald green', 0, 120, 80],
  ['brown', 120, 75, 40],
  ['beige', 225, 205, 170],
  ['copper', 184, 115, 51],
];

/** The nearest plain colour name for a hex (a fallback for `mainColour`). */
export function colourName(hex: string | null): string | null {
  if (!hex) return null;
  const [r, g, b] = rgb(hex);
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const [name, nr, ng, nb] of NAMED_COLOURS) {
    // weighted RGB distance: close enough to how people name colours, without a colour-space library
    const distance = 2 * (r - nr) ** 2 + 4 * (g - ng) ** 2 + 3 * (b - nb) ** 2;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = name;
    }
  }
  return best;
}
