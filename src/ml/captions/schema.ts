import { z } from 'zod';
import { QUALITY_GRADES, type CaptionResult } from '../types.js';

/** The structured fields a model produces; `source` and `model` are added by the provider. */
export type CaptionFields = Omit<CaptionResult, 'source' | 'model'>;

export const LIMITS = {
  caption: 300,
  description: 2000,
  label: 60, // primary_category, scene_type, object names
  clusterName: 80,
  reason: 300,
  tag: 50,
  maxTags: 15,
  minTags: 5, // asked for, not enforced: see `tags` below
  maxObjects: 30,
} as const;

/**
 * JSON Schema sent as `response_format` (OpenAI strict structured outputs: every property required,
 * no additional properties; no length bounds, which strict mode and several local servers reject).
 */
export const CAPTION_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: [
    'caption',
    'description',
    'primary_category',
    'tags',
    'detected_objects',
    'scene_type',
    'suggested_cluster_name',
    'quality_grade',
    'quality_reason',
  ],
  properties: {
    caption: { type: 'string' },
    description: { type: 'string' },
    primary_category: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    detected_objects: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'confidence'],
        properties: { name: { type: 'string' }, confidence: { type: 'number' } },
      },
    },
    scene_type: { type: 'string' },
    suggested_cluster_name: { type: 'string' },
    quality_grade: { type: 'string', enum: [...QUALITY_GRADES] },
    quality_reason: { type: 'string' },
  },
} as const;

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Cuts at a word boundary when one is near, so capped captions stay readable. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}

/** A required, non-empty string. */
const requiredText = (max: number) =>
  z
    .string()
    .transform((s) => clip(collapse(s), max))
    .refine((s) => s.length > 0, 'must not be empty');

/** A string the model may leave out, null or empty: all become null. */
const optionalText = (max: number, lower = false) =>
  z
    .string()
    .nullish()
    .transform((s) => {
      const t = s == null ? '' : clip(collapse(lower ? s.toLowerCase() : s), max);
      return t.length > 0 ? t : null;
    });

/** A normalised label: lowercase, single-spaced, no leading `#`, underscores as spaces. */
export function normaliseLabel(s: string, max: number): string {
  return clip(collapse(s.toLowerCase().replace(/_/g, ' ').replace(/^#+/, '')), max).replace(/^["'`]+|["'`.]+$/g, '');
}

/**
 * 0–1. "87%" and numbers from 2 to 100 are read as percentages (models drift into them); anything else out
 * of range (1.2, -0.1, 250) is clamped.
 */
const confidence = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^-?\d+(\.\d+)?%?$/, 'must be a number'),
  ])
  .transform((v) => {
    let n = typeof v === 'number' ? v : Number.parseFloat(v);
    if ((typeof v === 'string' && v.endsWith('%')) || (n >= 2 && n <= 100)) n /= 100;
    return Math.min(1, Math.max(0, n));
  })
  .refine((n) => Number.isFinite(n), 'must be a finite number');

/** A tag entry: a string, or an object with a name (some models echo the hint format back). */
const tagEntry = z.union([z.string(), z.number().transform(String), z.object({ name: z.string() }).transform((o) => o.name)]);

const tags = z
  .union([z.array(tagEntry), z.string().transform((s) => s.split(/[,;\n]/))])
  .transform((list) => dedupe(list.map((t) => normaliseLabel(t, LIMITS.tag)).filter(Boolean)).slice(0, LIMITS.maxTags))
  // 1–4 tags are kept as they are (a sparse scene has few things to name, and padding would invent data);
  // none at all means the model ignored the field, which is worth a repair round.
  .refine((list) => list.length > 0, 'must list 5 to 15 keywords');

const detectedObject = z
  .object({
    name: z.string().optional(),
    label: z.string().optional(),
    confidence: confidence.optional(),
    score: confidence.optional(),
  })
  .transform((o) => ({ name: normaliseLabel(o.name ?? o.label ?? '', LIMITS.label), confidence: o.confidence ?? o.score }))
  .refine((o) => o.name.length > 0, 'each object needs a "name"')
  .refine((o) => o.confidence !== undefined, 'each object needs a "confidence" between 0 and 1');

const detectedObjects = z
  .array(detectedObject)
  .nullish()
  .transform((list) => {
    // The same object listed twice keeps its highest confidence.
    const best = new Map<string, number>();
    for (const o of list ?? []) best.set(o.name, Math.max(best.get(o.name) ?? 0, o.confidence ?? 0));
    return [...best].slice(0, LIMITS.maxObjects).map(([name, c]) => ({ name, confidence: c }));
  });

/** "a", " B ", "A - sharp and bright" are all read; anything else is an error the model can repair. */
const qualityGrade = z
  .string()
  .nullish()
  .transform((g, ctx) => {
    const t = (g ?? '').trim().toUpperCase();
    if (!t || t === 'NULL' || t === 'N/A') return null;
    const m = /^([ABC])(?![A-Z])/.exec(t);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: 'must be "A", "B" or "C"' });
      return z.NEVER;
    }
    return m[1] as (typeof QUALITY_GRADES)[number];
  });

const fieldsSchema = z
  .object({
    caption: requiredText(LIMITS.caption),
    description: optionalText(LIMITS.description),
    primary_category: optionalText(LIMITS.label, true),
    tags,
    detected_objects: detectedObjects,
    scene_type: optionalText(LIMITS.label, true),
    suggested_cluster_name: optionalText(LIMITS.clusterName),
    quality_grade: qualityGrade,
    quality_reason: optionalText(LIMITS.reason),
  })
  .transform((f): CaptionFields => ({
    caption: f.caption,
    description: f.description,
    primaryCategory: f.primary_category,
    tags: f.tags,
    detectedObjects: f.detected_objects,
    sceneType: f.scene_type,
    suggestedClusterName: f.suggested_cluster_name,
    qualityGrade: f.quality_grade,
    qualityReason: f.quality_reason,
  }));

/** `primaryCategory`, `Primary Category`, `primary-category` → `primary_category`: models drift on key style. */
function snakeKeys(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = k
      .trim()
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/[\s-]+/g, '_')
      .toLowerCase();
    if (!(key in out)) out[key] = v;
  }
  return out;
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

export type ValidateResult = { ok: true; fields: CaptionFields } | { ok: false; error: string };

/** Validates and normalises a parsed model reply; the error text is written for the model to act on. */
export function validateCaptionFields(value: Record<string, unknown>): ValidateResult {
  const parsed = fieldsSchema.safeParse(snakeKeys(value));
  if (parsed.success) return { ok: true, fields: parsed.data };
  const issues = parsed.error.issues.slice(0, 8).map((i) => {
    const where = i.path.length > 0 ? i.path.join('.') : 'reply';
    return `${where}: ${i.message}`;
  });
  return { ok: false, error: issues.join('; ') };
}
