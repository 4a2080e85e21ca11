CREATE TABLE "photo_steps" (
	"photo_id" uuid NOT NULL,
	"step" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"error" text,
	"duration_ms" integer,
	"version" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "photo_steps_photo_id_step_pk" PRIMARY KEY("photo_id","step")
);
--> statement-breakpoint
CREATE TABLE "photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"filename" text NOT NULL,
	"source_path" text,
	"storage_key" text NOT NULL,
	"sidecar_key" text,
	"mime" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"width" integer,
	"height" integer,
	"taken_at" timestamp with time zone,
	"taken_at_text" text,
	"time_zone" text,
	"file_modified_at" timestamp with time zone,
	"latitude" double precision,
	"longitude" double precision,
	"orientation" integer,
	"make" text,
	"model" text,
	"lens" text,
	"rating" integer,
	"keywords" text[] DEFAULT '{}'::text[] NOT NULL,
	"description" text,
	"pdq_hash" text,
	"pdq_quality" integer,
	"palette" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "photo_steps" ADD CONSTRAINT "photo_steps_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "photos" ADD CONSTRAINT "photos_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "photo_steps_step_status_idx" ON "photo_steps" USING btree ("step","status");--> statement-breakpoint
CREATE UNIQUE INDEX "photos_owner_sha256_uq" ON "photos" USING btree ("owner_id","sha256");--> statement-breakpoint
CREATE INDEX "photos_owner_sort_idx" ON "photos" USING btree ("owner_id",coalesce("taken_at", "created_at") desc,"id");--> statement-breakpoint
CREATE INDEX "photos_state_idx" ON "photos" USING btree ("state");--> statement-breakpoint
CREATE INDEX "photos_storage_key_idx" ON "photos" USING btree ("storage_key");