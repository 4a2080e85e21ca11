// Product types, product-shot sets, the catalogue (products with their fields) and its export for a shop.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SHOT_TYPES } from '../db/schema.js';
import {
  catalogueCsv,
  catalogueRows,
  createProductType,
  DEFAULT_SIZE,
  deleteProductType,
  getProduct,
  listProducts,
  listProductTypes,
  markProducts,
  MAX_PRODUCTS_PER_JOB,
  productTypeNamed,
  QUALITY_GRADES,
  startProductShots,
  unmarkProduct,
  updateProduct,
  updateProductType,
} from '../library/create/index.js';
import { CATALOGUE_COLUMNS, DEFAULT_COLUMNS, DEFAULT_SHOTS, parseShots, type CatalogueColumn } from '../model/product-vocabulary.js';
import { requireOwnPhotos } from '../library/albums/index.js';
import { UserError } from '../base/errors.js';
import type { Resources } from '../library/library.js';
import { jobInfo } from './create.js';
import { errorBody } from './schemas.js';

const templates = z.object(
  Object.fromEntries(SHOT_TYPES.map((shot) => [shot, z.string().min(1).max(2000)])) as Record<(typeof SHOT_TYPES)[number], z.ZodString>,
);
export const productTypeInfo = z.object({
  id: z.string(),
  name: z.string(),
  label: z.string(),
  templates: templates.describe('a prompt per shot type; {product} stands for the label'),
  negativePrompt: z.string().nullable(),
  updatedAt: z.string(),
});
const typeName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9 -]{0,39}$/, { message: 'a product type name: letters, digits, spaces and dashes, at most 40' });
const idParams = z.object({ id: z.uuid({ message: 'id must be a UUID' }) });

const unit = z.enum(['mm', 'cm', 'in']).default('mm');
const measure = z.number().positive().max(100_000);
const shotsField = z
  .array(z.union([z.number().int(), z.string()]))
  .max(10)
  .optional()
  .describe('shot numbers or names: 1 white, 2 hand, 3 dimensions, 4 lifestyle, 5 model; default 1, 2, 4, 5');

export const productInfo = z.object({
  photoId: z.string(),
  filename: z.string(),
  productType: z.string(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  attributes: z.record(z.string(), z.string()),
  mainColour: z.string().nullable(),
  mainColourHex: z.string().nullable().describe("the product's colour from the palette (not its background)"),
  qualityGrade: z.string().nullable(),
  qualityReason: z.string().nullable(),
  fieldsSource: z.string().nullable().describe('`provider`, `fallback` (no caption endpoint), or null before the catalogue step ran'),
  editedFields: z.array(z.string()).describe('fields edited by hand: kept when the photo is processed again'),
  heightMm: z.number().nullable(),
  widthMm: z.number().nullable(),
  fieldsStatus: z.string().describe("the catalogue step's status"),
  shots: z.array(
    z.object({
      photoId: z.string(),
      shot: z.string(),
      hasThumbnail: z.boolean().describe('false until the pipeline has made it'),
      state: z.string().describe("the shot's photo state: a failed one without a thumbnail will not get one"),
    }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const text = (max: number) =>
  z
    .string()
    .max(max)
    .transform((value) => value.replace(/\s+/g, ' ').trim());
const productEdit = z
  .object({
    name: text(200).nullable().optional(),
    description: z.string().max(4000).nullable().optional(),
    attributes: z.record(text(40).pipe(z.string().min(1)), text(200)).optional(),
    mainColour: text(60).nullable().optional(),
    qualityGrade: z.enum(QUALITY_GRADES).nullable().optional(),
    qualityReason: text(500).nullable().optional(),
    productType: typeName.optional(),
    heightMm: measure.nullable().optional(),
    widthMm: measure.nullable().optional(),
  })
  .strict()
  .refine((edit) => Object.keys(edit).length > 0, { message: 'give at least one field to change' });

const selectionQuery = z.object({
  album: z.uuid({ message: 'album must be an album id (UUID)' }).optional().describe('the products in this album'),
  ids: z
    .string()
    .max(40_000)
    .optional()
    .transform((value) =>
      value
        ? value
            .split(',')
            .map((id) => id.trim())
            .filter(Boolean)
        : undefined,
    )
    .pipe(
      z
        .array(z.uuid({ message: 'ids must be photo ids (UUIDs), comma-separated' }))
        .max(1000)
        .optional(),
    )
    .describe('comma-separated product photo ids'),
  columns: z
    .string()
    .max(2000)
    .optional()
    .transform((value) =>
      value
        ? value
            .split(',')
            .map((c) => c.trim())
            .filter(Boolean)
        : undefined,
    )
    .pipe(
      z
        .array(z.enum(CATALOGUE_COLUMNS, { message: `columns must be among ${CATALOGUE_COLUMNS.join(', ')}` }))
        .min(1)
        .optional(),
    )
    .describe(`comma-separated, in order: ${CATALOGUE_COLUMNS.join(', ')}; default ${DEFAULT_COLUMNS.join(', ')}`),
});

/** The address clients reached this server at, for absolute image URLs (a proxy's when trustProxy is set). */
function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

export function productRoutes(app: FastifyInstance, _context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/product-types', {
    config: { access: 'read' },
    schema: {
      tags: ['create'],
      summary: 'Your product types and the prompt of each shot type',
      response: { 200: z.object({ items: z.array(productTypeInfo) }) },
    },
    handler: async (request) => ({ items: await listProductTypes(request.lib) }),
  });

  api.post('/api/product-types', {
    config: { access: 'write' },
    schema: {
      tags: ['create'],
      summary: 'Add a product type (templates not given start from the general ones)',
      body: z
        .object({
          name: typeName,
          label: text(200).pipe(z.string().min(1)),
          templates: templates.partial().optional(),
          negativePrompt: z.string().max(2000).nullable().optional(),
        })
        .strict(),
      response: { 201: productTypeInfo, 400: errorBody, 409: errorBody },
    },
    handler: async (request, reply) => reply.code(201).send(await createProductType(request.lib, request.body)),
  });

  api.patch('/api/product-types/:id', {
    config: { access: 'write' },
    schema: {
      tags: ['create'],
      summary: "Change a product type's name, label, shot prompts or negative prompt (jobs already asked for keep theirs)",
      params: idParams,
      body: z
        .object({
          name: typeName.optional(),
          label: text(200).pipe(z.string().min(1)).optional(),
          templates: templates.partial().optional(),
          negativePrompt: z.string().max(2000).nullable().optional(),
        })
        .strict(),
      response: { 200: productTypeInfo, 400: errorBody, 404: errorBody, 409: errorBody },
    },
    handler: async (request) => updateProductType(request.lib, request.params.id, request.body),
  });

  api.delete('/api/product-types/:id', {
    config: { access: 'write' },
    schema: {
      tags: ['create'],
      summary: 'Remove a product type (its products keep their type name)',
      params: idParams,
      response: { 204: z.null(), 404: errorBody },
    },
    handler: async (request, reply) => {
      await deleteProductType(request.lib, request.params.id);
      return reply.code(204).send(null);
    },
  });

  api.post('/api/product-shots', {
    config: { access: 'write' },
    schema: {
      tags: ['create'],
      summary: 'Make product-shot sets: the chosen shot types of each product photo, n of each; a job',
      description:
        "Through the provider's edits endpoint with the product photo as input; a cut-out (a PNG with transparency) is laid back over each " +
        "scene so that the product's own pixels survive. Each product gets an album of its set (the job's `albums`), downloadable at " +
        'GET /api/albums/{id}/zip. The photos become products of the type (their catalogue fields follow). 409 without a provider with edits.',
      body: z
        .object({
          photoIds: z
            .array(z.uuid({ message: 'photoIds must be photo ids (UUIDs)' }))
            .min(1)
            .max(MAX_PRODUCTS_PER_JOB),
          productType: typeName,
          shots: shotsField,
          n: z.number().int().min(1).max(4).default(1).describe('images per shot type'),
          height: measure.optional().describe("the product's height, for shot 3"),
          width: measure.optional().describe("the product's width, for shot 3"),
          unit,
          size: z.string().max(20).default(DEFAULT_SIZE),
          provider: z.string().max(40).optional(),
          masks: z
            .record(z.uuid({ message: 'masks: keys must be product photo ids' }), z.uuid({ message: 'masks: values must be photo ids' }))
            .optional()
            .describe(
              'product photo id → a mask photo of the same scene, white where the product is: makes a cut-out of a product photographed on a background',
            ),
        })
        .strict(),
      response: { 202: jobInfo, 400: errorBody, 404: errorBody, 409: errorBody, 429: errorBody },
    },
    handler: async (request, reply) => {
      const body = request.body;
      const shots = body.shots ? parseShots(body.shots) : [...DEFAULT_SHOTS];
      if (typeof shots === 'string') throw new UserError('invalid', shots);
      const job = await startProductShots(request.lib, {
        photoIds: body.photoIds,
        productType: body.productType,
        shots,
        n: body.n,
        height: body.height ?? null,
        width: body.width ?? null,
        unit: body.unit,
        size: body.size,
        provider: body.provider,
        masks: body.masks,
      });
      return reply.code(202).send(job);
    },
  });

  api.get('/api/products', {
    config: { access: 'read' },
    schema: {
      tags: ['create'],
      summary: 'The catalogue: your products with their fields and shots, newest first',
      querystring: z.object({
        album: z.uuid({ message: 'album must be an album id (UUID)' }).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        offset: z.coerce.number().int().min(0).default(0),
      }),
      response: { 200: z.object({ items: z.array(productInfo), total: z.number().int() }), 400: errorBody },
    },
    handler: async (request) => listProducts(request.lib, { albumId: request.query.album, limit: request.query.limit, offset: request.query.offset }),
  });

  api.post('/api/products', {
    config: { access: 'write' },
    schema: {
      tags: ['create'],
      summary: 'Make photos products of a type: they join the catalogue and their fields are written',
      body: z
        .object({
          photoIds: z
            .array(z.uuid({ message: 'photoIds must be photo ids (UUIDs)' }))
            .min(1)
            .max(5000),
          productType: typeName,
          height: measure.optional(),
          width: measure.optional(),
          unit,
        })
        .strict(),
      response: { 200: z.object({ items: z.array(productInfo) }), 400: errorBody, 404: errorBody },
    },
    handler: async (request) => {
      const { photoIds, productType, height, width, unit: inUnit } = request.body;
      const type = await productTypeNamed(request.lib, productType);
      const own = await listOwnLivePhotos(request, photoIds);
      await markProducts(request.lib, own, {
        productType: type.name,
        dimensions: height !== undefined && width !== undefined ? { height, width, unit: inUnit } : null,
      });
      return { items: (await listProducts(request.lib, { photoIds: own })).items };
    },
  });

  api.get('/api/products/:id', {
    config: { access: 'read' },
    schema: { tags: ['create'], summary: 'One product (by its photo id)', params: idParams, response: { 200: productInfo, 404: errorBody } },
    handler: async (request) => getProduct(request.lib, request.params.id),
  });

  api.patch('/api/products/:id', {
    config: { access: 'write' },
    schema: {
      tags: ['create'],
      summary: "Edit a product's fields; an edited field is kept when the photo is processed again",
      params: idParams,
      body: productEdit,
      response: { 200: productInfo, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => updateProduct(request.lib, request.params.id, request.body),
  });

  api.delete('/api/products/:id', {
    config: { access: 'write' },
    schema: {
      tags: ['create'],
      summary: 'Take a photo out of the catalogue (the photo and its shots stay)',
      params: idParams,
      response: { 204: z.null(), 404: errorBody },
    },
    handler: async (request, reply) => {
      await unmarkProduct(request.lib, request.params.id);
      return reply.code(204).send(null);
    },
  });

  for (const format of ['csv', 'json'] as const) {
    api.get(`/api/catalogue.${format}`, {
      config: { access: 'read' },
      schema: {
        tags: ['create'],
        summary: `The catalogue as ${format.toUpperCase()}: an album's products, a selection, or all, with the chosen columns`,
        description:
          format === 'csv'
            ? 'UTF-8 with a byte-order mark, RFC 4180 quoting, CRLF line ends; attributes as `name: value; …`, lists of URLs separated by spaces. ' +
              'A text cell that starts with = + - @ (or a tab) begins with an apostrophe, so that spreadsheet programs show it as text.'
            : 'An array of objects with the chosen columns; attributes as an object, URLs as arrays.',
        querystring: selectionQuery,
        produces: [format === 'csv' ? 'text/csv' : 'application/json'],
        response: { 400: errorBody },
      },
      handler: async (request, reply) => {
        const columns = (request.query.columns ?? DEFAULT_COLUMNS) as CatalogueColumn[];
        const rows = await catalogueRows(request.lib, { albumId: request.query.album, photoIds: request.query.ids }, columns, originOf(request));
        const name = `catalogue-${new Date().toISOString().slice(0, 10)}.${format}`;
        const raw = (reply as FastifyReply).header('content-disposition', `attachment; filename="${name}"`);
        if (format === 'json') return raw.type('application/json; charset=utf-8').send(JSON.stringify(rows));
        return raw.type('text/csv; charset=utf-8').send(catalogueCsv(rows, columns));
      },
    });
  }
}

/** The user's own photos among the ids, not in the trash; 404 for any other. */
function listOwnLivePhotos(request: FastifyRequest, photoIds: string[]): Promise<string[]> {
  return requireOwnPhotos(request.lib, [...new Set(photoIds)], { allowTrashed: false });
}
