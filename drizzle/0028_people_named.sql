-- People a file names without a place on the image (XMP PersonInImage, a Google Takeout sidecar's people[]).
ALTER TABLE "photos" ADD COLUMN "people_named" text[];
