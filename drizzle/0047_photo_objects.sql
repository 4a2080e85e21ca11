CREATE TABLE "photo_objects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"photo_id" uuid NOT NULL,
	"label" text NOT NULL,
	"confidence" real NOT NULL,
	"x" real NOT NULL,
	"y" real NOT NULL,
	"width" real NOT NULL,
	"height" real NOT NULL,
	"model" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "photo_objects" ADD CONSTRAINT "photo_objects_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "photo_objects_photo_idx" ON "photo_objects" USING btree ("photo_id");--> statement-breakpoint
CREATE INDEX "photo_objects_label_idx" ON "photo_objects" USING btree ("label");