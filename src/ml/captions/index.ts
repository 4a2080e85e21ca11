// Captions and structured metadata from vision-language models, and the tag-based fallback.
import { ChatClient } from './chat.js';
import { OpenAiCompatibleProvider } from './openai.js';
import type { CaptionProvider } from './provider.js';
import { TwoStageProvider } from './two-stage.js';

export { ChatClient, DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT_MS, type ChatEndpointConfig } from './chat.js';
export { fallbackCaption, type FallbackMeta } from './fallback.js';
export { DEFAULT_MAX_IMAGE_SIDE, OpenAiCompatibleProvider, type OpenAiCompatibleConfig } from './openai.js';
export { CaptionError, type CaptionErrorCode, type CaptionProvider, type DescribeInput } from './provider.js';
export { CAPTION_JSON_SCHEMA, validateCaptionFields, type CaptionFields } from './schema.js';
export { TwoStageProvider, type TwoStageConfig } from './two-stage.js';

/**
 * What the captions step is configured with; the integrator fills it from SHOEBOX_CAPTION_URL, _MODEL,
 * _API_KEY, _TEXT_URL, _TEXT_MODEL, _TEXT_API_KEY, _TIMEOUT_MS (and _MAX_ATTEMPTS).
 */
export interface CaptionConfig {
  /** OpenAI-compatible base URL, e.g. `http://localhost:11434/v1`. Unset: no provider, captions from tags. */
  url?: string;
  model?: string;
  apiKey?: string;
  /** Set (with or without textModel) to caption in two stages: `url` describes, this extracts the fields. */
  textUrl?: string;
  textModel?: string;
  /** Key for textUrl; defaults to apiKey only when textUrl is on the same origin as url. */
  textApiKey?: string;
  timeoutMs?: number;
  maxAttempts?: number;
}

/**
 * The provider the config asks for, or null when no URL is set (the step then uses `fallbackCaption`).
 * Throws on a config that cannot work (no model, malformed URL, non-positive numbers), so it fails at startup.
 */
export function createCaptionProvider(config: CaptionConfig): CaptionProvider | null {
  const url = config.url?.trim();
  if (!url) return null;
  const model = config.model?.trim();
  if (!model) throw new Error('SHOEBOX_CAPTION_MODEL must be set when SHOEBOX_CAPTION_URL is');
  const common = { timeoutMs: config.timeoutMs, maxAttempts: config.maxAttempts };
  const vision = { ...common, baseUrl: url, model, apiKey: config.apiKey || undefined };

  const textUrl = config.textUrl?.trim();
  const textModel = config.textModel?.trim();
  if (!textUrl && !textModel) return new OpenAiCompatibleProvider(vision);

  const textBase = textUrl || url;
  // Never send one service's key to another host.
  const shareKey = !config.textApiKey && sameOrigin(textBase, url);
  const textApiKey = config.textApiKey || (shareKey ? config.apiKey : undefined) || undefined;
  return new TwoStageProvider({
    vision,
    text: {
      ...common,
      baseUrl: textBase,
      model: textModel || model,
      apiKey: textApiKey,
      apiKeyEnv: shareKey ? 'SHOEBOX_CAPTION_API_KEY (or SHOEBOX_CAPTION_TEXT_API_KEY)' : 'SHOEBOX_CAPTION_TEXT_API_KEY',
    },
  });
}

/**
 * A text-only chat client on the caption endpoint, for requests that read captions rather than images (naming
 * automatic albums): the text stage (SHOEBOX_CAPTION_TEXT_URL / _TEXT_MODEL) when one is configured, else the
 * vision endpoint itself; keys follow createCaptionProvider's rule. Null when no endpoint is configured.
 */
export function createTextChatClient(config: CaptionConfig): ChatClient | null {
  const url = config.url?.trim();
  const model = config.model?.trim();
  if (!url || !model) return null;
  const common = { timeoutMs: config.timeoutMs, maxAttempts: config.maxAttempts };
  const textUrl = config.textUrl?.trim();
  const textModel = config.textModel?.trim();
  if (!textUrl && !textModel) return new ChatClient({ ...common, baseUrl: url, model, apiKey: config.apiKey || undefined });
  const textBase = textUrl || url;
  const shareKey = !config.textApiKey && sameOrigin(textBase, url);
  return new ChatClient({
    ...common,
    baseUrl: textBase,
    model: textModel || model,
    apiKey: config.textApiKey || (shareKey ? config.apiKey : undefined) || undefined,
    apiKeyEnv: shareKey ? 'SHOEBOX_CAPTION_API_KEY (or SHOEBOX_CAPTION_TEXT_API_KEY)' : 'SHOEBOX_CAPTION_TEXT_API_KEY',
  });
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false; // the client constructor reports the malformed URL
  }
}
