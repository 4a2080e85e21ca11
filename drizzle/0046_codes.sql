CREATE TABLE "photo_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"photo_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"format" text NOT NULL,
	"text" text NOT NULL,
	"words" text DEFAULT '' NOT NULL,
	"x" integer NOT NULL,
	"y" integer NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "photo_codes" ADD CONSTRAINT "photo_codes_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "photo_codes" ADD CONSTRAINT "photo_codes_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "photo_codes_photo_idx" ON "photo_codes" USING btree ("photo_id");--> statement-breakpoint
CREATE INDEX "photo_codes_owner_idx" ON "photo_codes" USING btree ("owner_id");