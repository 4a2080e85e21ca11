import { sql } from 'drizzle-orm';
import { rows, type Db } from './connection.js';
import { PHOTO_EMBEDDINGS_HNSW } from './schema.js';

const checkedDimensions = new WeakMap<Db, number>();

/**
 * The embedding column holds one model's vectors. A model with another size (say a 768-d multilingual CLIP)
 * gets the column re-created with its size and a new HNSW index; the old vectors cannot be compared with the
 * new ones anyway, and every photo is being re-embedded (the step's version names the model).
 */
export async function ensureEmbeddingDimensions(db: Db, dimensions: number): Promise<void> {
  if (checkedDimensions.get(db) === dimensions) return;
  const [column] = await rows<{ dims: number }>(
    db,
    sql`select atttypmod as dims from pg_attribute
        where attrelid = 'photo_embeddings'::regclass and attname = 'embedding'`,
  );
  if (column && column.dims !== dimensions) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`delete from photo_embeddings`);
      await tx.execute(sql`drop index if exists photo_embeddings_hnsw_idx`);
      await tx.execute(sql.raw(`alter table photo_embeddings alter column embedding type vector(${dimensions})`));
      // a type change resets the storage to the type's default (migration 0004 says why it is plain)
      await tx.execute(sql`alter table photo_embeddings alter column embedding set storage plain`);
      const { m, ef_construction } = PHOTO_EMBEDDINGS_HNSW;
      await tx.execute(
        sql.raw(`create index photo_embeddings_hnsw_idx on photo_embeddings using hnsw (embedding vector_cosine_ops)
                 with (m = ${m}, ef_construction = ${ef_construction})`),
      );
    });
  }
  checkedDimensions.set(db, dimensions);
}
