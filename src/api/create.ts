// Create: image generation from a prompt or from a photo, as jobs the worker runs; each image becomes a photo.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { photos } from '../db/schema.js';
import {
  cancelGeneration,
  chooseProvider,
  cleanPrompt,
  DEFAULT_SIZE,
  generateRecord,
  GENERATION_JOB_STATES,
  generationJob,
  imagesLeftToday,
  listGenerationJobs,
  MAX_IMAGES_PER_REQUEST,
  MAX_PROMPT_CHARS,
  parseSize,
  promptFromPhoto,
  startGeneration,
} from '../library/create/index.js';
import { UserError } from '../base/errors.js';
import type { Library, Resources } from '../library/library.js';
import { NO_IMAGE_PROVIDER } from '../ml/images/index.js';
import { errorBody, photoIdParams } from './schemas.js';
import { owns } from '../scope/rows.js';

const prompt = z
  .string()
  .max(MAX_PROMPT_CHARS * 2)
  .transform(cleanPrompt)
  .pipe(
    z
      .string()
      .min(1, { message: 'give a prompt' })
      .max(MAX_PROMPT_CHARS, { message: `the prompt must be at most ${MAX_PROMPT_CHARS} characters` }),
  );

const generateBody = z
  .object({
    prompt: prompt.describe(`what to make, 1 to ${MAX_PROMPT_CHARS} characters`),
    negativePrompt: z
      .string()
      .max(MAX_PROMPT_CHARS, { message: `negativePrompt must be at most ${MAX_PROMPT_CHARS} characters` })
      .transform(cleanPrompt)
      .optional()
      .describe('what to keep out of the image (said in words to providers without a negative prompt)'),
    n: z.number().int().min(1).max(MAX_IMAGES_PER_REQUEST).default(1).describe(`images, 1 to ${MAX_IMAGES_PER_REQUEST}`),
    size: z.string().max(20).default(DEFAULT_SIZE).describe('WIDTHxHEIGHT, 64 to 4096 pixels a side, multiples of 8; the provider may support fewer'),
    provider: z.string().max(40).optional().describe('a provider name from GET /api/generate/providers; default: the default one'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .optional()
      .describe('makes results repeatable where the provider takes one; image i uses seed + i'),
    sourcePhotoId: z.uuid({ message: 'sourcePhotoId must be a photo id (UUID)' }).optional().describe('"inspired by": the photo the images come from'),
    mode: z
      .enum(['text', 'edit'])
      .optional()
      .describe("`edit`: image-to-image from sourcePhotoId (the provider's edits endpoint); `text`: the prompt alone. Default: edit with a source photo"),
    strength: z.number().min(0).max(1).optional().describe('image-to-image: how far the result may stray from the source, 0–1 (where the provider takes it)'),
  })
  .strict();

export const jobInfo = z.object({
  id: z.string(),
  kind: z.string(),
  state: z.enum(GENERATION_JOB_STATES),
  provider: z.string(),
  prompt: z.string(),
  size: z.string(),
  requested: z.number().int(),
  made: z.number().int().describe('images stored so far'),
  failed: z.number().int(),
  photoIds: z.array(z.string()).describe('the photos made so far, in the order asked for (each walks the pipeline like any photo)'),
  failures: z.array(z.object({ index: z.number().int(), error: z.string(), refused: z.boolean().describe("refused under the provider's content policy") })),
  error: z.string().nullable().describe('why the job failed or stopped'),
  sourcePhotoId: z.string().nullable(),
  albums: z.record(z.string(), z.string()).describe("a product-shots job: the album of each product's set, by product photo id"),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

const jobParams = z.object({ id: z.uuid({ message: 'job id must be a UUID' }) });
const quota = z.object({
  limit: z.number().int().nullable().describe('images per 24 hours; null: no limit'),
  used: z.number().int(),
  left: z.number().int().nullable(),
});

export const providersAnswer = z.object({
  providers: z.array(
    z.object({
      name: z.string(),
      kind: z.string().describe('openai, azure or automatic1111'),
      model: z.string().nullable(),
      endpoint: z.string(),
      edits: z.boolean().describe('has an image-to-image endpoint'),
      default: z.boolean(),
    }),
  ),
  configured: z.boolean(),
  setup: z.string().nullable().describe('without a provider: the settings to add'),
  quota,
  inspire: z.boolean().describe('a caption endpoint is configured: POST /api/photos/{id}/inspire works'),
});

export function createRoutes(app: FastifyInstance, context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/generate/providers', {
    config: { access: 'read' },
    schema: {
      tags: ['create'],
      summary: 'The image-generation providers this server has, your daily quota, and whether prompts can be written from photos',
      response: { 200: providersAnswer },
    },
    handler: async (request) => {
      const providers = context.images.describe();
      return {
        providers,
        configured: providers.length > 0,
        setup: providers.length > 0 ? null : NO_IMAGE_PROVIDER,
        quota: await imagesLeftToday(request.lib, context.settings.images.imagesPerDay),
        inspire: Boolean(context.settings.ml.caption.url && context.settings.ml.caption.model),
      };
    },
  });

  api.post('/api/generate', {
    config: { access: 'write' },
    schema: {
      tags: ['create'],
      summary: 'Make images from a prompt (or from one of your photos): a job; each image is stored as a photo with origin `generated`',
      description:
        'Answers 202 with the job at once; follow it at GET /api/generate/jobs/{id} or in the `generation` list of the jobs events ' +
        '(/api/jobs/events). 409 without a provider (the message names the settings to add), 429 over the daily quota.',
      body: generateBody,
      response: { 202: jobInfo, 400: errorBody, 404: errorBody, 409: errorBody, 429: errorBody },
    },
    handler: async (request, reply) => {
      const lib = request.lib;
      const body = request.body;
      const provider = chooseProvider(lib, body.provider);
      const size = parseSize(body.size);
      if (typeof size === 'string') throw new UserError('invalid', size);
      const mode = body.mode ?? (body.sourcePhotoId ? 'edit' : 'text');
      if (mode === 'edit') await checkEditSource(lib, provider, body.sourcePhotoId);
      else if (body.sourcePhotoId) await ownPhoto(lib, body.sourcePhotoId);
      const wanted = {
        prompt: body.prompt,
        negativePrompt: body.negativePrompt || null,
        n: body.n,
        size,
        seed: body.seed ?? null,
        sourcePhotoId: body.sourcePhotoId ?? null,
        mode,
        strength: body.strength ?? null,
      };
      const job = await startGeneration(lib, { kind: 'generate', provider, imagesRequested: body.n, request: generateRecord(wanted) });
      return reply.code(202).send(job);
    },
  });

  api.get('/api/generate/jobs', {
    config: { access: 'read' },
    schema: {
      tags: ['create'],
      summary: 'Your generation jobs, newest first',
      querystring: z.object({
        limit: z.coerce.number().int().min(1).max(200).default(50),
        open: z.enum(['true', 'false']).optional().describe('true: only queued and running jobs'),
      }),
      response: { 200: z.object({ items: z.array(jobInfo) }), 400: errorBody },
    },
    handler: async (request) => ({
      items: await listGenerationJobs(request.lib, { limit: request.query.limit, open: request.query.open === 'true' }),
    }),
  });

  api.get('/api/generate/jobs/:id', {
    config: { access: 'read' },
    schema: {
      tags: ['create'],
      summary: 'One generation job: its state, the photos it made, its failures',
      params: jobParams,
      response: { 200: jobInfo, 404: errorBody },
    },
    handler: async (request) => generationJob(request.lib, request.params.id),
  });

  api.post('/api/generate/jobs/:id/cancel', {
    config: { access: 'write' },
    schema: {
      tags: ['create'],
      summary: 'Cancel a generation job: a queued one at once, a running one before its next image (the images it stored stay)',
      params: jobParams,
      response: { 200: jobInfo, 404: errorBody },
    },
    handler: async (request) => cancelGeneration(request.lib, request.params.id),
  });

  api.post('/api/photos/:id/inspire', {
    config: { access: 'write' },
    schema: {
      tags: ['create'],
      summary: 'Write an image-generation prompt from one of your photos (subjects, composition, style, mood, colours; no names)',
      description:
        'Through the caption endpoint (SHOEBOX_CAPTION_URL); edit the prompt, then POST /api/generate with it (and sourcePhotoId for image-to-image).',
      params: photoIdParams,
      response: {
        200: z.object({ prompt: z.string(), negativePrompt: z.string().nullable(), model: z.string() }),
        404: errorBody,
        409: errorBody,
        503: errorBody,
      },
    },
    handler: async (request) => promptFromPhoto(request.lib, request.params.id),
  });
}

async function ownPhoto(lib: Library, photoId: string): Promise<{ thumbnailAt: Date | null }> {
  const [photo] = await lib.db
    .select({ thumbnailAt: photos.thumbnailAt })
    .from(photos)
    .where(and(eq(photos.id, photoId), owns(lib, photos), isNull(photos.deletedAt)));
  if (!photo) throw new UserError('not-found', `no photo with id ${photoId}`);
  return photo;
}

/** Image-to-image needs the user's photo with its preview, and a provider with an edits endpoint. */
async function checkEditSource(lib: Library, provider: string, photoId: string | undefined): Promise<void> {
  if (!photoId) throw new UserError('invalid', 'mode `edit` needs sourcePhotoId: the photo to start from');
  const photo = await ownPhoto(lib, photoId);
  if (!photo.thumbnailAt) throw new UserError('conflict', 'the photo has no preview yet: try again once its thumbnail is made');
  if (!lib.images.get(provider)?.edit) throw new UserError('conflict', `the image provider "${provider}" has no image-to-image endpoint: use mode \`text\``);
}
