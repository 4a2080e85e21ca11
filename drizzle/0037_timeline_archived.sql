-- The timeline leaves the archive out (migration 0029), but its index (0006) did not hold `archived`: the gallery's
-- count read every row of the table (a sequential scan of all users' photos) and its pages fetched each row to test it.
-- `archived` after the unique id orders nothing; the page and the count are read from the index alone again.
DROP INDEX "photos_timeline_idx";--> statement-breakpoint
CREATE INDEX "photos_timeline_idx" ON "photos" USING btree ("owner_id","taken_local" DESC NULLS LAST,"created_at" DESC NULLS LAST,"id" DESC NULLS LAST,"archived") WHERE "photos"."deleted_at" is null;