DROP INDEX "photo_embeddings_hnsw_idx";--> statement-breakpoint
-- Vectors stored in the row instead of TOAST (a 512-d vector is just over the 2 kB TOAST threshold): an exact
-- scan over the photos a filter keeps then reads one page per few rows instead of chasing TOAST pointers.
-- The update writes each vector anew so that existing rows move too; the index is rebuilt after it.
ALTER TABLE "photo_embeddings" ALTER COLUMN "embedding" SET STORAGE PLAIN;--> statement-breakpoint
UPDATE "photo_embeddings" SET "embedding" = ("embedding"::real[])::vector;--> statement-breakpoint
ALTER TABLE "photo_search" ADD COLUMN "strong" "tsvector" GENERATED ALWAYS AS (to_tsvector('shoebox', tags || ' ' || people || ' ' || places || ' ' || albums || ' ' || keywords)) STORED;--> statement-breakpoint
CREATE INDEX "photo_search_strong_idx" ON "photo_search" USING gin ("strong");--> statement-breakpoint
-- pgvector builds the graph in memory when it fits (260 MB at 100k photos), several times faster than on disk.
SET LOCAL maintenance_work_mem = '512MB';--> statement-breakpoint
CREATE INDEX "photo_embeddings_hnsw_idx" ON "photo_embeddings" USING hnsw ("embedding" vector_cosine_ops) WITH (m=16,ef_construction=128);
