// The OpenAI Images API: POST /v1/images/generations (JSON) and /v1/images/edits (multipart), which OpenAI, Azure
// OpenAI (api-key header, deployment URLs with ?api-version), LocalAI and others speak. Answers come as
// `b64_json` or as a `url` to fetch; both are read.
import { urlSecrets } from '../../net/redact.js';
import { displayUrl, endpointUrl, errorCodeOf, ImageHttp, type HttpAnswer } from './http.js';
import type { EditRequest, GeneratedImage, GenerateRequest, ImageProvider } from './provider.js';
import type { ImageProviderConfig } from '../../config/image-providers.js';

/**
 * Request fields some servers reject with a 400 (gpt-image-1 takes no `response_format`, OpenAI no `seed`): each
 * is dropped, and remembered, when the server names it in its refusal.
 */
const OPTIONAL_FIELDS = { response_format: /response_format/i, seed: /\bseed\b/i } as const;
type OptionalField = keyof typeof OPTIONAL_FIELDS;

/** Codes and wording of content-policy refusals (DALL·E: content_policy_violation; gpt-image-1: moderation_blocked). */
const REFUSAL_CODES = new Set(['content_policy_violation', 'moderation_blocked', 'content_filter']);
const REFUSAL_TEXT = /content[ _-]?policy|safety system|moderation|content[ _-]?filter/i;

export class OpenAiImagesProvider implements ImageProvider {
  readonly kind: 'openai' | 'azure';
  readonly model: string | null;
  readonly endpoint: string;
  readonly seeds = true;
  private readonly generationsUrl: URL;
  private readonly editsUrl: URL;
  private readonly http: ImageHttp;
  private readonly apiKey: string | null;
  private readonly unsupported = new Set<OptionalField>();

  constructor(
    readonly name: string,
    config: ImageProviderConfig,
    maxImageBytes: number,
  ) {
    this.kind = config.kind === 'azure' ? 'azure' : 'openai';
    this.model = config.model ?? null;
    this.apiKey = config.apiKey ?? null;
    const base = config.url.replace(/\/images\/(generations|edits)\/?(\?.*)?$/, (_match, _which, query: string | undefined) => query ?? '');
    this.generationsUrl = endpointUrl(base, '/images/generations', config.urlSetting);
    this.editsUrl = endpointUrl(base, '/images/edits', config.urlSetting);
    this.endpoint = displayUrl(endpointUrl(base, '', config.urlSetting).href);
    this.http = new ImageHttp({
      where: `Image provider "${name}" (${this.kind}${this.model ? `, model ${this.model}` : ''}) at ${this.endpoint}`,
      secrets: [this.apiKey, ...urlSecrets(config.url)],
      hasKey: !!this.apiKey,
      apiKeyEnv: config.apiKeySetting,
      timeoutMs: config.timeoutMs,
      maxAttempts: config.maxAttempts,
      retryDelayMs: config.retryDelayMs,
      maxImageBytes,
      providerUrl: config.url,
      answerHosts: config.answerHosts ?? [],
      answerHostsSetting: config.answerHostsSetting ?? 'SHOEBOX_IMAGE_ANSWER_HOSTS',
    });
  }

  async generate(request: GenerateRequest): Promise<GeneratedImage> {
    const answer = await this.post(this.generationsUrl, request, (fields) => ({
      method: 'POST',
      headers: { ...this.auth(), 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(fields),
    }));
    return this.read(answer, request);
  }

  async edit(request: EditRequest): Promise<GeneratedImage> {
    const answer = await this.post(this.editsUrl, request, (fields) => {
      const form = new FormData();
      form.append('image', new Blob([new Uint8Array(request.image)], { type: 'image/png' }), 'image.png');
      if (request.mask) form.append('mask', new Blob([new Uint8Array(request.mask)], { type: 'image/png' }), 'mask.png');
      for (const [key, value] of Object.entries(fields)) form.append(key, String(value));
      return { method: 'POST', headers: { ...this.auth(), accept: 'application/json' }, body: form };
    });
    return this.read(answer, request);
  }

  /** Posts until the answer is not a refusal of an optional field; throws for any other refusal. */
  private async post(url: URL, request: GenerateRequest, init: (fields: Record<string, string | number>) => RequestInit): Promise<HttpAnswer> {
    for (;;) {
      const fields = this.fields(request);
      const answer = await this.http.send(url.href, () => init(fields), request.signal);
      if (answer.status >= 200 && answer.status < 300) return answer;
      if (answer.status === 400 || answer.status === 422) {
        if (isRefusal(answer.text)) throw this.http.error('refused', `${this.describeRefusal(answer)}`);
        const rejected = (Object.keys(OPTIONAL_FIELDS) as OptionalField[]).find((f) => f in fields && OPTIONAL_FIELDS[f].test(answer.text));
        if (rejected) {
          this.unsupported.add(rejected);
          continue;
        }
      }
      const hint = answer.status === 404 ? ' (is the URL right, usually ending in /v1, and does the server have an images endpoint?)' : '';
      throw this.http.refusedRequest(answer, hint);
    }
  }

  private fields(request: GenerateRequest): Record<string, string | number> {
    // The Images API has no negative prompt: it is said in words, which every model follows to a degree.
    const prompt = request.negativePrompt ? `${request.prompt}\n\nAvoid: ${request.negativePrompt}` : request.prompt;
    const fields: Record<string, string | number> = { prompt, n: 1, size: `${request.size.width}x${request.size.height}` };
    if (this.model) fields.model = this.model;
    if (!this.unsupported.has('response_format')) fields.response_format = 'b64_json';
    if (request.seed !== undefined && request.seed !== null && !this.unsupported.has('seed')) fields.seed = request.seed;
    return fields;
  }

  private async read(answer: HttpAnswer, request: GenerateRequest): Promise<GeneratedImage> {
    let json: { data?: { b64_json?: unknown; url?: unknown; revised_prompt?: unknown }[] };
    try {
      json = JSON.parse(answer.text) as typeof json;
    } catch {
      throw this.http.error('bad-response', `${this.where()} answered with something that is not JSON`);
    }
    const image = Array.isArray(json?.data) ? json.data[0] : undefined;
    if (!image || typeof image !== 'object') throw this.http.error('bad-response', `${this.where()} answered without an image (no data[0])`);
    let data: Buffer;
    if (typeof image.b64_json === 'string' && image.b64_json.length > 0) {
      data = Buffer.from(image.b64_json, 'base64');
    } else if (typeof image.url === 'string' && image.url.length > 0) {
      data = await this.http.download(image.url, request.signal);
    } else {
      throw this.http.error('bad-response', `${this.where()} answered without b64_json or url in data[0]`);
    }
    const seed = this.unsupported.has('seed') ? null : (request.seed ?? null);
    return { data, revisedPrompt: typeof image.revised_prompt === 'string' ? image.revised_prompt : null, seed };
  }

  private auth(): Record<string, string> {
    if (!this.apiKey) return {};
    return this.kind === 'azure' ? { 'api-key': this.apiKey } : { authorization: `Bearer ${this.apiKey}` };
  }

  private where(): string {
    return `Image provider "${this.name}"`;
  }

  private describeRefusal(answer: HttpAnswer): string {
    const said = this.http.refusedRequest(answer).message.replace(/^.*?rejected the request with /, '');
    return `${this.where()} refused the request under its content policy (${said})`;
  }
}

function isRefusal(text: string): boolean {
  const code = errorCodeOf(text);
  return (code !== null && REFUSAL_CODES.has(code)) || REFUSAL_TEXT.test(text);
}
