-- The best shot: a photo's sharpness per tile and exposure (hashes step), each face's focus (faces step).
ALTER TABLE "photos" ADD COLUMN "quality" jsonb;--> statement-breakpoint
ALTER TABLE "faces" ADD COLUMN "sharpness" real;