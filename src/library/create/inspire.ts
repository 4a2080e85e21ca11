// "Inspired by this photo": the caption endpoint's vision model writes an image-generation prompt from a photo —
// subjects, composition, style, mood, colours — without names or anything that identifies a person or a place.
// The user edits it, then generates from it.
import { and, eq, isNull } from 'drizzle-orm';
import { photos } from '../../db/schema.js';
import { ChatClient, type ChatMessage } from '../../ml/captions/chat.js';
import { imageDataUrl } from '../../ml/captions/image.js';
import { extractJsonObject } from '../../ml/captions/parse.js';
import { CaptionError } from '../../ml/captions/provider.js';
import { derivedKey } from '../../storage/keys.js';
import { ServiceUnavailableError, UserError } from '../../base/errors.js';
import type { Library } from '../library.js';
import { cleanPrompt, MAX_PROMPT_CHARS } from './requests.js';
import { owns } from '../../scope/rows.js';

export const NO_CAPTION_ENDPOINT =
  'writing a prompt from a photo needs a vision model: set SHOEBOX_CAPTION_URL and SHOEBOX_CAPTION_MODEL (any OpenAI-compatible endpoint, e.g. Ollama with llava)';

const SYSTEM = [
  'You write prompts for an image-generation model. Look at the photo and write one prompt that would make a new image in its spirit.',
  'Describe: the main subjects (generically: "a woman", "an old fishing boat"), the composition and framing, the style (photographic, lens, light, or the art style),',
  'the mood, and the main colours.',
  'Never include names of people, brands, places, text visible in the photo, licence plates, or anything else that identifies a person or a place.',
  'Answer with JSON only: {"prompt": "…", "negativePrompt": "…"} where negativePrompt lists what to avoid (may be empty).',
  `The prompt is one paragraph of at most 120 words.`,
].join(' ');

const JSON_SCHEMA = {
  name: 'generation_prompt',
  schema: {
    type: 'object',
    properties: { prompt: { type: 'string' }, negativePrompt: { type: 'string' } },
    required: ['prompt', 'negativePrompt'],
    additionalProperties: false,
  },
};

export interface InspiredPrompt {
  prompt: string;
  negativePrompt: string | null;
  model: string;
}

/** A prompt written from the user's photo; 409 without a caption endpoint or before the photo has its preview. */
export async function promptFromPhoto(lib: Library, photoId: string, signal?: AbortSignal): Promise<InspiredPrompt> {
  const [photo] = await lib.db
    .select({ storageLocation: photos.storageLocation, thumbnailAt: photos.thumbnailAt })
    .from(photos)
    .where(and(eq(photos.id, photoId), owns(lib, photos), isNull(photos.deletedAt)));
  if (!photo) throw new UserError('not-found', `no photo with id ${photoId}`);
  const { url, model, apiKey, timeoutMs, maxAttempts } = lib.settings.ml.caption;
  if (!url || !model) throw new UserError('conflict', NO_CAPTION_ENDPOINT);
  if (!photo.thumbnailAt) throw new UserError('conflict', 'the photo has no preview yet: try again once its thumbnail is made');
  const client = new ChatClient({ baseUrl: url, model, apiKey, timeoutMs, maxAttempts });
  const file = await lib.storage.at(photo.storageLocation).localFile(derivedKey(photoId, 'preview.jpg'));
  let image: string;
  try {
    image = await imageDataUrl(file.path, 1024);
  } finally {
    await file.release();
  }
  const messages: ChatMessage[] = [
    { role: 'system', content: SYSTEM },
    {
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: image } },
        { type: 'text', text: 'Write the prompt for this photo.' },
      ],
    },
  ];
  let lastError = '';
  for (let attempt = 1; attempt <= (maxAttempts ?? 3); attempt++) {
    try {
      const reply = await client.complete(messages, { jsonSchema: JSON_SCHEMA, signal });
      const parsed = parsePromptReply(reply.content);
      if (typeof parsed !== 'string') return { ...parsed, model };
      lastError = parsed;
    } catch (error) {
      // the endpoint down is worth trying again (503); a refused key or request is the settings' to fix (409)
      if (error instanceof CaptionError) throw error.retryable ? new ServiceUnavailableError(error.message) : new UserError('conflict', error.message);
      throw error;
    }
  }
  throw new UserError('conflict', `the caption model ${model} gave no usable prompt in ${maxAttempts ?? 3} attempt(s): ${lastError}`);
}

/** The prompt from the model's reply (JSON, or failing that the plain text), or why it is not usable. */
export function parsePromptReply(content: string): { prompt: string; negativePrompt: string | null } | string {
  const extracted = extractJsonObject(content);
  let prompt: string;
  let negative = '';
  if (extracted.ok) {
    if (typeof extracted.value.prompt !== 'string') return 'the reply has no "prompt" string';
    prompt = extracted.value.prompt;
    negative = typeof extracted.value.negativePrompt === 'string' ? extracted.value.negativePrompt : '';
  } else {
    prompt = content; // a model that ignored the format but wrote a prompt
  }
  prompt = cleanPrompt(prompt.replace(/\s+/g, ' '));
  if (prompt.length < 10) return 'the prompt is empty or too short';
  if (prompt.length > MAX_PROMPT_CHARS) prompt = prompt.slice(0, MAX_PROMPT_CHARS);
  const negativePrompt = cleanPrompt(negative.replace(/\s+/g, ' ')).slice(0, MAX_PROMPT_CHARS);
  return { prompt, negativePrompt: negativePrompt || null };
}
