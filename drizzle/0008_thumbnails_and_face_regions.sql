-- A photo shows in the library as soon as its thumbnail exists, not when its last step ends (issue 15).
ALTER TABLE "photos" ADD COLUMN "thumbnail_at" timestamp with time zone;--> statement-breakpoint
-- Photos whose preprocessing succeeded once have their renditions on disk (width and height come from it), even
-- when a reprocess put the step back to pending.
UPDATE "photos" SET "thumbnail_at" = "updated_at" WHERE "width" IS NOT NULL;--> statement-breakpoint
-- People named in the file's face regions; the metadata step (version 3) reads them on the next start.
ALTER TABLE "photos" ADD COLUMN "face_regions" jsonb;--> statement-breakpoint
-- The name a face region gave a face, while its person comes from the file (the user's own decisions stay).
ALTER TABLE "faces" ADD COLUMN "region_name" text;
