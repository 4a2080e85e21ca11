-- The people page sorted every person by a count of all their faces, and looked for each one's best face among all
-- of theirs: 542 ms p95 a page of 500 at 200,000 photos (bench/README.md, issue 62). Each person's faces and photos
-- outside the trash are kept here from photo_people (migration 0035), and faces_cover_idx gives the best face first.
-- The triggers never update people: they insert signed changes into people_count_deltas, which a fold moves into the
-- columns (library/people/counts.ts), so a merge of 10,000 faces writes no person's row 10,000 times, and trashing
-- photos locks no people rows against a merge locking them in the faces' order.
ALTER TABLE "people" ADD COLUMN "face_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "photo_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "faces_cover_idx" ON "faces" USING btree ("person_id",("score" * sqrt("width" * "height")) desc,"id");--> statement-breakpoint
CREATE TABLE "people_count_deltas" (
	"person_id" uuid NOT NULL,
	"faces" integer NOT NULL,
	"photos" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "people_count_deltas_person_idx" ON "people_count_deltas" USING btree ("person_id");--> statement-breakpoint
CREATE FUNCTION "people_counts_of_photo_people"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- a photo in the trash counts for nobody (trashing and restoring move its rows' counts: people_counts_of_photos).
  -- No reference to people: a change for a person deleted meanwhile (a merge, a delete racing a face's move) is
  -- harmless — the readers join from people, the fold deletes it — where a foreign key would fail the user's action
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO people_count_deltas (person_id, faces, photos) SELECT OLD.person_id, -OLD.faces, -1
      WHERE EXISTS (SELECT 1 FROM photos p WHERE p.id = OLD.photo_id AND p.deleted_at IS NULL);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO people_count_deltas (person_id, faces, photos) SELECT NEW.person_id, NEW.faces, 1
      WHERE EXISTS (SELECT 1 FROM photos p WHERE p.id = NEW.photo_id AND p.deleted_at IS NULL);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "photo_people_people_counts" AFTER INSERT OR DELETE ON "photo_people" FOR EACH ROW EXECUTE FUNCTION "people_counts_of_photo_people"();--> statement-breakpoint
CREATE TRIGGER "photo_people_people_counts_moved" AFTER UPDATE OF "faces", "person_id", "photo_id" ON "photo_people" FOR EACH ROW
  WHEN (OLD.faces IS DISTINCT FROM NEW.faces OR OLD.person_id IS DISTINCT FROM NEW.person_id OR OLD.photo_id IS DISTINCT FROM NEW.photo_id)
  EXECUTE FUNCTION "people_counts_of_photo_people"();--> statement-breakpoint
CREATE FUNCTION "people_counts_of_photos"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  change integer := CASE WHEN TG_OP = 'UPDATE' AND NEW.deleted_at IS NULL THEN 1 ELSE -1 END;
BEGIN
  -- trashed, or deleted from the library (before its rows cascade away), or restored from the trash
  INSERT INTO people_count_deltas (person_id, faces, photos)
    SELECT pp.person_id, change * pp.faces, change FROM photo_people pp WHERE pp.photo_id = OLD.id;
  RETURN OLD;
END
$$;--> statement-breakpoint
CREATE TRIGGER "photos_people_counts" AFTER UPDATE OF "deleted_at" ON "photos" FOR EACH ROW
  WHEN ((OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
  EXECUTE FUNCTION "people_counts_of_photos"();--> statement-breakpoint
CREATE TRIGGER "photos_people_counts_deleted" BEFORE DELETE ON "photos" FOR EACH ROW
  WHEN (OLD.deleted_at IS NULL) EXECUTE FUNCTION "people_counts_of_photos"();--> statement-breakpoint
UPDATE "people" pe SET "face_count" = c.faces, "photo_count" = c.photos FROM (
  SELECT pp.person_id, sum(pp.faces)::int AS faces, count(*)::int AS photos
  FROM photo_people pp JOIN photos p ON p.id = pp.photo_id AND p.deleted_at IS NULL GROUP BY pp.person_id
) c WHERE c.person_id = pe.id;
