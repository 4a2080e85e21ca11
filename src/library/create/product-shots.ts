// Product-shot sets: for each product photo, the chosen shot types (white background, in a hand, with its
// dimensions, lifestyle, worn by a model), n of each, through the provider's edits endpoint with the product photo
// as input, so that the product's own pixels survive (laid back over the scene when the photo is a cut-out). Each
// product gets an album: the product first, then its shots as they come.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { albumPhotos, albums, generationJobs, photos, products, type GenerationJobRow, type ShotType } from '../../db/schema.js';
import { derivedKey } from '../../storage/keys.js';
import { UserError } from '../../base/errors.js';
import type { Library } from '../library.js';
import { chooseProvider, imagesLeftToday, quotaRefusal, startGeneration, type GenerationJobInfo } from './jobs.js';
import { UnitFailure, type ImageUnit, type JobPlan } from './plan.js';
import { cutOut, drawDimensions, layProductOver, productCanvas, type Dimensions, type ProductCanvas } from './product-images.js';
import { productTypeNamed, SHOT_LABELS, shotPrompt, type ProductTypeInfo } from './product-types.js';
import { formatSize, parseSize } from './requests.js';
import { markProducts } from './products.js';
import { owns } from '../../scope/rows.js';

export const MAX_PRODUCTS_PER_JOB = 500;
export const MAX_SHOTS_PER_PRODUCT_TYPE = 10;

export interface ProductShotsInput {
  photoIds: string[];
  productType: string;
  shots: ShotType[];
  n: number;
  height: number | null;
  width: number | null;
  unit: Dimensions['unit'];
  size: string;
  provider?: string;
  /** Product photo id → the id of a mask photo (white or opaque on the product, black or transparent around it). */
  masks?: Record<string, string>;
}

/** What the job keeps: the product type as it was asked for (edits to its templates later change later jobs only). */
interface ProductShotsRecord {
  photoIds: string[];
  productType: string;
  type: Pick<ProductTypeInfo, 'name' | 'label' | 'templates' | 'negativePrompt'>;
  shots: ShotType[];
  n: number;
  dimensions: Dimensions | null;
  size: string;
  /** Product photo id → mask photo id. */
  masks?: Record<string, string>;
}

/** Checks the request and queues the job; the photos become products of that type (their catalogue fields follow). */
export async function startProductShots(lib: Library, input: ProductShotsInput): Promise<GenerationJobInfo> {
  const provider = chooseProvider(lib, input.provider);
  if (!lib.images.get(provider)?.edit) {
    throw new UserError(
      'conflict',
      `the image provider "${provider}" has no image-to-image endpoint, which product shots need to keep the product's own pixels`,
    );
  }
  const size = parseSize(input.size);
  if (typeof size === 'string') throw new UserError('invalid', size);
  const type = await productTypeNamed(lib, input.productType);
  const ids = [...new Set(input.photoIds)];
  const dimensions = input.height !== null && input.width !== null ? { height: input.height, width: input.width, unit: input.unit } : null;
  if (input.shots.includes('dimensions') && !dimensions) {
    throw new UserError('invalid', "the dimensions shot (3) needs the product's height and width");
  }
  const found = await lib.db
    .select({ id: photos.id, thumbnailAt: photos.thumbnailAt, filename: photos.filename })
    .from(photos)
    .where(and(inArray(photos.id, ids), owns(lib, photos), isNull(photos.deletedAt)));
  const missing = ids.filter((id) => !found.some((photo) => photo.id === id));
  if (missing.length > 0)
    throw new UserError('not-found', `no photo with id ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`);
  const masks = input.masks ?? {};
  const strays = Object.keys(masks).filter((id) => !ids.includes(id));
  if (strays.length > 0) throw new UserError('invalid', `masks name photos that are not among photoIds: ${strays.slice(0, 3).join(', ')}`);
  const maskIds = [...new Set(Object.values(masks))];
  const maskRows = maskIds.length
    ? await lib.db
        .select({ id: photos.id, thumbnailAt: photos.thumbnailAt, filename: photos.filename })
        .from(photos)
        .where(and(inArray(photos.id, maskIds), owns(lib, photos), isNull(photos.deletedAt)))
    : [];
  const noMask = maskIds.filter((id) => !maskRows.some((row) => row.id === id));
  if (noMask.length > 0) throw new UserError('not-found', `no photo with id ${noMask[0]} (a mask)`);
  found.push(...maskRows);
  const waiting = found.filter((photo) => !photo.thumbnailAt);
  if (waiting.length > 0) {
    throw new UserError(
      'conflict',
      `not every photo has its preview yet (${waiting
        .slice(0, 3)
        .map((photo) => photo.filename)
        .join(', ')}): try again once their thumbnails are made`,
    );
  }
  // the quota first (startGeneration checks it again under its lock), so that a refused request changes nothing
  const imagesRequested = ids.length * input.shots.length * input.n;
  const left = await imagesLeftToday(lib, lib.settings.images.imagesPerDay);
  if (left.left !== null && imagesRequested > left.left) throw quotaRefusal(left, imagesRequested);
  await markProducts(lib, ids, { productType: type.name, dimensions });
  const record: ProductShotsRecord = {
    photoIds: ids,
    productType: type.name,
    type: { name: type.name, label: type.label, templates: type.templates, negativePrompt: type.negativePrompt },
    shots: input.shots,
    n: input.n,
    dimensions,
    size: formatSize(size),
    masks,
  };
  return startGeneration(lib, {
    kind: 'product-shots',
    provider,
    imagesRequested,
    request: record as unknown as Record<string, unknown>,
  });
}

/**
 * One unit per product, shot and copy, product by product (so that the few products being worked on are the
 * ones whose canvases are in memory). Each product's album is made first, once: a resumed job finds them.
 */
export async function planProductShots(lib: Library, job: GenerationJobRow): Promise<JobPlan | string> {
  const record = job.request as unknown as ProductShotsRecord;
  const size = parseSize(record.size);
  if (typeof size === 'string') return size;
  const names = await productNames(lib, record.photoIds);
  const albumOf = await ensureAlbums(lib, job, record, names);
  const canvases = new CanvasCache(lib, size, record.shots.length * record.n, record.masks ?? {});
  const units: ImageUnit[] = [];
  record.photoIds.forEach((photoId, p) => {
    record.shots.forEach((shot, s) => {
      for (let copy = 0; copy < record.n; copy++) {
        const index = (p * record.shots.length + s) * record.n + copy;
        units.push({
          index,
          prompt: shotPrompt(record.type, shot),
          negativePrompt: record.type.negativePrompt,
          seed: null,
          size,
          filename: `${fileStem(names.get(photoId) ?? 'product')}-${shot}-${copy + 1}`,
          source: async () => {
            const canvas = await canvases.get(photoId);
            return { image: canvas.image, mask: canvas.mask };
          },
          finish: async (image) => {
            const canvas = await canvases.get(photoId);
            const laid = await layProductOver(image, canvas, size);
            const data = shot === 'dimensions' && record.dimensions ? await drawDimensions(laid.data, canvas.box, record.dimensions, size) : laid.data;
            return { data, provenance: { composited: laid.composited } };
          },
          release: () => canvases.release(photoId),
          albumId: albumOf.get(photoId) ?? null,
          provenance: { mode: 'edit', sourcePhotoId: photoId, shot, productPhotoId: photoId, productType: record.productType },
        });
      }
    });
  });
  return { units };
}

/** Each product's canvas, made when its first shot starts and dropped when its last one is over. */
class CanvasCache {
  private readonly entries = new Map<string, { canvas: Promise<ProductCanvas> | null; left: number }>();

  constructor(
    private readonly lib: Library,
    private readonly size: { width: number; height: number },
    private readonly unitsPerProduct: number,
    /** A mask photo per product photo (white or opaque where the product is): it makes a cut-out of the photo. */
    private readonly masks: Record<string, string> = {},
  ) {}

  get(photoId: string): Promise<ProductCanvas> {
    const entry = this.entry(photoId);
    entry.canvas ??= this.load(photoId);
    return entry.canvas;
  }

  release(photoId: string): void {
    const entry = this.entry(photoId);
    entry.left -= 1;
    if (entry.left <= 0) this.entries.delete(photoId);
  }

  private entry(photoId: string) {
    let entry = this.entries.get(photoId);
    if (!entry) this.entries.set(photoId, (entry = { canvas: null, left: this.unitsPerProduct }));
    return entry;
  }

  /** The product photo (with its mask when it has one) as the canvas the provider edits. */
  private async load(photoId: string): Promise<ProductCanvas> {
    const product = await this.lend(photoId, 'product photo');
    try {
      const maskId = this.masks[photoId];
      if (!maskId) return await productCanvas(product.path, this.size);
      const mask = await this.lend(maskId, 'mask');
      try {
        return await productCanvas(await cutOut(product.path, mask.path), this.size);
      } finally {
        await mask.release();
      }
    } finally {
      await product.release();
    }
  }

  /**
   * A local file of the photo: the original when it may hold transparency (a PNG or WebP cut-out, or a mask), else
   * its preview (upright, and already as large as a canvas needs: a 12 MP JPEG costs a quarter of a second to decode).
   */
  private async lend(photoId: string, what: string) {
    const [photo] = await this.lib.db
      .select({ storageKey: photos.storageKey, storageLocation: photos.storageLocation, mime: photos.mime })
      .from(photos)
      .where(and(eq(photos.id, photoId), owns(this.lib, photos), isNull(photos.deletedAt)));
    if (!photo) throw new UnitFailure(`the ${what} ${photoId} is gone`);
    const direct = ['image/png', 'image/webp'].includes(photo.mime);
    return this.lib.storage.at(photo.storageLocation).localFile(direct ? photo.storageKey : derivedKey(photoId, 'preview.jpg'));
  }
}

async function productNames(lib: Library, photoIds: string[]): Promise<Map<string, string>> {
  const found = await lib.db
    .select({ id: photos.id, filename: photos.filename, name: products.name })
    .from(photos)
    .leftJoin(products, eq(products.photoId, photos.id))
    .where(and(inArray(photos.id, photoIds), owns(lib, photos)));
  return new Map(found.map((row) => [row.id, row.name?.trim() || row.filename.replace(/\.[^.]+$/, '')]));
}

/** The album of each product's set: made once per job (kept in the job's row), the product photo first and its cover. */
async function ensureAlbums(lib: Library, job: GenerationJobRow, record: ProductShotsRecord, names: Map<string, string>): Promise<Map<string, string>> {
  const made = new Map(Object.entries(job.albums));
  const shots = record.shots.map((shot) => SHOT_LABELS[shot].toLowerCase()).join(', ');
  for (const photoId of record.photoIds) {
    if (made.has(photoId)) continue;
    const albumId = await lib.db.transaction(async (tx) => {
      const [album] = await tx
        .insert(albums)
        .values({
          ownerId: lib.ownerId,
          name: `${names.get(photoId) ?? 'Product'} — product shots`.slice(0, 200),
          description: `Product shots of ${record.type.label} (${record.productType}): ${shots}.`,
          kind: 'manual',
          status: 'active',
          nameSource: 'user',
          coverPhotoId: photoId,
        })
        .returning({ id: albums.id });
      await tx.insert(albumPhotos).values({ albumId: album!.id, photoId }).onConflictDoNothing();
      await tx
        .update(generationJobs)
        .set({ albums: sql`${generationJobs.albums} || ${JSON.stringify({ [photoId]: album!.id })}::jsonb` })
        .where(eq(generationJobs.id, job.id));
      return album!.id;
    });
    made.set(photoId, albumId);
  }
  return made;
}

function fileStem(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'product'
  );
}
