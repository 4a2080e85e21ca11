// Categories live in the database with a tag → category mapping. A photo's categories are read through its
// tags at query time, so editing the mapping re-categorises every photo at once, without running a model.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { categories, categoryTags, users } from '../../db/schema.js';
import { SEED_CATEGORIES } from '../../ml/tags/categories.js';
import { UserError } from '../../base/errors.js';
import type { Library } from '../library.js';
import { owns, ownsSql, sameOwnerSql } from '../../scope/rows.js';
import { mayChange } from '../actors.js';
import { DETECTED_OBJECT_TAGS } from '../../search/object-tags.js';

export interface CategorySummary {
  id: string;
  name: string;
  label: string;
  tags: string[];
  photoCount: number;
}

/** Every tag a photo carries: zero-shot CLIP tags, the tags a caption model gave and those of its detected objects. */
const ALL_PHOTO_TAGS = sql`(select photo_id, tag from photo_tags union select photo_id, unnest(tags) as tag from photo_captions
  union select photo_id, tag from ${DETECTED_OBJECT_TAGS} d)`;

/**
 * Gives every user who has not had them yet the seed categories, once: later edits (including deleting a seed
 * category) are the user's and are never undone. Runs at start and when a user is created.
 */
export async function seedCategories(db: Db): Promise<void> {
  const waiting = await db.select({ id: users.id }).from(users).where(isNull(users.categoriesSeededAt));
  for (const user of waiting) await seedCategoriesFor(db, user.id);
}

async function seedCategoriesFor(db: Db, ownerId: string): Promise<void> {
  await db.transaction(async (tx) => {
    // Claims the user first, so that two servers starting together do not seed twice.
    const claimed = await tx
      .update(users)
      .set({ categoriesSeededAt: new Date() })
      .where(and(eq(users.id, ownerId), isNull(users.categoriesSeededAt)))
      .returning({ id: users.id });
    if (claimed.length === 0) return;
    for (const seed of SEED_CATEGORIES) {
      const [row] = await tx
        .insert(categories)
        .values({ ownerId, name: seed.name, label: seed.label })
        .onConflictDoUpdate({ target: [categories.ownerId, categories.name], set: { label: seed.label } })
        .returning({ id: categories.id });
      if (seed.tags.length > 0) {
        await tx
          .insert(categoryTags)
          .values(seed.tags.map((tag) => ({ categoryId: row!.id, tag })))
          .onConflictDoNothing();
      }
    }
  });
}

const normaliseName = (name: string) => name.trim().toLowerCase().replace(/\s+/g, '-');
const normaliseTag = (tag: string) => tag.trim().toLowerCase().replace(/\s+/g, ' ');

function validName(name: string): string {
  const clean = normaliseName(name);
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(clean)) {
    throw new UserError('invalid', `category name "${name}" must be 1–63 letters, digits or dashes`);
  }
  return clean;
}

function validTags(tags: string[]): string[] {
  const clean = [...new Set(tags.map(normaliseTag).filter(Boolean))];
  const tooLong = clean.find((t) => t.length > 100);
  if (tooLong) throw new UserError('invalid', `tag "${tooLong.slice(0, 40)}…" is longer than 100 characters`);
  return clean.sort();
}

/** The user's categories with their tags and how many of their photos each holds now. */
export async function listCategories(lib: Library): Promise<CategorySummary[]> {
  const [all, mapping, counts] = await Promise.all([
    lib.db.select().from(categories).where(owns(lib, categories)).orderBy(asc(categories.name)),
    lib.db
      .select({ categoryId: categoryTags.categoryId, tag: categoryTags.tag })
      .from(categoryTags)
      .innerJoin(categories, eq(categories.id, categoryTags.categoryId))
      .where(owns(lib, categories))
      .orderBy(asc(categoryTags.tag)),
    rows<{ category_id: string; count: number }>(
      lib.db,
      sql`select ct.category_id, count(distinct pt.photo_id)::int as count
          from category_tags ct
          join categories c on c.id = ct.category_id and ${ownsSql(lib, 'c')}
          join ${ALL_PHOTO_TAGS} pt on pt.tag = ct.tag
          join photos p on p.id = pt.photo_id and ${ownsSql(lib, 'p')} and p.deleted_at is null
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
  const [category] = await lib.db
    .select()
    .from(categories)
    .where(and(eq(categories.id, id), owns(lib, categories)));
  if (!category) throw new UserError('not-found', `no category with id ${id}`);
  return category;
}

async function summary(lib: Library, id: string): Promise<CategorySummary> {
  return (await listCategories(lib)).find((c) => c.id === id)!;
}

export async function createCategory(lib: Library, input: { name: string; label?: string; tags?: string[] }): Promise<CategorySummary> {
  mayChange(lib);
  const name = validName(input.name);
  const tags = validTags(input.tags ?? []);
  const [exists] = await lib.db
    .select({ id: categories.id })
    .from(categories)
    .where(and(owns(lib, categories), eq(categories.name, name)));
  if (exists) throw new UserError('conflict', `a category named "${name}" exists already`);
  const [row] = await lib.db
    .insert(categories)
    .values({ ownerId: lib.ownerId, name, label: input.label?.trim() || name.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()) })
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
  mayChange(lib);
  await requireCategory(lib, id);
  const set: Partial<typeof categories.$inferInsert> = {};
  if (changes.name !== undefined) {
    set.name = validName(changes.name);
    const [clash] = await lib.db
      .select({ id: categories.id })
      .from(categories)
      .where(and(owns(lib, categories), eq(categories.name, set.name)));
    if (clash && clash.id !== id) throw new UserError('conflict', `a category named "${set.name}" exists already`);
  }
  if (changes.label !== undefined) {
    if (!changes.label.trim()) throw new UserError('invalid', 'label must not be empty');
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
    if (added.length > 0)
      await tx
        .insert(categoryTags)
        .values(added.map((tag) => ({ categoryId: id, tag })))
        .onConflictDoNothing();
    const removed = validTags(changes.removeTags ?? []);
    if (removed.length > 0) {
      await tx.delete(categoryTags).where(sql`${categoryTags.categoryId} = ${id} and ${inArray(categoryTags.tag, removed)}`);
    }
  });
  return summary(lib, id);
}

export async function deleteCategory(lib: Library, id: string): Promise<void> {
  mayChange(lib);
  await requireCategory(lib, id);
  await lib.db.delete(categories).where(eq(categories.id, id));
}

/** Categories of some photos, through their tags (CLIP tags and caption tags) and their owner's mapping. */
export async function categoriesOfPhotos(db: Db, photoIds: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (photoIds.length === 0) return result;
  const ids = sql`(${sql.join(
    photoIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;
  const found = await rows<{ photo_id: string; name: string }>(
    db,
    sql`select distinct t.photo_id, c.name
        from ${ALL_PHOTO_TAGS} t
        join category_tags ct on ct.tag = t.tag
        join photos p on p.id = t.photo_id
        join categories c on c.id = ct.category_id and ${sameOwnerSql('c', 'p')}
        where t.photo_id in ${ids}
        order by c.name`,
  );
  for (const row of found) result.set(row.photo_id, [...(result.get(row.photo_id) ?? []), row.name]);
  return result;
}
