-- drizzle-kit never emits CREATE EXTENSION; vector and pg_trgm are needed by search and embeddings.
CREATE EXTENSION IF NOT EXISTS vector;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
