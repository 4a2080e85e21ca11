-- What a photo's file says of how it was made (model/file-facts.ts), written by the metadata step and read by the
-- duplicates' rules: null until the file is read again (`shoebox reprocess --step metadata`). And whether keeping a
-- duplicate group's keeper makes a member redundant, what hiding duplicates hides: null until the group chooses again
-- (every group does at the next start, library/duplicates/groups.ts).
ALTER TABLE "photos" ADD COLUMN "encoding" jsonb;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "lineage" jsonb;--> statement-breakpoint
ALTER TABLE "duplicate_members" ADD COLUMN "redundant" boolean;
