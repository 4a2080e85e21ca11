-- A counter per thing a server may cache (see change_marks in src/db/schema.ts): the timeline of a library with
-- 100k photos takes 60–300 ms to count, checking whether it could have changed takes one row.
CREATE TABLE "change_marks" (
	"name" text PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);--> statement-breakpoint
INSERT INTO "change_marks" ("name", "version") VALUES ('photo_order', 0);--> statement-breakpoint
CREATE FUNCTION "bump_change_mark"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE change_marks SET version = version + 1 WHERE name = TG_ARGV[0];
  RETURN NULL;
END
$$;--> statement-breakpoint
-- Arrivals and removals: once per statement (an import's COPY of 100k rows bumps it once).
CREATE TRIGGER "photos_order_rows" AFTER INSERT OR DELETE ON "photos" FOR EACH STATEMENT EXECUTE FUNCTION "bump_change_mark"('photo_order');--> statement-breakpoint
CREATE TRIGGER "photos_order_truncate" AFTER TRUNCATE ON "photos" FOR EACH STATEMENT EXECUTE FUNCTION "bump_change_mark"('photo_order');--> statement-breakpoint
-- Edits: only rows whose order or filtered columns really changed (the pipeline's many state updates do not
-- bump it; the WHEN is checked without calling the function).
CREATE TRIGGER "photos_order_edits" AFTER UPDATE ON "photos" FOR EACH ROW
  WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
    OR OLD.taken_at IS DISTINCT FROM NEW.taken_at OR OLD.taken_at_text IS DISTINCT FROM NEW.taken_at_text
    OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.make IS DISTINCT FROM NEW.make
    OR OLD.model IS DISTINCT FROM NEW.model OR OLD.latitude IS DISTINCT FROM NEW.latitude
    OR OLD.longitude IS DISTINCT FROM NEW.longitude OR OLD.favorite IS DISTINCT FROM NEW.favorite)
  EXECUTE FUNCTION "bump_change_mark"('photo_order');
