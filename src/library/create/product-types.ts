// Product types and their shot prompts: each user starts with a set (jewellery and watches) and edits it through
// the API. A template says what each shot type shows; `{product}` stands for the type's label.
import { and, asc, eq, isNull } from 'drizzle-orm';
import { productTypes, SHOT_TYPES, users, type ProductTypeRow, type ShotTemplates, type ShotType } from '../../db/schema.js';
import { UserError } from '../../base/errors.js';
import type { Library } from '../library.js';
import { owns, type OwnerView } from '../../scope/rows.js';
import { mayChange } from '../actors.js';

export const SHOT_LABELS: Readonly<Record<ShotType, string>> = {
  white: 'White background',
  hand: 'Held in a hand',
  dimensions: 'With its dimensions',
  lifestyle: 'Lifestyle scene',
  model: 'Worn by a model',
};

const DEFAULT_NEGATIVE = 'text, watermark, logo, deformed hands, extra fingers, distorted product, blurry';

function templates(wornOn: string): ShotTemplates {
  return {
    white: 'Professional e-commerce product photo of {product} on a pure white seamless background, soft even studio lighting, sharp focus, centred, no props',
    hand: '{product} held gently between the fingertips of a hand with a natural manicure, soft neutral background, shallow depth of field, studio light, the product clearly visible',
    dimensions:
      'Clean catalogue photo of {product} on a pure white background, seen straight on, centred with wide empty margins on every side, soft shadowless light',
    lifestyle: '{product} in an elegant lifestyle scene on a marble dressing table, soft morning window light, a few tasteful props, warm inviting mood',
    model: `A model wearing {product} ${wornOn}, close-up framing, natural skin, soft fashion lighting, neutral background, the product in sharp focus`,
  };
}

/** The set every user starts with. */
export const STARTING_TYPES: readonly { name: string; label: string; templates: ShotTemplates }[] = [
  { name: 'earring', label: 'an earring', templates: templates('on her ear, seen from the side with the jawline') },
  { name: 'bracelet', label: 'a bracelet', templates: templates('on her wrist') },
  { name: 'necklace', label: 'a necklace', templates: templates('around her neck, collarbones in frame') },
  { name: 'ring', label: 'a ring', templates: templates('on her finger, the hand resting elegantly') },
  { name: 'watch', label: 'a wristwatch', templates: templates('on the wrist, the dial facing the camera') },
  { name: 'pendant', label: 'a pendant on a fine chain', templates: templates('around the neck, the pendant resting on the chest') },
];

export interface ProductTypeInfo {
  id: string;
  name: string;
  label: string;
  templates: ShotTemplates;
  negativePrompt: string | null;
  updatedAt: string;
}

function info(row: ProductTypeRow): ProductTypeInfo {
  return {
    id: row.id,
    name: row.name,
    label: row.label,
    templates: row.templates,
    negativePrompt: row.negativePrompt,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Gives the user the starting types once (a user who deleted them does not get them back). */
export async function ensureProductTypes(owner: OwnerView): Promise<void> {
  const { ownerId } = owner;
  await owner.db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(users)
      .set({ productTypesSeededAt: new Date() })
      .where(and(eq(users.id, ownerId), isNull(users.productTypesSeededAt)))
      .returning({ id: users.id });
    if (!claimed) return;
    await tx
      .insert(productTypes)
      .values(STARTING_TYPES.map((type) => ({ ownerId, ...type, negativePrompt: DEFAULT_NEGATIVE })))
      .onConflictDoNothing();
  });
}

export async function listProductTypes(lib: Library): Promise<ProductTypeInfo[]> {
  await ensureProductTypes(lib);
  const found = await lib.db.select().from(productTypes).where(owns(lib, productTypes)).orderBy(asc(productTypes.name));
  return found.map(info);
}

/** The user's type by name; 400 naming the ones they have when there is none. */
export async function productTypeNamed(lib: Library, name: string): Promise<ProductTypeInfo> {
  await ensureProductTypes(lib);
  const [row] = await lib.db
    .select()
    .from(productTypes)
    .where(and(owns(lib, productTypes), eq(productTypes.name, name.toLowerCase())));
  if (row) return info(row);
  const names = (await listProductTypes(lib)).map((type) => type.name);
  throw new UserError('invalid', `no product type named ${JSON.stringify(name)}: you have ${names.join(', ') || 'none'} (POST /api/product-types adds one)`);
}

export interface ProductTypeInput {
  name?: string;
  label?: string;
  templates?: Partial<ShotTemplates>;
  negativePrompt?: string | null;
}

export async function createProductType(lib: Library, input: Required<Pick<ProductTypeInput, 'name' | 'label'>> & ProductTypeInput): Promise<ProductTypeInfo> {
  mayChange(lib);
  await ensureProductTypes(lib);
  const base = templates('where it is worn');
  const [row] = await lib.db
    .insert(productTypes)
    .values({
      ownerId: lib.ownerId,
      name: input.name.toLowerCase(),
      label: input.label,
      templates: { ...base, ...definedTemplates(input.templates) },
      negativePrompt: input.negativePrompt === undefined ? DEFAULT_NEGATIVE : input.negativePrompt,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new UserError('conflict', `you have a product type named ${input.name.toLowerCase()} already`);
  return info(row);
}

export async function updateProductType(lib: Library, id: string, input: ProductTypeInput): Promise<ProductTypeInfo> {
  mayChange(lib);
  const [current] = await lib.db
    .select()
    .from(productTypes)
    .where(and(eq(productTypes.id, id), owns(lib, productTypes)));
  if (!current) throw new UserError('not-found', `no product type with id ${id}`);
  try {
    const [row] = await lib.db
      .update(productTypes)
      .set({
        ...(input.name !== undefined ? { name: input.name.toLowerCase() } : {}),
        ...(input.label !== undefined ? { label: input.label } : {}),
        ...(input.templates !== undefined ? { templates: { ...current.templates, ...definedTemplates(input.templates) } } : {}),
        ...(input.negativePrompt !== undefined ? { negativePrompt: input.negativePrompt } : {}),
        updatedAt: new Date(),
      })
      .where(eq(productTypes.id, id))
      .returning();
    return info(row!);
  } catch (error) {
    if (/product_types_owner_name_uq|unique/i.test(String((error as Error).message ?? ''))) {
      throw new UserError('conflict', `you have a product type named ${input.name} already`);
    }
    throw error;
  }
}

export async function deleteProductType(lib: Library, id: string): Promise<void> {
  mayChange(lib);
  const removed = await lib.db
    .delete(productTypes)
    .where(and(eq(productTypes.id, id), owns(lib, productTypes)))
    .returning({ id: productTypes.id });
  if (removed.length === 0) throw new UserError('not-found', `no product type with id ${id}`);
}

function definedTemplates(templates: Partial<ShotTemplates> | undefined): Partial<ShotTemplates> {
  return Object.fromEntries(Object.entries(templates ?? {}).filter(([key, value]) => SHOT_TYPES.includes(key as ShotType) && typeof value === 'string'));
}

/** A shot's prompt for a product type: its template with `{product}` filled in. */
export function shotPrompt(type: Pick<ProductTypeInfo, 'label' | 'templates'>, shot: ShotType): string {
  return type.templates[shot].replace(/\{product\}/g, type.label);
}
