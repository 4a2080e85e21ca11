// Image providers from the environment: the default one from SHOEBOX_IMAGE_URL, _MODEL, _API_KEY, _PROVIDER
// (_TIMEOUT_MS, _MAX_ATTEMPTS, _STEPS), more by name from SHOEBOX_IMAGE_PROVIDERS=sdxl,dalle with
// SHOEBOX_IMAGE_<NAME>_URL and the same options (each falling back to the default one's timeout and attempts).
// _ANSWER_HOSTS lists the hosts besides the provider's own that its URL answers may be read from.
import { z } from 'zod';

/** The protocols an image provider may speak (ml/images/: one client each). */
export const IMAGE_PROVIDER_KINDS = ['openai', 'azure', 'automatic1111'] as const;

const providerName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a provider name: lower-case letters, digits and dashes')
  .refine((name) => name !== 'default', '`default` names SHOEBOX_IMAGE_URL’s provider');

export const imageProviderSchema = z.object({
  kind: z.enum(IMAGE_PROVIDER_KINDS),
  url: z.string().url(),
  model: z.string().min(1).optional(),
  apiKey: z.string().min(1).optional(),
  timeoutMs: z.coerce.number().int().min(100).max(3_600_000),
  maxAttempts: z.coerce.number().int().min(1).max(10),
  /** Sampling steps (automatic1111); unset: the web UI's own default. */
  steps: z.coerce.number().int().min(1).max(500).optional(),
  /** The settings that hold its URL and key, named in messages. */
  urlSetting: z.string(),
  apiKeySetting: z.string(),
  /**
   * Hosts besides the provider's own origin that its URL answers may be read from (`*.blob.core.windows.net`);
   * none by default. A host on a private or loopback address is read only where the provider is too.
   */
  answerHosts: z
    .array(z.string().regex(/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/i, 'a host name, or *.domain for any host under it'))
    .max(32)
    .optional(),
  /** The setting that lists answerHosts, named in messages. */
  answerHostsSetting: z.string().optional(),
  /** The first wait before a retry (tests shorten it). */
  retryDelayMs: z.coerce.number().int().min(0).max(60_000).optional(),
});

export type ImageProviderConfig = z.infer<typeof imageProviderSchema>;

export const imageSettingsSchema = z.object({
  /** By name; `default` is SHOEBOX_IMAGE_URL's. */
  providers: z.record(z.string(), imageProviderSchema),
  /** Images made at once by one worker process, over all its jobs (each is a request to the provider). */
  concurrency: z.coerce.number().int().min(1).max(64),
  /** Images one user may generate per 24 hours, unless an admin set their own figure; 0: no limit. */
  imagesPerDay: z.coerce.number().int().min(0).max(1_000_000),
});

export type ImageSettings = z.infer<typeof imageSettingsSchema>;

/** A generation takes from seconds (a cloud API) to minutes (SDXL on a small GPU). */
export const DEFAULT_IMAGE_TIMEOUT_MS = 300_000;

/** Unchecked values for imageSettingsSchema; throws on a named provider without its URL. */
export function imageSettingsFromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const option = (prefix: string, name: string) => env[`${prefix}${name}`] || undefined;
  const providerAt = (prefix: string, fallback: { timeoutMs: unknown; maxAttempts: unknown }) => ({
    kind: option(prefix, 'PROVIDER') ?? 'openai',
    url: option(prefix, 'URL'),
    model: option(prefix, 'MODEL'),
    apiKey: option(prefix, 'API_KEY'),
    timeoutMs: option(prefix, 'TIMEOUT_MS') ?? fallback.timeoutMs,
    maxAttempts: option(prefix, 'MAX_ATTEMPTS') ?? fallback.maxAttempts,
    steps: option(prefix, 'STEPS'),
    answerHosts: (option(prefix, 'ANSWER_HOSTS') ?? '').split(/[,\s]+/).filter(Boolean),
    urlSetting: `${prefix}URL`,
    apiKeySetting: `${prefix}API_KEY`,
    answerHostsSetting: `${prefix}ANSWER_HOSTS`,
  });
  const defaults = { timeoutMs: env.SHOEBOX_IMAGE_TIMEOUT_MS || DEFAULT_IMAGE_TIMEOUT_MS, maxAttempts: env.SHOEBOX_IMAGE_MAX_ATTEMPTS || 3 };
  const providers: Record<string, unknown> = {};
  if (env.SHOEBOX_IMAGE_URL) providers.default = providerAt('SHOEBOX_IMAGE_', defaults);
  for (const name of (env.SHOEBOX_IMAGE_PROVIDERS ?? '').split(/[,\s]+/).filter(Boolean)) {
    const checked = providerName.safeParse(name);
    if (!checked.success) throw new Error(`invalid settings: SHOEBOX_IMAGE_PROVIDERS: ${name}: ${checked.error.issues[0]!.message}`);
    const prefix = `SHOEBOX_IMAGE_${name.toUpperCase().replace(/-/g, '_')}_`;
    if (!env[`${prefix}URL`]) throw new Error(`invalid settings: SHOEBOX_IMAGE_PROVIDERS names ${name}, but ${prefix}URL is not set`);
    providers[name] = providerAt(prefix, defaults);
  }
  return {
    providers,
    concurrency: env.SHOEBOX_GENERATION_CONCURRENCY || 2,
    imagesPerDay: env.SHOEBOX_GENERATION_IMAGES_PER_DAY ?? 100,
  };
}
