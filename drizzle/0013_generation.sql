CREATE TABLE "generation_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"request" jsonb NOT NULL,
	"provider" text NOT NULL,
	"images_requested" integer NOT NULL,
	"images_made" integer DEFAULT 0 NOT NULL,
	"failures" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"albums" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"cancel_requested_at" timestamp with time zone,
	"lease_until" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "product_types" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"label" text NOT NULL,
	"templates" jsonb NOT NULL,
	"negative_prompt" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "products" (
	"photo_id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"product_type" text NOT NULL,
	"name" text,
	"description" text,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"main_colour" text,
	"main_colour_hex" text,
	"quality_grade" text,
	"quality_reason" text,
	"fields_source" text,
	"fields_model" text,
	"edited_fields" text[] DEFAULT '{}'::text[] NOT NULL,
	"height_mm" real,
	"width_mm" real,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "origin" text DEFAULT 'camera' NOT NULL;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "provenance" jsonb;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "source_photo_id" uuid;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "generation_job_id" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "generation_images_per_day" integer;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "product_types_seeded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "generation_jobs" ADD CONSTRAINT "generation_jobs_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_types" ADD CONSTRAINT "product_types_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "generation_jobs_owner_idx" ON "generation_jobs" USING btree ("owner_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "generation_jobs_open_idx" ON "generation_jobs" USING btree ("state") WHERE "generation_jobs"."state" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "generation_jobs_updated_idx" ON "generation_jobs" USING btree ("updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "product_types_owner_name_uq" ON "product_types" USING btree ("owner_id","name");--> statement-breakpoint
CREATE INDEX "products_owner_idx" ON "products" USING btree ("owner_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "photos_source_idx" ON "photos" USING btree ("source_photo_id") WHERE "photos"."source_photo_id" is not null;--> statement-breakpoint
CREATE INDEX "photos_generation_job_idx" ON "photos" USING btree ("generation_job_id") WHERE "photos"."generation_job_id" is not null;