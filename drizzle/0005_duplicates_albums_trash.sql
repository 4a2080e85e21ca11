CREATE TABLE "album_photos" (
	"album_id" uuid NOT NULL,
	"photo_id" uuid NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "album_photos_album_id_photo_id_pk" PRIMARY KEY("album_id","photo_id")
);
--> statement-breakpoint
CREATE TABLE "albums" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"kind" text DEFAULT 'manual' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"cover_photo_id" uuid,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"primary_category" text,
	"name_source" text,
	"centroid" real[],
	"signature" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "duplicate_dismissals" (
	"photo_a" uuid NOT NULL,
	"photo_b" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "duplicate_dismissals_photo_a_photo_b_pk" PRIMARY KEY("photo_a","photo_b")
);
--> statement-breakpoint
CREATE TABLE "duplicate_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"keeper_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "duplicate_members" (
	"group_id" uuid NOT NULL,
	"photo_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"tier" text NOT NULL,
	"matched_photo_id" uuid,
	"pdq_distance" integer,
	"pdq_orientation" text,
	"similarity" real,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "duplicate_members_group_id_photo_id_pk" PRIMARY KEY("group_id","photo_id")
);
--> statement-breakpoint
CREATE TABLE "photo_pdq_keys" (
	"photo_id" uuid NOT NULL,
	"key" integer NOT NULL,
	"hash" bit(256) NOT NULL,
	"mirrored" boolean NOT NULL
);
--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "pdq_variants" text[];--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "album_photos" ADD CONSTRAINT "album_photos_album_id_albums_id_fk" FOREIGN KEY ("album_id") REFERENCES "public"."albums"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "album_photos" ADD CONSTRAINT "album_photos_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "albums" ADD CONSTRAINT "albums_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "albums" ADD CONSTRAINT "albums_cover_photo_id_photos_id_fk" FOREIGN KEY ("cover_photo_id") REFERENCES "public"."photos"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_dismissals" ADD CONSTRAINT "duplicate_dismissals_photo_a_photos_id_fk" FOREIGN KEY ("photo_a") REFERENCES "public"."photos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_dismissals" ADD CONSTRAINT "duplicate_dismissals_photo_b_photos_id_fk" FOREIGN KEY ("photo_b") REFERENCES "public"."photos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_groups" ADD CONSTRAINT "duplicate_groups_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_groups" ADD CONSTRAINT "duplicate_groups_keeper_id_photos_id_fk" FOREIGN KEY ("keeper_id") REFERENCES "public"."photos"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_members" ADD CONSTRAINT "duplicate_members_group_id_duplicate_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."duplicate_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_members" ADD CONSTRAINT "duplicate_members_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_members" ADD CONSTRAINT "duplicate_members_matched_photo_id_photos_id_fk" FOREIGN KEY ("matched_photo_id") REFERENCES "public"."photos"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "photo_pdq_keys" ADD CONSTRAINT "photo_pdq_keys_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "album_photos_photo_idx" ON "album_photos" USING btree ("photo_id");--> statement-breakpoint
CREATE INDEX "albums_owner_idx" ON "albums" USING btree ("owner_id","kind","status");--> statement-breakpoint
CREATE INDEX "duplicate_dismissals_b_idx" ON "duplicate_dismissals" USING btree ("photo_b");--> statement-breakpoint
CREATE INDEX "duplicate_groups_owner_idx" ON "duplicate_groups" USING btree ("owner_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "duplicate_members_photo_kind_uq" ON "duplicate_members" USING btree ("photo_id","kind");--> statement-breakpoint
-- the hash in the index tuple: a probe confirms the distance with an index-only scan
CREATE INDEX "photo_pdq_keys_lookup_idx" ON "photo_pdq_keys" USING btree ("key") INCLUDE ("photo_id", "hash", "mirrored");--> statement-breakpoint
CREATE INDEX "photo_pdq_keys_photo_idx" ON "photo_pdq_keys" USING btree ("photo_id");--> statement-breakpoint
CREATE INDEX "photos_trash_idx" ON "photos" USING btree ("owner_id","deleted_at") WHERE "photos"."deleted_at" is not null;