-- Which photos each bump of the photo_order mark was for (migration 0007): a server that kept a result at mark N
-- (the map's positions) reads the photos changed since and mends it, instead of reading 100k positions again after
-- each upload or edit. Stacks hide their photos behind the cover: a member arriving or leaving is a change of that
-- photo, a new cover one of every photo of the stack. A bump for no one photo (a truncate: bump_change_mark) leaves
-- its version out of the log, and a reader that finds a version missing reads everything again.
CREATE TABLE "photo_order_changes" (
	"version" bigint NOT NULL,
	"photo_id" uuid NOT NULL,
	CONSTRAINT "photo_order_changes_version_photo_id_pk" PRIMARY KEY("version","photo_id")
);--> statement-breakpoint
-- One bump of the mark for these photos, logged with them; none for no photo (a statement that wrote no row, an
-- insert that found its photo there, a stack without members).
CREATE FUNCTION "note_photo_order"("changed" uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE bumped bigint;
BEGIN
  IF cardinality(changed) = 0 THEN RETURN; END IF;
  UPDATE change_marks SET version = version + 1 WHERE name = 'photo_order' RETURNING version INTO bumped;
  INSERT INTO photo_order_changes (version, photo_id) SELECT DISTINCT bumped, id FROM unnest(changed) AS u(id);
END
$$;--> statement-breakpoint
-- Arrivals and removals, once per statement with the rows it wrote (an import's 100k rows: one bump, 100k ids).
CREATE FUNCTION "note_photo_order_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM note_photo_order(array(SELECT id FROM changed_rows));
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE FUNCTION "note_photo_order_members"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM note_photo_order(array(SELECT photo_id FROM changed_rows));
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE FUNCTION "note_photo_order_cover"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM note_photo_order(array(SELECT photo_id FROM stack_members WHERE stack_id = NEW.id));
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE FUNCTION "note_photo_order_edit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM note_photo_order(array[NEW.id]);
  RETURN NULL;
END
$$;--> statement-breakpoint
DROP TRIGGER "photos_order_rows" ON "photos";--> statement-breakpoint
CREATE TRIGGER "photos_order_arrivals" AFTER INSERT ON "photos" REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "note_photo_order_rows"();--> statement-breakpoint
CREATE TRIGGER "photos_order_removals" AFTER DELETE ON "photos" REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "note_photo_order_rows"();--> statement-breakpoint
DROP TRIGGER "photos_order_edits" ON "photos";--> statement-breakpoint
CREATE TRIGGER "photos_order_edits" AFTER UPDATE ON "photos" FOR EACH ROW
  WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
    OR OLD.taken_at IS DISTINCT FROM NEW.taken_at OR OLD.taken_at_text IS DISTINCT FROM NEW.taken_at_text
    OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.make IS DISTINCT FROM NEW.make
    OR OLD.model IS DISTINCT FROM NEW.model OR OLD.latitude IS DISTINCT FROM NEW.latitude
    OR OLD.longitude IS DISTINCT FROM NEW.longitude OR OLD.favorite IS DISTINCT FROM NEW.favorite
    OR OLD.archived IS DISTINCT FROM NEW.archived)
  EXECUTE FUNCTION "note_photo_order_edit"();
--> statement-breakpoint
DROP TRIGGER "stack_members_order_rows" ON "stack_members";--> statement-breakpoint
CREATE TRIGGER "stack_members_order_arrivals" AFTER INSERT ON "stack_members" REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "note_photo_order_members"();--> statement-breakpoint
CREATE TRIGGER "stack_members_order_removals" AFTER DELETE ON "stack_members" REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "note_photo_order_members"();--> statement-breakpoint
DROP TRIGGER "stacks_order_cover" ON "stacks";--> statement-breakpoint
CREATE TRIGGER "stacks_order_cover" AFTER UPDATE ON "stacks" FOR EACH ROW WHEN (OLD.cover_id IS DISTINCT FROM NEW.cover_id)
  EXECUTE FUNCTION "note_photo_order_cover"();
