-- The archive: photos out of the timeline, kept everywhere else (library/photo-filter.ts). Archiving changes what the
-- timeline counts, so the photo_order mark (migration 0007) watches the column too.
ALTER TABLE "photos" ADD COLUMN "archived" boolean DEFAULT false NOT NULL;--> statement-breakpoint
DROP TRIGGER "photos_order_edits" ON "photos";--> statement-breakpoint
CREATE TRIGGER "photos_order_edits" AFTER UPDATE ON "photos" FOR EACH ROW
  WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
    OR OLD.taken_at IS DISTINCT FROM NEW.taken_at OR OLD.taken_at_text IS DISTINCT FROM NEW.taken_at_text
    OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.make IS DISTINCT FROM NEW.make
    OR OLD.model IS DISTINCT FROM NEW.model OR OLD.latitude IS DISTINCT FROM NEW.latitude
    OR OLD.longitude IS DISTINCT FROM NEW.longitude OR OLD.favorite IS DISTINCT FROM NEW.favorite
    OR OLD.archived IS DISTINCT FROM NEW.archived)
  EXECUTE FUNCTION "bump_change_mark"('photo_order');
