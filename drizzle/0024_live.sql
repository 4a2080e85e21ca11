ALTER TABLE "photos" ADD COLUMN "live_id" text;--> statement-breakpoint
CREATE INDEX "photos_live_idx" ON "photos" USING btree ("owner_id","live_id") WHERE "photos"."live_id" is not null;--> statement-breakpoint
CREATE INDEX "photos_live_sha256_idx" ON "photos" USING btree (("motion"->>'sha256')) WHERE "photos"."motion"->>'source' = 'live';--> statement-breakpoint
CREATE INDEX "photos_live_key_idx" ON "photos" USING btree (("motion"->>'key')) WHERE "photos"."motion"->>'source' = 'live';