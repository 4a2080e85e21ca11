import type { CaptionResult } from '../types.js';
import { ChatClient, DEFAULT_MAX_ATTEMPTS, type ChatEndpointConfig } from './chat.js';
import { imageDataUrl } from './image.js';
import { structuredImageMessages } from './prompt.js';
import type { CaptionProvider, DescribeInput } from './provider.js';
import { requestCaptionFields } from './structured.js';

export interface OpenAiCompatibleConfig extends ChatEndpointConfig {
  /** The preview is fitted inside this many pixels before upload. Default 1024. */
  maxImageSide?: number;
}

export const DEFAULT_MAX_IMAGE_SIDE = 1024;

/** One vision model on an OpenAI-compatible endpoint (Ollama `/v1`, vLLM, llama.cpp, LM Studio, cloud APIs). */
export class OpenAiCompatibleProvider implements CaptionProvider {
  readonly id: string;
  private readonly client: ChatClient;
  private readonly maxAttempts: number;
  private readonly maxImageSide: number;

  constructor(config: OpenAiCompatibleConfig) {
    this.client = new ChatClient(config);
    this.maxAttempts = config.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.maxImageSide = config.maxImageSide ?? DEFAULT_MAX_IMAGE_SIDE;
    this.id = `openai-compatible:${config.model}@${this.client.endpoint}`;
  }

  async describe(input: DescribeInput): Promise<CaptionResult> {
    const image = await imageDataUrl(input.image, this.maxImageSide);
    const messages = structuredImageMessages(image, input.tags, input.filename);
    const fields = await requestCaptionFields(this.client, messages, { maxAttempts: this.maxAttempts, signal: input.signal });
    return { ...fields, source: 'provider', model: this.client.model };
  }
}
