ALTER TABLE "share_links" ALTER COLUMN "allow_download" SET DEFAULT false;--> statement-breakpoint
ALTER TABLE "share_links" ADD COLUMN "keep_metadata" boolean DEFAULT false NOT NULL;