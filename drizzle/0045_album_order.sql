-- The big album's page sorted all of its ~10,000 photos and counted them on every request (125 ms p95 at 200,000
-- photos, bench/README.md, issue 62). Each album_photos row now holds its photo's place in the timeline's order
-- and whether it is in the trash, so a page walks album_photos_order_idx; each album's photos and videos outside the trash are kept on albums.
-- As for people's counts (0044), the triggers never update albums: they insert signed changes into
-- album_count_deltas, which a fold moves into the columns (library/albums/counts.ts).
CREATE TABLE "album_count_deltas" (
	"album_id" uuid NOT NULL,
	"photos" integer NOT NULL,
	"videos" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "album_photos" ADD COLUMN "taken_local" timestamp;--> statement-breakpoint
ALTER TABLE "album_photos" ADD COLUMN "photo_created_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "album_photos" ADD COLUMN "trashed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "albums" ADD COLUMN "photo_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "albums" ADD COLUMN "video_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "album_count_deltas_album_idx" ON "album_count_deltas" USING btree ("album_id");--> statement-breakpoint
-- Hand-written from here (triggers and the fill of existing rows); the part above is drizzle-kit's, less its
-- album_photos_order_idx, made at the end.
CREATE FUNCTION "album_photos_sort_key"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- whatever the insert gave (migrate copies none): the photo's own values
  SELECT p.taken_local, p.created_at, p.deleted_at IS NOT NULL INTO NEW.taken_local, NEW.photo_created_at, NEW.trashed
    FROM photos p WHERE p.id = NEW.photo_id;
  -- no such photo: the foreign key's error is the one the caller sees, not trashed's NOT NULL
  NEW.trashed := coalesce(NEW.trashed, false);
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "album_photos_sort_key" BEFORE INSERT OR UPDATE OF "photo_id" ON "album_photos"
  FOR EACH ROW EXECUTE FUNCTION "album_photos_sort_key"();--> statement-breakpoint
CREATE FUNCTION "album_photos_of_photos"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE album_photos SET taken_local = NEW.taken_local, photo_created_at = NEW.created_at WHERE photo_id = NEW.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
-- taken_local is generated: the trigger names what it is made of, and compares the result
CREATE TRIGGER "photos_album_photos" AFTER UPDATE OF "taken_at_text", "taken_at", "created_at" ON "photos" FOR EACH ROW
  WHEN (OLD.taken_local IS DISTINCT FROM NEW.taken_local OR OLD.created_at IS DISTINCT FROM NEW.created_at)
  EXECUTE FUNCTION "album_photos_of_photos"();--> statement-breakpoint
CREATE FUNCTION "album_counts_of_album_photos"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- a photo in the trash counts for no album (trashing and restoring move its counts: album_counts_of_photos)
  IF TG_OP = 'INSERT' THEN
    INSERT INTO album_count_deltas (album_id, photos, videos)
      SELECT NEW.album_id, 1, CASE WHEN p.mime LIKE 'video/%' THEN 1 ELSE 0 END FROM photos p WHERE p.id = NEW.photo_id AND p.deleted_at IS NULL;
  ELSE
    INSERT INTO album_count_deltas (album_id, photos, videos)
      SELECT OLD.album_id, -1, CASE WHEN p.mime LIKE 'video/%' THEN -1 ELSE 0 END FROM photos p WHERE p.id = OLD.photo_id AND p.deleted_at IS NULL;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "album_photos_album_counts" AFTER INSERT OR DELETE ON "album_photos" FOR EACH ROW
  EXECUTE FUNCTION "album_counts_of_album_photos"();--> statement-breakpoint
CREATE FUNCTION "album_counts_of_photos"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- trashed, or deleted from the library (before its rows cascade away), or restored from the trash
  change integer := CASE WHEN TG_OP = 'UPDATE' AND NEW.deleted_at IS NULL THEN 1 ELSE -1 END;
BEGIN
  INSERT INTO album_count_deltas (album_id, photos, videos)
    SELECT ap.album_id, change, CASE WHEN OLD.mime LIKE 'video/%' THEN change ELSE 0 END
    FROM album_photos ap WHERE ap.photo_id = OLD.id;
  IF TG_OP = 'UPDATE' THEN
    UPDATE album_photos SET trashed = NEW.deleted_at IS NOT NULL WHERE photo_id = NEW.id;
  END IF;
  RETURN OLD;
END
$$;--> statement-breakpoint
CREATE TRIGGER "photos_album_counts" AFTER UPDATE OF "deleted_at" ON "photos" FOR EACH ROW
  WHEN ((OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
  EXECUTE FUNCTION "album_counts_of_photos"();--> statement-breakpoint
CREATE TRIGGER "photos_album_counts_deleted" BEFORE DELETE ON "photos" FOR EACH ROW
  WHEN (OLD.deleted_at IS NULL) EXECUTE FUNCTION "album_counts_of_photos"();--> statement-breakpoint
CREATE FUNCTION "album_counts_of_mime"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  change integer := CASE WHEN NEW.mime LIKE 'video/%' THEN 1 ELSE -1 END;
BEGIN
  INSERT INTO album_count_deltas (album_id, photos, videos) SELECT ap.album_id, 0, change FROM album_photos ap WHERE ap.photo_id = NEW.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "photos_album_counts_mime" AFTER UPDATE OF "mime" ON "photos" FOR EACH ROW
  WHEN (NEW.deleted_at IS NULL AND (OLD.mime LIKE 'video/%') IS DISTINCT FROM (NEW.mime LIKE 'video/%'))
  EXECUTE FUNCTION "album_counts_of_mime"();--> statement-breakpoint
UPDATE "album_photos" ap SET "taken_local" = p."taken_local", "photo_created_at" = p."created_at", "trashed" = p."deleted_at" IS NOT NULL
  FROM "photos" p WHERE p."id" = ap."photo_id";--> statement-breakpoint
UPDATE "albums" a SET "photo_count" = c.photos, "video_count" = c.videos FROM (
  SELECT ap.album_id, count(*)::int AS photos, (count(*) FILTER (WHERE p.mime LIKE 'video/%'))::int AS videos
  FROM album_photos ap JOIN photos p ON p.id = ap.photo_id AND p.deleted_at IS NULL GROUP BY ap.album_id
) c WHERE c.album_id = a.id;--> statement-breakpoint
-- drizzle-kit's index, made after the fill above so that its rows are written into it once (not per UPDATE)
CREATE INDEX "album_photos_order_idx" ON "album_photos" USING btree ("album_id","taken_local" DESC NULLS LAST,"photo_created_at" DESC NULLS LAST,"photo_id" DESC NULLS LAST) WHERE not "album_photos"."trashed";
