-- Keyword search: an accent-blind English configuration (stems "flowers" to "flower", "café" matches "cafe").
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'shoebox') THEN
    CREATE TEXT SEARCH CONFIGURATION shoebox (COPY = english);
    ALTER TEXT SEARCH CONFIGURATION shoebox ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
  END IF;
END $$;
--> statement-breakpoint
CREATE TABLE "photo_search" (
	"photo_id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"tags" text DEFAULT '' NOT NULL,
	"people" text DEFAULT '' NOT NULL,
	"places" text DEFAULT '' NOT NULL,
	"albums" text DEFAULT '' NOT NULL,
	"keywords" text DEFAULT '' NOT NULL,
	"caption" text DEFAULT '' NOT NULL,
	"ocr" text DEFAULT '' NOT NULL,
	"filename" text DEFAULT '' NOT NULL,
	"camera" text DEFAULT '' NOT NULL,
	"terms" text[] DEFAULT '{}'::text[] NOT NULL,
	"document" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('shoebox', tags || ' ' || people || ' ' || places || ' ' || albums || ' ' || keywords), 'A') || setweight(to_tsvector('shoebox', caption), 'B') || setweight(to_tsvector('shoebox', ocr), 'C') || setweight(to_tsvector('shoebox', filename || ' ' || camera), 'D')) STORED
);
--> statement-breakpoint
CREATE TABLE "search_terms" (
	"owner_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"label" text NOT NULL,
	"normalized" text NOT NULL,
	"photos" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "search_terms_owner_id_kind_key_pk" PRIMARY KEY("owner_id","kind","key")
);
--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "place_city" text;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "place_state" text;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "place_country" text;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "place_country_code" text;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "place_source" text;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "favorite" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "photo_search" ADD CONSTRAINT "photo_search_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "photo_search_document_idx" ON "photo_search" USING gin ("document");--> statement-breakpoint
CREATE INDEX "search_terms_normalized_trgm_idx" ON "search_terms" USING gin ("normalized" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "search_terms_prefix_idx" ON "search_terms" USING btree ("owner_id","normalized" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "photos_favorite_idx" ON "photos" USING btree ("owner_id") WHERE "photos"."favorite";