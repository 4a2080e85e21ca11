-- The user set (or removed) a photo's position on the map: reading the file again keeps theirs.
ALTER TABLE "photos" ADD COLUMN "location_by_user" boolean DEFAULT false NOT NULL;