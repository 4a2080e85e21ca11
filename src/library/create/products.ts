// Products: photos of things for sale, with a product type and catalogue fields (the catalogue step fills them;
// what the user edits by hand stays theirs), listed on the Catalogue page and exported for a shop.
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { photos, photoSteps, products, type CatalogueField, type ProductRow } from '../../db/schema.js';
import { UserError } from '../../base/errors.js';
import type { Library } from '../library.js';
import type { QualityGrade } from './catalogue-fields.js';
import type { Dimensions } from './product-images.js';
import { queuePhotos } from '../photos/door.js';
import { owns } from '../../scope/rows.js';
import { mayChange } from '../actors.js';

export interface ProductInfo {
  photoId: string;
  filename: string;
  productType: string;
  name: string | null;
  description: string | null;
  attributes: Record<string, string>;
  mainColour: string | null;
  mainColourHex: string | null;
  qualityGrade: string | null;
  qualityReason: string | null;
  /** `provider`, `fallback`, or null while the catalogue step has not run. */
  fieldsSource: string | null;
  editedFields: string[];
  heightMm: number | null;
  widthMm: number | null;
  /** The catalogue step's status for this photo (pending while the fields are being written). */
  fieldsStatus: string;
  /** Generated shots of it that are not in the trash: id, shot type, and whether its thumbnail is made yet. */
  shots: ProductShot[];
  createdAt: string;
  updatedAt: string;
}

const MM_PER: Record<Dimensions['unit'], number> = { mm: 1, cm: 10, in: 25.4 };

/**
 * Makes the photos products of a type (a product-shots request, or POST /api/products), with their measured size
 * when given. A photo new to the catalogue, or of another type now, has its catalogue step run (again).
 */
export async function markProducts(lib: Library, photoIds: string[], options: { productType: string; dimensions: Dimensions | null }): Promise<void> {
  mayChange(lib);
  if (photoIds.length === 0) return;
  const before = await lib.db
    .select({ photoId: products.photoId, productType: products.productType })
    .from(products)
    .where(and(inArray(products.photoId, photoIds), owns(lib, products)));
  const size = options.dimensions
    ? { heightMm: options.dimensions.height * MM_PER[options.dimensions.unit], widthMm: options.dimensions.width * MM_PER[options.dimensions.unit] }
    : {};
  await lib.db
    .insert(products)
    .values(photoIds.map((photoId) => ({ photoId, ownerId: lib.ownerId, productType: options.productType, ...size })))
    .onConflictDoUpdate({ target: products.photoId, set: { productType: options.productType, ...size, updatedAt: new Date() } });
  const changed = photoIds.filter((id) => before.find((row) => row.photoId === id)?.productType !== options.productType);
  if (changed.length === 0) return;
  // the row may be missing: a photo admitted by a server that had not yet seen the creation tools switched on
  await lib.db
    .insert(photoSteps)
    .values(changed.map((photoId) => ({ photoId, step: 'catalogue', status: 'pending' })))
    .onConflictDoUpdate({ target: [photoSteps.photoId, photoSteps.step], set: { status: 'pending', error: null } });
  await lib.db
    .update(photos)
    .set({ state: 'pending', updatedAt: new Date() })
    .where(and(owns(lib, photos), inArray(photos.id, changed)));
  await queuePhotos(lib, changed);
}

/** Takes photos out of the catalogue (their fields go; the photos and their shots stay). */
export async function unmarkProduct(lib: Library, photoId: string): Promise<void> {
  mayChange(lib);
  const removed = await lib.db
    .delete(products)
    .where(and(eq(products.photoId, photoId), owns(lib, products)))
    .returning({ photoId: products.photoId });
  if (removed.length === 0) throw new UserError('not-found', `no product with photo id ${photoId}`);
}

export interface ProductSelection {
  /** Products in this album (a product-shots album holds its product). */
  albumId?: string;
  photoIds?: string[];
  limit?: number;
  offset?: number;
}

/** The user's products (not in the trash), newest first, with their shots. */
export async function listProducts(lib: Library, selection: ProductSelection = {}): Promise<{ items: ProductInfo[]; total: number }> {
  const conditions = [owns(lib, products), isNull(photos.deletedAt)];
  if (selection.photoIds) conditions.push(inArray(products.photoId, selection.photoIds.length ? selection.photoIds : ['00000000-0000-0000-0000-000000000000']));
  if (selection.albumId)
    conditions.push(sql`exists (select 1 from album_photos ap where ap.photo_id = ${products.photoId} and ap.album_id = ${selection.albumId}::uuid)`);
  const where = and(...conditions);
  const [rows, [count]] = await Promise.all([
    lib.db
      .select({ product: products, filename: photos.filename, status: photoSteps.status })
      .from(products)
      .innerJoin(photos, eq(photos.id, products.photoId))
      .leftJoin(photoSteps, and(eq(photoSteps.photoId, products.photoId), eq(photoSteps.step, 'catalogue')))
      .where(where)
      .orderBy(desc(products.createdAt), products.photoId)
      .limit(selection.limit ?? 10_000)
      .offset(selection.offset ?? 0),
    lib.db
      .select({ n: sql<number>`count(*)::int` })
      .from(products)
      .innerJoin(photos, eq(photos.id, products.photoId))
      .where(where),
  ]);
  const shots = await shotsOf(
    lib,
    rows.map((row) => row.product.photoId),
  );
  return {
    items: rows.map((row) => productInfo(row.product, row.filename, row.status ?? 'pending', shots.get(row.product.photoId) ?? [])),
    total: count?.n ?? 0,
  };
}

export async function getProduct(lib: Library, photoId: string): Promise<ProductInfo> {
  const { items } = await listProducts(lib, { photoIds: [photoId] });
  if (!items[0]) throw new UserError('not-found', `no product with photo id ${photoId}`);
  return items[0];
}

export interface ProductEdit {
  name?: string | null;
  description?: string | null;
  attributes?: Record<string, string>;
  mainColour?: string | null;
  qualityGrade?: QualityGrade | null;
  qualityReason?: string | null;
  productType?: string;
  heightMm?: number | null;
  widthMm?: number | null;
}

/** The user's edits; each edited catalogue field is kept when the catalogue step runs again. */
export async function updateProduct(lib: Library, photoId: string, edit: ProductEdit): Promise<ProductInfo> {
  mayChange(lib);
  const [current] = await lib.db
    .select()
    .from(products)
    .where(and(eq(products.photoId, photoId), owns(lib, products)));
  if (!current) throw new UserError('not-found', `no product with photo id ${photoId}`);
  const fields: CatalogueField[] = ['name', 'description', 'attributes', 'mainColour', 'qualityGrade', 'qualityReason'];
  const edited = fields.filter((field) => edit[field] !== undefined);
  await lib.db
    .update(products)
    .set({
      ...Object.fromEntries(edited.map((field) => [field, edit[field]])),
      ...(edit.productType !== undefined ? { productType: edit.productType } : {}),
      ...(edit.heightMm !== undefined ? { heightMm: edit.heightMm } : {}),
      ...(edit.widthMm !== undefined ? { widthMm: edit.widthMm } : {}),
      editedFields: [...new Set([...current.editedFields, ...edited])],
      updatedAt: new Date(),
    })
    .where(eq(products.photoId, photoId));
  return getProduct(lib, photoId);
}

export interface ProductShot {
  photoId: string;
  shot: string;
  /** A shot just stored has none until the pipeline makes it (a moment; longer on a busy server). */
  hasThumbnail: boolean;
  /** Its photo's state: a `failed` one without a thumbnail will not get one. */
  state: string;
}

/** The generated shots of each product, in shot order then time, the trash left out. */
async function shotsOf(lib: Library, productIds: string[]): Promise<Map<string, ProductShot[]>> {
  const found = productIds.length
    ? await lib.db
        .select({
          id: photos.id,
          productId: photos.sourcePhotoId,
          shot: sql<string>`${photos.provenance}->>'shot'`,
          thumbnailAt: photos.thumbnailAt,
          state: photos.state,
        })
        .from(photos)
        .where(
          and(
            inArray(photos.sourcePhotoId, productIds),
            owns(lib, photos),
            eq(photos.origin, 'generated'),
            isNull(photos.deletedAt),
            sql`(${photos.provenance}->>'shot') is not null`,
          ),
        )
        .orderBy(sql`array_position(array['white','hand','dimensions','lifestyle','model'], ${photos.provenance}->>'shot')`, photos.createdAt)
    : [];
  const shots = new Map<string, ProductShot[]>();
  for (const row of found) {
    const list = shots.get(row.productId!) ?? [];
    list.push({ photoId: row.id, shot: row.shot, hasThumbnail: row.thumbnailAt !== null, state: row.state });
    shots.set(row.productId!, list);
  }
  return shots;
}

function productInfo(row: ProductRow, filename: string, status: string, shots: ProductShot[]): ProductInfo {
  return {
    photoId: row.photoId,
    filename,
    productType: row.productType,
    name: row.name,
    description: row.description,
    // jsonb keeps keys in its own order (by length): by name, as people read them
    attributes: Object.fromEntries(Object.entries(row.attributes).sort(([a], [b]) => a.localeCompare(b))),
    mainColour: row.mainColour,
    mainColourHex: row.mainColourHex,
    qualityGrade: row.qualityGrade,
    qualityReason: row.qualityReason,
    fieldsSource: row.fieldsSource,
    editedFields: row.editedFields,
    heightMm: row.heightMm,
    widthMm: row.widthMm,
    fieldsStatus: status,
    shots,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
