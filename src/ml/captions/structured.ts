import type { ChatClient, ChatMessage, ChatReply } from './chat.js';
import { extractJsonObject } from './parse.js';
import { repairMessages } from './prompt.js';
import { CaptionError } from './provider.js';
import { CAPTION_JSON_SCHEMA, validateCaptionFields, type CaptionFields, type ValidateResult } from './schema.js';

const JSON_SCHEMA = { name: 'photo_caption', schema: CAPTION_JSON_SCHEMA };

type Validated<T> = { ok: true; fields: T } | { ok: false; error: string };

/**
 * Asks for a JSON object and validates the reply; an unusable reply is answered with a repair message quoting
 * what was wrong, up to `maxAttempts` replies in all (transport retries are counted separately). `what` names the
 * object in the final error ("JSON", "catalogue entry").
 */
export async function requestValidatedJson<T>(
  client: ChatClient,
  messages: ChatMessage[],
  options: {
    jsonSchema: { name: string; schema: object };
    validate: (value: Record<string, unknown>) => Validated<T>;
    what: string;
    maxAttempts: number;
    signal?: AbortSignal;
  },
): Promise<T> {
  let conversation = messages;
  let lastError = '';
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    const reply = await client.complete(conversation, { jsonSchema: options.jsonSchema, signal: options.signal });
    const result = interpretWith(reply, options.validate);
    if (result.ok) return result.fields;
    lastError = result.error;
    // Only the latest bad reply is quoted back: the conversation stays the size of one exchange.
    conversation = [...messages, ...repairMessages(reply.content, result.error)];
  }
  throw new CaptionError(
    'invalid-output',
    `Caption endpoint ${client.endpoint} (model ${client.model}) gave no usable ${options.what} in ${options.maxAttempts} attempt(s): ${lastError}`,
    true,
  );
}

/** Asks for the caption fields (requestValidatedJson with the caption schema). */
export function requestCaptionFields(
  client: ChatClient,
  messages: ChatMessage[],
  options: { maxAttempts: number; signal?: AbortSignal },
): Promise<CaptionFields> {
  return requestValidatedJson(client, messages, { ...options, jsonSchema: JSON_SCHEMA, validate: validateCaptionFields, what: 'JSON' });
}

export function interpretReply(reply: ChatReply): ValidateResult {
  return interpretWith(reply, validateCaptionFields);
}

function interpretWith<T>(reply: ChatReply, validate: (value: Record<string, unknown>) => Validated<T>): Validated<T> {
  if (!reply.content.trim()) return { ok: false, error: 'the reply was empty' };
  const extracted = extractJsonObject(reply.content);
  const result = extracted.ok ? validate(extracted.value) : extracted;
  if (!result.ok && reply.finishReason === 'length') {
    return { ok: false, error: `${result.error} (the reply was cut off: keep it shorter)` };
  }
  return result;
}
