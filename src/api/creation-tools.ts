// The library's switch for its creation tools (Create, product shots, the catalogue), and the fence around their
// routes: while off, each answers 404 saying how to switch them on, so a family's library shows none of them.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { creationToolsOn, requireCreationTools, setCreationTools } from '../library/create/index.js';
import type { Resources } from '../library/library.js';
import { createRoutes } from './create.js';
import { productRoutes } from './products.js';
import { errorBody } from './schemas.js';

export const creationToolsAnswer = z.object({
  on: z.boolean().describe('whether Create, product shots and the catalogue are offered (and the catalogue step runs)'),
});

export async function creationToolRoutes(app: FastifyInstance, context: Resources): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/creation-tools', {
    config: { access: 'read' },
    schema: { tags: ['create'], summary: 'Whether this library uses the creation tools', response: { 200: creationToolsAnswer } },
    handler: async (request) => ({ on: await creationToolsOn(request.lib.db) }),
  });

  api.put('/api/admin/creation-tools', {
    config: { access: 'admin' },
    schema: {
      tags: ['admin'],
      summary: 'Switch the creation tools on or off for the whole library',
      description:
        'Off, Create, product shots and the catalogue are nowhere in the web app, their routes answer 404 and no item ' +
        'has a catalogue step (none made, shown or counted; those not done are removed); what they made stays. On, every ' +
        'item has it again: skipped at once for a photo that is no product, run for a product whose fields were not written.',
      body: creationToolsAnswer.strict(),
      response: { 200: creationToolsAnswer, 400: errorBody },
    },
    handler: async (request) => {
      await setCreationTools(request.lib, request.body.on);
      return { on: request.body.on };
    },
  });

  // the tools' own routes, behind the switch (after sign-in, so a stranger still meets 401)
  await app.register(async (scoped) => {
    scoped.addHook('preValidation', async (request) => requireCreationTools(request.lib.db));
    createRoutes(scoped, context);
    productRoutes(scoped, context);
  });
}
