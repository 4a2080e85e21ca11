-- Indexes on the place names, for searches that name a place ("videos from Lisbon").
CREATE INDEX "photos_place_city_idx" ON "photos" USING btree ("place_city") WHERE "photos"."place_city" is not null;--> statement-breakpoint
CREATE INDEX "photos_place_state_idx" ON "photos" USING btree ("place_state") WHERE "photos"."place_state" is not null;--> statement-breakpoint
CREATE INDEX "photos_place_country_idx" ON "photos" USING btree ("place_country") WHERE "photos"."place_country" is not null;