ALTER TABLE "photos" ADD COLUMN "storage_location" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "storage_location" text;