// The Stable Diffusion web UI API (AUTOMATIC1111, started with --api): POST /sdapi/v1/txt2img and /sdapi/v1/img2img.
// Forge, reForge and SD.Next serve the same API, which makes it what most self-hosters' GPU boxes answer.
// Its --api-auth takes `user:password`, sent as HTTP Basic.
import sharp from 'sharp';
import { urlSecrets } from '../../net/redact.js';
import { detailOf, displayUrl, endpointUrl, ImageHttp, type HttpAnswer } from './http.js';
import type { EditRequest, GeneratedImage, GenerateRequest, ImageProvider } from './provider.js';
import type { ImageProviderConfig } from '../../config/image-providers.js';

/** img2img's default denoising strength: keeps the source's composition, changes its look. */
const DEFAULT_STRENGTH = 0.6;

export class Automatic1111Provider implements ImageProvider {
  readonly kind = 'automatic1111' as const;
  readonly model: string | null;
  readonly endpoint: string;
  readonly seeds = true;
  private readonly txt2img: URL;
  private readonly img2img: URL;
  private readonly http: ImageHttp;
  private readonly authorization: string | null;
  private readonly steps: number | null;

  constructor(
    readonly name: string,
    config: ImageProviderConfig,
    maxImageBytes: number,
  ) {
    this.model = config.model ?? null;
    this.steps = config.steps ?? null;
    const base = config.url.replace(/\/sdapi\/v1\/(txt2img|img2img)\/?$/, '');
    this.txt2img = endpointUrl(base, '/sdapi/v1/txt2img', config.urlSetting);
    this.img2img = endpointUrl(base, '/sdapi/v1/img2img', config.urlSetting);
    this.endpoint = displayUrl(endpointUrl(base, '', config.urlSetting).href);
    this.authorization = config.apiKey ? `Basic ${Buffer.from(config.apiKey).toString('base64')}` : null;
    this.http = new ImageHttp({
      where: `Image provider "${name}" (automatic1111${this.model ? `, checkpoint ${this.model}` : ''}) at ${this.endpoint}`,
      // the user:password and the header that carries it (redact masks its base64 form too), and the URL's own
      secrets: [config.apiKey, ...urlSecrets(config.url)],
      hasKey: !!config.apiKey,
      apiKeyEnv: `${config.apiKeySetting} (user:password, as given to --api-auth)`,
      timeoutMs: config.timeoutMs,
      maxAttempts: config.maxAttempts,
      retryDelayMs: config.retryDelayMs,
      maxImageBytes,
      providerUrl: config.url,
      answerHosts: config.answerHosts ?? [],
      answerHostsSetting: config.answerHostsSetting ?? 'SHOEBOX_IMAGE_ANSWER_HOSTS',
    });
  }

  generate(request: GenerateRequest): Promise<GeneratedImage> {
    return this.post(this.txt2img, request, this.fields(request));
  }

  async edit(request: EditRequest): Promise<GeneratedImage> {
    const fields: Record<string, unknown> = {
      ...this.fields(request),
      init_images: [request.image.toString('base64')],
      denoising_strength: request.strength ?? DEFAULT_STRENGTH,
    };
    if (request.mask) {
      // OpenAI's masks are transparent where the image may change; img2img paints where the mask is white
      fields.mask = (await paintMask(request.mask)).toString('base64');
      fields.inpainting_mask_invert = 0;
      fields.inpainting_fill = 1; // start from the original pixels
    }
    return this.post(this.img2img, request, fields);
  }

  private fields(request: GenerateRequest): Record<string, unknown> {
    return {
      prompt: request.prompt,
      negative_prompt: request.negativePrompt ?? '',
      seed: request.seed ?? -1,
      width: request.size.width,
      height: request.size.height,
      batch_size: 1,
      n_iter: 1,
      ...(this.steps ? { steps: this.steps } : {}),
      send_images: true,
      save_images: false,
      ...(this.model ? { override_settings: { sd_model_checkpoint: this.model }, override_settings_restore_afterwards: true } : {}),
    };
  }

  private async post(url: URL, request: GenerateRequest, fields: Record<string, unknown>): Promise<GeneratedImage> {
    const body = JSON.stringify(fields);
    const answer = await this.http.send(
      url.href,
      () => ({
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(this.authorization ? { authorization: this.authorization } : {}),
        },
        body,
      }),
      request.signal,
    );
    if (answer.status < 200 || answer.status >= 300) {
      const hint = answer.status === 404 ? ' (is the web UI started with --api, and is the URL its address without /sdapi?)' : '';
      throw this.http.refusedRequest(answer, hint);
    }
    return this.read(answer, request);
  }

  private read(answer: HttpAnswer, request: GenerateRequest): GeneratedImage {
    let json: { images?: unknown; info?: unknown };
    try {
      json = JSON.parse(answer.text) as typeof json;
    } catch {
      throw this.http.error('bad-response', `Image provider "${this.name}" answered with something that is not JSON: ${detailOf(answer.text)}`);
    }
    const first = Array.isArray(json?.images) ? json.images[0] : undefined;
    if (typeof first !== 'string' || first.length === 0) {
      throw this.http.error('bad-response', `Image provider "${this.name}" answered without an image (no images[0])`);
    }
    // some versions prefix the base64 with a data URL header
    const data = Buffer.from(first.replace(/^data:image\/\w+;base64,/, ''), 'base64');
    return { data, revisedPrompt: null, seed: reportedSeed(json.info) ?? request.seed ?? null };
  }
}

/** OpenAI's mask (transparent where the image may change) as img2img reads one: white there, black elsewhere. */
async function paintMask(mask: Buffer): Promise<Buffer> {
  return sharp(mask).ensureAlpha().extractChannel(3).negate().png().toBuffer();
}

/** The seed the web UI used, from `info` (a JSON string with `seed`). */
function reportedSeed(info: unknown): number | null {
  if (typeof info !== 'string') return null;
  try {
    const seed = (JSON.parse(info) as { seed?: unknown }).seed;
    return typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0 ? seed : null;
  } catch {
    return null;
  }
}
