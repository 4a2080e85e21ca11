import type { ChatClient, ChatMessage, ChatReply } from './chat.js';
import { extractJsonObject } from './parse.js';
import { repairMessages } from './prompt.js';
import { CaptionError } from './provider.js';
import { CAPTION_JSON_SCHEMA, validateCaptionFields, type CaptionFields, type ValidateResult } from './schema.js';

const JSON_SCHEMA = { name: 'photo_caption', schema: CAPTION_JSON_SCHEMA };

/**
 * Asks for the caption fields and validates the reply; an unusable reply is answered with a repair message
 * quoting what was wrong, up to `maxAttempts` replies in all (transport retries are counted separately).
 */
export async function requestCaptionFields(
  client: ChatClient,
  messages: ChatMessage[],
  options: { maxAttempts: number; signal?: AbortSignal },
): Promise<CaptionFields> {
  let conversation = messages;
  let lastError = '';
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    const reply = await client.complete(conversation, { jsonSchema: JSON_SCHEMA, signal: options.signal });
    const result = interpretReply(reply);
    if (result.ok) return result.fields;
    lastError = result.error;
    // Only the latest bad reply is quoted back: the conversation stays the size of one exchange.
    conversation = [...messages, ...repairMessages(reply.content, result.error)];
  }
  throw new CaptionError(
    'invalid-output',
    `Caption endpoint ${client.endpoint} (model ${client.model}) gave no usable JSON in ${options.maxAttempts} attempt(s): ${lastError}`,
    true,
  );
}

export function interpretReply(reply: ChatReply): ValidateResult {
  if (!reply.content.trim()) return { ok: false, error: 'the reply was empty' };
  const extracted = extractJsonObject(reply.content);
  const result = extracted.ok ? validateCaptionFields(extracted.value) : extracted;
  if (!result.ok && reply.finishReason === 'length') {
    return { ok: false, error: `${result.error} (the reply was cut off: keep it shorter)` };
  }
  return result;
}
