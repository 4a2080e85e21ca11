// Categories live in the database with a tag → category mapping. A photo's categories are read through its
// tags at query time, so editing the mapping re-categorises every photo at once, without running a model.
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { rows, type Db } from '../db/connection.js';
import { categories, categoryTags, libraryMeta } from '../db/schema.js';
import { SEED_CATEGORIES } from '../ml/tags/categories.js';
import { UserError } from './errors.js';
import type { Library } from './library.js';

export interface CategorySummary {
  id: string;
  name: string;
  label: string;
  tags: string[];
  photoCount: number;
}

/** Every tag a photo carries: zero-shot CLIP tags and the tags a caption model gave. */
const ALL_PHOTO_TAGS = sql`(select photo_id, tag from photo_tags union select photo_id, unnest(tags) as tag from photo_captions)`;

const SEED_KEY = 'categories_seed';
const SEED_VERSION = 1;

/**
 * Puts the seed categories in a new library, once: later edits (including deleting a seed category) are the
 * user's and are never undone.
 */
export async function seedCategories(db: Db): Promise<void> {
  const [seeded] = await db.select().from(libraryMeta).where(eq(libraryMeta.key, SEED_KEY));
  if (seeded) return;
  await db.transaction(async (tx) => {
    for (const seed of SEED_CATEGORIES) {
      const [row] = await tx
        .insert(categories)
        .values({ name: seed.name, label: seed.label })
        .onConflictDoUpdate({ target: categories.name, set: { label: seed.label } })
        .returning({ id: categories.id });
      if (seed.tags.length > 0) {
        await tx
          .insert(categoryTags)
          .values(seed.tags.map((tag) => ({ categoryId: row!.id, tag })))
          .onConflictDoNothing();
      }
    }
    await tx.insert(libraryMeta).values({ key: SEED_KEY, value: { version: SEED_VERSION } });
  });
}

const normaliseName = (name: string) => name.trim().toLowerCase().replace(/\s+/g, '-');
const normaliseTag = (tag: string) => tag.trim().toLowerCase().replace(/\s+/g, ' ');

function validName(name: string): string {
  const clean = normaliseName(name);
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(clean)) {
    throw new UserError(400, `category name "${name}" must be 1–63 letters, digits or dashes`);
  }
  return clean;
}

function validTags(tags: string[]): string[] {
  const clean = [...new Set(tags.map(normaliseTag).filter(Boolean))];
  const tooLong = clean.find((t) => t.length > 100);
  if (tooLong) throw new UserError(400, `tag "${tooLong.slice(0, 40)}…" is longer than 100 characters`);
  return clean.sort();
}

/** Every category with its tags and how many of the owner's photos it holds now. */
export async function listCategories(lib: Library): Promise<CategorySummary[]> {
  const [all, mapping, counts] = await Promise.all([
    lib.db.select().from(categories).orderBy(asc(categories.name)),
    lib.db.select().from(categoryTags).orderBy(asc(categoryTags.tag)),
    rows<{ category_id: string; count: number }>(
      lib.db,
      sql`select ct.category_id, count(distinct pt.photo_id)::int as count
          from category_tags ct
          join ${ALL_PHOTO_TAGS} pt on pt.tag = ct.tag
          join photos p on p.id = pt.photo_id and p.owner_id = ${lib.ownerId} and p.deleted_at is null
          group by ct.category_id`,
    ),
  ]);
  const countById = new Map(counts.map((c) => [c.category_id, c.count]));
  return all.map((c) => ({
    id: c.id,
    name: c.name,
    label: c.label,
    tags: mapping.filter((m) => m.categoryId === c.id).map((m) => m.tag),
    photoCount: countById.get(c.id) ?? 0,
  }));
}

async function requireCategory(lib: Library, id: string) {
  const [category] = await lib.db.select().from(categories).where(eq(categories.id, id));
  if (!category) throw new UserError(404, `no category with id ${id}`);
  return category;
}

async function summary(lib: Library, id: string): Promise<CategorySummary> {
  return (await listCategories(lib)).find((c) => c.id === id)!;
}

export async function createCategory(lib: Library, input: { name: string; label?: string; tags?: string[] }): Promise<CategorySummary> {
  const name = validName(input.name);
  const tags = validTags(input.tags ?? []);
  const [exists] = await lib.db.select({ id: categories.id }).from(categories).where(eq(categories.name, name));
  if (exists) throw new UserError(409, `a category named "${name}" exists already`);
  const [row] = await lib.db
    .insert(categories)
    .values({ name, label: input.label?.trim() || name.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()) })
    .returning({ id: categories.id });
  if (tags.length > 0) await lib.db.insert(categoryTags).values(tags.map((tag) => ({ categoryId: row!.id, tag })));
  return summary(lib, row!.id);
}

/** Renames or relabels a category; with `tags`, replaces its whole mapping. */
export async function updateCategory(
  lib: Library,
  id: string,
  changes: { name?: string; label?: string; tags?: string[]; addTags?: string[]; removeTags?: string[] },
): Promise<CategorySummary> {
  await requireCategory(lib, id);
  const set: Partial<typeof categories.$inferInsert> = {};
  if (changes.name !== undefined) {
    set.name = validName(changes.name);
    const [clash] = await lib.db.select({ id: categories.id }).from(categories).where(eq(categories.name, set.name));
    if (clash && clash.id !== id) throw new UserError(409, `a category named "${set.name}" exists already`);
  }
  if (changes.label !== undefined) {
    if (!changes.label.trim()) throw new UserError(400, 'label must not be empty');
    set.label = changes.label.trim();
  }
  await lib.db.transaction(async (tx) => {
    if (Object.keys(set).length > 0) await tx.update(categories).set(set).where(eq(categories.id, id));
    if (changes.tags !== undefined) {
      await tx.delete(categoryTags).where(eq(categoryTags.categoryId, id));
      const tags = validTags(changes.tags);
      if (tags.length > 0) await tx.insert(categoryTags).values(tags.map((tag) => ({ categoryId: id, tag })));
    }
    const added = validTags(changes.addTags ?? []);
    if (added.length > 0) await tx.insert(categoryTags).values(added.map((tag) => ({ categoryId: id, tag }))).onConflictDoNothing();
    const removed = validTags(changes.removeTags ?? []);
    if (removed.length > 0) {
      await tx.delete(categoryTags).where(sql`${categoryTags.categoryId} = ${id} and ${inArray(categoryTags.tag, removed)}`);
    }
  });
  return summary(lib, id);
}

export async function deleteCategory(lib: Library, id: string): Promise<void> {
  await requireCategory(lib, id);
  await lib.db.delete(categories).where(eq(categories.id, id));
}

/** Categories of some photos, through their tags (CLIP tags and caption tags). */
export async function categoriesOfPhotos(db: Db, photoIds: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (photoIds.length === 0) return result;
  const ids = sql`(${sql.join(photoIds.map((id) => sql`${id}::uuid`), sql`, `)})`;
  const found = await rows<{ photo_id: string; name: string }>(
    db,
    sql`select distinct t.photo_id, c.name
        from ${ALL_PHOTO_TAGS} t
        join category_tags ct on ct.tag = t.tag
        join categories c on c.id = ct.category_id
        where t.photo_id in ${ids}
        order by c.name`,
  );
  for (const row of found) result.set(row.photo_id, [...(result.get(row.photo_id) ?? []), row.name]);
  return result;
}
