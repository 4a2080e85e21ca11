CREATE TABLE "album_shares" (
	"album_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text DEFAULT 'viewer' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "album_shares_album_id_user_id_pk" PRIMARY KEY("album_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "partners" (
	"sharer_id" uuid NOT NULL,
	"partner_id" uuid NOT NULL,
	"in_timeline" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partners_sharer_id_partner_id_pk" PRIMARY KEY("sharer_id","partner_id")
);
--> statement-breakpoint
CREATE TABLE "share_link_photos" (
	"link_id" uuid NOT NULL,
	"photo_id" uuid NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "share_link_photos_link_id_photo_id_pk" PRIMARY KEY("link_id","photo_id")
);
--> statement-breakpoint
CREATE TABLE "share_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"token" text NOT NULL,
	"album_id" uuid,
	"description" text,
	"password_hash" text,
	"expires_at" timestamp with time zone,
	"allow_download" boolean DEFAULT true NOT NULL,
	"allow_upload" boolean DEFAULT false NOT NULL,
	"view_count" integer DEFAULT 0 NOT NULL,
	"last_viewed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "share_links_token_unique" UNIQUE("token")
);
--> statement-breakpoint
ALTER TABLE "categories" DROP CONSTRAINT "categories_name_unique";--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "owner_id" uuid;--> statement-breakpoint
-- Categories become each user's (issue 16): the library's owner (first active admin, else the oldest user) keeps
-- the existing ones, every other user gets a copy with the same tag mapping, and all count as seeded.
UPDATE "categories" SET "owner_id" = (
  SELECT "id" FROM "users" ORDER BY ("role" = 'admin' AND "disabled_at" IS NULL) DESC, "created_at", "id" LIMIT 1
);--> statement-breakpoint
DELETE FROM "categories" WHERE "owner_id" IS NULL;--> statement-breakpoint
CREATE TEMPORARY TABLE "category_copies" AS
  SELECT c."id" AS "source_id", u."id" AS "owner_id", gen_random_uuid() AS "copy_id", c."name", c."label"
  FROM "categories" c CROSS JOIN "users" u WHERE u."id" <> c."owner_id";--> statement-breakpoint
INSERT INTO "categories" ("id", "owner_id", "name", "label") SELECT "copy_id", "owner_id", "name", "label" FROM "category_copies";--> statement-breakpoint
INSERT INTO "category_tags" ("category_id", "tag")
  SELECT cc."copy_id", ct."tag" FROM "category_copies" cc JOIN "category_tags" ct ON ct."category_id" = cc."source_id";--> statement-breakpoint
DROP TABLE "category_copies";--> statement-breakpoint
ALTER TABLE "categories" ALTER COLUMN "owner_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "categories_seeded_at" timestamp with time zone;--> statement-breakpoint
UPDATE "users" SET "categories_seeded_at" = now();--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "oidc_issuer" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "oidc_subject" text;--> statement-breakpoint
ALTER TABLE "album_shares" ADD CONSTRAINT "album_shares_album_id_albums_id_fk" FOREIGN KEY ("album_id") REFERENCES "public"."albums"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "album_shares" ADD CONSTRAINT "album_shares_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partners" ADD CONSTRAINT "partners_sharer_id_users_id_fk" FOREIGN KEY ("sharer_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partners" ADD CONSTRAINT "partners_partner_id_users_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_link_photos" ADD CONSTRAINT "share_link_photos_link_id_share_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."share_links"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_link_photos" ADD CONSTRAINT "share_link_photos_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_album_id_albums_id_fk" FOREIGN KEY ("album_id") REFERENCES "public"."albums"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "album_shares_user_idx" ON "album_shares" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "partners_partner_idx" ON "partners" USING btree ("partner_id");--> statement-breakpoint
CREATE INDEX "share_links_owner_idx" ON "share_links" USING btree ("owner_id");--> statement-breakpoint
ALTER TABLE "categories" ADD CONSTRAINT "categories_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "categories_owner_name_uq" ON "categories" USING btree ("owner_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "users_oidc_uq" ON "users" USING btree ("oidc_issuer","oidc_subject");