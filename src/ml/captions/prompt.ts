// Prompt texts. The schema is spelled out in words as well as sent as `response_format`, because many local
// servers (and models) ignore `response_format`; the words are what they follow.
import type { TagScore } from '../types.js';
import type { ChatContentPart, ChatMessage } from './chat.js';

export const JSON_SYSTEM_PROMPT =
  'You are a careful photo librarian cataloguing a personal photo library. ' +
  'You answer with a single JSON object and nothing else: no prose, no explanations, no Markdown code fences.';

const FIELDS = `{
  "caption": one plain sentence of at most 20 words saying what the photo shows,
  "description": 2 to 4 sentences with the details: the subjects, the setting, what is happening, colours and light, any legible text,
  "primary_category": one lowercase word or short phrase for the main subject, such as "people", "pets", "food", "landscape", "architecture", "document", "event" or "object",
  "tags": an array of 5 to 15 lowercase keywords (nouns or short phrases) someone might search for, most relevant first,
  "detected_objects": an array of {"name": string, "confidence": number from 0 to 1} for the clearly visible things,
  "scene_type": one lowercase word or short phrase such as "indoor", "outdoor", "urban", "nature", "studio" or "screenshot",
  "suggested_cluster_name": a short album-style title for a group of similar photos, such as "Beach day" or "Birthday party",
  "quality_grade": "A", "B" or "C" (A: sharp, well exposed and well composed; B: acceptable; C: blurry, badly exposed or accidental),
  "quality_reason": one short sentence explaining the grade
}`;

/** Classifier tags and file name as hints: they help small models, but must not override what is seen. */
export function hintLines(tags: readonly TagScore[], filename?: string): string[] {
  const lines: string[] = [];
  const top = [...tags]
    .filter((t) => t.name.trim() && Number.isFinite(t.confidence))
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, 10);
  if (top.length > 0) {
    const list = top.map((t) => `${clean(t.name, 50)} (${t.confidence.toFixed(2)})`).join(', ');
    lines.push(`An image classifier suggested these labels (they may be wrong; keep only what you can confirm): ${list}.`);
  }
  const name = filename ? clean(filename, 120) : '';
  if (name) lines.push(`The file is named "${name}" (camera-generated names carry no meaning).`);
  return lines;
}

/** The single-request prompt: image in, JSON out. */
export function structuredImageMessages(imageUrl: string, tags: readonly TagScore[], filename?: string): ChatMessage[] {
  const text = ['Catalogue this photo. Reply with only a JSON object with exactly these fields:', FIELDS, ...hintLines(tags, filename)].join('\n');
  return [
    { role: 'system', content: JSON_SYSTEM_PROMPT },
    { role: 'user', content: [{ type: 'text', text }, imagePart(imageUrl)] },
  ];
}

export const VISION_SYSTEM_PROMPT = 'You are a careful photo librarian describing photos for a personal photo library.';

/** Stage one of two: a plain-text description the text model can turn into fields. */
export function describeImageMessages(imageUrl: string, tags: readonly TagScore[], filename?: string): ChatMessage[] {
  const text = [
    'Describe this photo in plain text.',
    'Start with one sentence of at most 20 words that says what the photo shows.',
    'Then write a paragraph with the details: the subjects, the setting, what is happening, colours and light, ' +
      'any legible text, and whether the photo is sharp, well exposed and well composed.',
    'Do not use Markdown, lists or JSON.',
    ...hintLines(tags, filename),
  ].join('\n');
  return [
    { role: 'system', content: VISION_SYSTEM_PROMPT },
    { role: 'user', content: [{ type: 'text', text }, imagePart(imageUrl)] },
  ];
}

/** Stage two of two: fields from the description, by a text-only model. */
export function structuredFromTextMessages(description: string, tags: readonly TagScore[], filename?: string): ChatMessage[] {
  const text = [
    'Here is a description of a photo, written by someone who could see it:',
    '"""',
    description,
    '"""',
    ...hintLines(tags, filename),
    'Using only what the description supports, reply with only a JSON object with exactly these fields ' +
      '(judge quality_grade from what the description says about sharpness, exposure and composition; use "B" when it says nothing):',
    FIELDS,
  ].join('\n');
  return [
    { role: 'system', content: JSON_SYSTEM_PROMPT },
    { role: 'user', content: text },
  ];
}

/** Follow-up after an unusable reply: the reply itself, then what was wrong with it. */
export function repairMessages(reply: string, error: string): ChatMessage[] {
  return [
    { role: 'assistant', content: reply.length > 4000 ? `${reply.slice(0, 4000)}…` : reply },
    {
      role: 'user',
      content:
        `Your previous reply could not be used: ${error}. ` + 'Reply again with only the JSON object described above, with every field, and nothing else.',
    },
  ];
}

function imagePart(url: string): ChatContentPart {
  return { type: 'image_url', image_url: { url } };
}

/** Hints come from files and other models: one line, no control characters, bounded. */
function clean(s: string, max: number): string {
  const t = s
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}
