-- Each person's photos in date order, kept by triggers on faces and photos: a search for a name walks this index
-- instead of the whole library in date order checking each photo's faces (bench/README.md, issue 36). `faces`
-- counts the person's faces on the photo: the row's lock orders two transactions moving such faces at once, where a
-- look at the other faces would not see the other's uncommitted change. The upkeep checks the table every hour.
CREATE TABLE "photo_people" (
	"person_id" uuid NOT NULL,
	"photo_id" uuid NOT NULL,
	"faces" integer NOT NULL,
	"sort_date" timestamp with time zone NOT NULL,
	CONSTRAINT "photo_people_person_id_photo_id_pk" PRIMARY KEY("person_id","photo_id")
);
--> statement-breakpoint
ALTER TABLE "photo_people" ADD CONSTRAINT "photo_people_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "photo_people" ADD CONSTRAINT "photo_people_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "photo_people_order_idx" ON "photo_people" USING btree ("person_id","sort_date" DESC NULLS LAST,"photo_id");--> statement-breakpoint
CREATE INDEX "photo_people_photo_idx" ON "photo_people" USING btree ("photo_id");--> statement-breakpoint
CREATE FUNCTION "photo_people_of_faces"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- a face that leaves a person (deleted, moved, unassigned): one fewer of theirs on the photo; none left, not theirs
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.person_id IS NOT NULL THEN
    UPDATE photo_people SET faces = faces - 1 WHERE person_id = OLD.person_id AND photo_id = OLD.photo_id;
    DELETE FROM photo_people WHERE person_id = OLD.person_id AND photo_id = OLD.photo_id AND faces <= 0;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.person_id IS NOT NULL THEN
    INSERT INTO photo_people AS pp (person_id, photo_id, faces, sort_date)
      SELECT NEW.person_id, p.id, 1, coalesce(p.taken_at, p.created_at) FROM photos p WHERE p.id = NEW.photo_id
      ON CONFLICT (person_id, photo_id) DO UPDATE SET faces = pp.faces + 1;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "faces_photo_people" AFTER INSERT OR DELETE ON "faces" FOR EACH ROW EXECUTE FUNCTION "photo_people_of_faces"();--> statement-breakpoint
CREATE TRIGGER "faces_photo_people_moved" AFTER UPDATE OF "person_id", "photo_id" ON "faces" FOR EACH ROW
  WHEN (OLD.person_id IS DISTINCT FROM NEW.person_id OR OLD.photo_id IS DISTINCT FROM NEW.photo_id)
  EXECUTE FUNCTION "photo_people_of_faces"();--> statement-breakpoint
CREATE FUNCTION "photo_people_of_photos"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE photo_people SET sort_date = coalesce(NEW.taken_at, NEW.created_at) WHERE photo_id = NEW.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "photos_photo_people" AFTER UPDATE OF "taken_at", "created_at" ON "photos" FOR EACH ROW
  WHEN (coalesce(OLD.taken_at, OLD.created_at) IS DISTINCT FROM coalesce(NEW.taken_at, NEW.created_at))
  EXECUTE FUNCTION "photo_people_of_photos"();--> statement-breakpoint
INSERT INTO "photo_people" ("person_id", "photo_id", "faces", "sort_date")
  SELECT f.person_id, f.photo_id, count(*), coalesce(p.taken_at, p.created_at) FROM faces f JOIN photos p ON p.id = f.photo_id
  WHERE f.person_id IS NOT NULL GROUP BY f.person_id, f.photo_id, p.taken_at, p.created_at;
