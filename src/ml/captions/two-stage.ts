import type { CaptionResult } from '../types.js';
import { ChatClient, DEFAULT_MAX_ATTEMPTS, type ChatEndpointConfig } from './chat.js';
import { imageDataUrl } from './image.js';
import { DEFAULT_MAX_IMAGE_SIDE, type OpenAiCompatibleConfig } from './openai.js';
import { stripReasoning } from './parse.js';
import { describeImageMessages, structuredFromTextMessages } from './prompt.js';
import { CaptionError, type CaptionProvider, type DescribeInput } from './provider.js';
import { clip, LIMITS } from './schema.js';
import { requestCaptionFields } from './structured.js';

export interface TwoStageConfig {
  /** Sees the image and writes a plain-text description. */
  vision: OpenAiCompatibleConfig;
  /** Text only: turns the description into the JSON fields. May be the same endpoint with another model. */
  text: ChatEndpointConfig;
}

/**
 * For vision models that describe well but cannot hold a JSON schema (small llava-style models): the vision
 * model writes prose, a text model extracts the fields from it.
 */
export class TwoStageProvider implements CaptionProvider {
  readonly id: string;
  private readonly vision: ChatClient;
  private readonly text: ChatClient;
  private readonly visionAttempts: number;
  private readonly textAttempts: number;
  private readonly maxImageSide: number;

  constructor(config: TwoStageConfig) {
    this.vision = new ChatClient(config.vision);
    this.text = new ChatClient(config.text);
    this.visionAttempts = config.vision.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.textAttempts = config.text.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.maxImageSide = config.vision.maxImageSide ?? DEFAULT_MAX_IMAGE_SIDE;
    this.id = `two-stage:${this.vision.model}@${this.vision.endpoint}+${this.text.model}@${this.text.endpoint}`;
  }

  async describe(input: DescribeInput): Promise<CaptionResult> {
    const prose = await this.describeImage(input);
    const fields = await requestCaptionFields(this.text, structuredFromTextMessages(prose, input.tags, input.filename), {
      maxAttempts: this.textAttempts,
      signal: input.signal,
    });
    return {
      ...fields,
      // The vision model's own words are the closer account of the image; the fields come from the text model.
      description: clip(prose.replace(/\s+/g, ' '), LIMITS.description),
      source: 'two-stage',
      model: `${this.vision.model}+${this.text.model}`,
    };
  }

  /** Stage one; only an empty reply is worth asking again. */
  private async describeImage(input: DescribeInput): Promise<string> {
    const image = await imageDataUrl(input.image, this.maxImageSide);
    const messages = describeImageMessages(image, input.tags, input.filename);
    for (let attempt = 1; attempt <= this.visionAttempts; attempt++) {
      const reply = await this.vision.complete(messages, { signal: input.signal });
      const prose = stripReasoning(reply.content)
        .replace(/```[a-z]*\n?|```/gi, '')
        .trim();
      if (prose) return prose.length > 4000 ? prose.slice(0, 4000) : prose;
    }
    throw new CaptionError(
      'invalid-output',
      `Caption endpoint ${this.vision.endpoint} (model ${this.vision.model}) returned an empty description ${this.visionAttempts} time(s)`,
      true,
    );
  }
}
