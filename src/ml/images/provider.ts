// Image generation: what every provider offers (one image per call, so that each is stored as it comes), and the
// one error type every failure leaves as.

export interface ImageSize {
  width: number;
  height: number;
}

export interface GenerateRequest {
  prompt: string;
  negativePrompt?: string | null;
  size: ImageSize;
  /** Null: the provider picks one. */
  seed?: number | null;
  signal?: AbortSignal;
}

export interface EditRequest extends GenerateRequest {
  /** The source image as PNG (what every edit endpoint accepts). */
  image: Buffer;
  /** PNG whose transparent pixels mark what may change (OpenAI's convention); none: the whole image may. */
  mask?: Buffer | null;
  /** How far the result may stray from the source, 0–1 (img2img's denoising strength); where the API has it. */
  strength?: number;
}

export interface GeneratedImage {
  /** The image file's bytes as the provider sent them (PNG, JPEG or WebP). */
  data: Buffer;
  /** The prompt as the provider rewrote it, when it says. */
  revisedPrompt: string | null;
  /** The seed the provider reports it used; else the one asked for; else null. */
  seed: number | null;
}

/** The protocols Shoebox speaks. */
import { IMAGE_PROVIDER_KINDS } from '../../config/image-providers.js';

export { IMAGE_PROVIDER_KINDS };
export type ImageProviderKind = (typeof IMAGE_PROVIDER_KINDS)[number];

/** One configured image generator. */
export interface ImageProvider {
  /** The name in the settings: `default` (SHOEBOX_IMAGE_*) or one of SHOEBOX_IMAGE_PROVIDERS. */
  readonly name: string;
  readonly kind: ImageProviderKind;
  readonly model: string | null;
  /** The endpoint as shown to users and in logs: no credentials, no query string. */
  readonly endpoint: string;
  /** Whether the provider takes a seed (results can be made again). */
  readonly seeds: boolean;
  generate(request: GenerateRequest): Promise<GeneratedImage>;
  /** Image-to-image from a source photo; absent where the provider has no such endpoint. */
  edit?(request: EditRequest): Promise<GeneratedImage>;
}

export type ImageErrorCode =
  /** 401/403: the key is missing or wrong; retrying cannot help. */
  | 'auth'
  /** No answer within the timeout. */
  | 'timeout'
  /** 429/5xx/network failures that persisted through the retries. */
  | 'unavailable'
  /** The provider refused the prompt or image under its content policy. */
  | 'refused'
  /** Another HTTP status: the request itself is wrong (size not supported, unknown model…). */
  | 'http'
  /** A 200 answer without a usable image. */
  | 'bad-response';

export class ImageGenerationError extends Error {
  override readonly name = 'ImageGenerationError';
  constructor(
    readonly code: ImageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Whether the other images of a job are worth trying: not when the provider refuses every request. */
  get stopsTheJob(): boolean {
    return this.code === 'auth';
  }
}
