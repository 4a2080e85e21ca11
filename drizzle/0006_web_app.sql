-- A rating the user set survives a reprocess: the metadata step writes the file's rating only where this is false.
ALTER TABLE "photos" ADD COLUMN "rating_by_user" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- The camera's wall-clock time (else the file date in UTC): the timeline groups by its day or month and lists
-- sort by it, newest first and undated (null) last, so that a day's photos stay together whatever their offsets.
-- Immutable (a generated column must be): the digits are read with make_timestamp, not a cast that reads DateStyle.
ALTER TABLE "photos" ADD COLUMN "taken_local" timestamp GENERATED ALWAYS AS (CASE WHEN taken_at_text ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}' THEN make_timestamp(substr(taken_at_text, 1, 4)::int, substr(taken_at_text, 6, 2)::int, substr(taken_at_text, 9, 2)::int, substr(taken_at_text, 12, 2)::int, substr(taken_at_text, 15, 2)::int, substring(taken_at_text from '^.{17}(\d{2}(?:\.\d+)?)')::float8) ELSE taken_at AT TIME ZONE 'UTC' END) STORED;--> statement-breakpoint
-- The jobs feed asks every second whether anything changed: the latest step started or finished, the latest
-- photo change, each from the end of an index.
CREATE INDEX "photo_steps_started_idx" ON "photo_steps" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "photo_steps_finished_idx" ON "photo_steps" USING btree ("finished_at");--> statement-breakpoint
-- Failures newest first, for the jobs page.
CREATE INDEX "photo_steps_failed_idx" ON "photo_steps" USING btree ("finished_at" DESC NULLS LAST) WHERE "photo_steps"."status" = 'failed';--> statement-breakpoint
-- Every column of the timeline's order: a deep page (offset 99,000) is skipped over in the index alone.
CREATE INDEX "photos_timeline_idx" ON "photos" USING btree ("owner_id","taken_local" DESC NULLS LAST,"created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "photos"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "photos_updated_idx" ON "photos" USING btree ("updated_at");--> statement-breakpoint
-- How many days and months there are (not one group per photo, as the planner would guess from taken_local):
-- the timeline then counts in a hash table in memory instead of sorting 100k rows on disk (145 → 60 ms at 100k).
CREATE STATISTICS "photos_taken_day_stats" ON (date_trunc('day', "taken_local")) FROM "photos";--> statement-breakpoint
CREATE STATISTICS "photos_taken_month_stats" ON (date_trunc('month', "taken_local")) FROM "photos";
