CREATE TABLE "libraries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"paths" text[] NOT NULL,
	"exclude" text[] DEFAULT '{}'::text[] NOT NULL,
	"write_back" boolean DEFAULT false NOT NULL,
	"watch" text DEFAULT 'auto' NOT NULL,
	"scan_state" text DEFAULT 'idle' NOT NULL,
	"full_scan_due" boolean DEFAULT true NOT NULL,
	"changed_folders" text[] DEFAULT '{}'::text[] NOT NULL,
	"scan" jsonb,
	"scan_error" text,
	"last_scan_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "library_files" (
	"library_id" uuid NOT NULL,
	"path" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"mtime_ms" double precision NOT NULL,
	"sha256" text,
	"photo_id" uuid,
	"sidecar_path" text,
	"sidecar_size" bigint,
	"sidecar_mtime_ms" double precision,
	"error" text,
	"missing_since" timestamp with time zone,
	CONSTRAINT "library_files_library_id_path_pk" PRIMARY KEY("library_id","path")
);
--> statement-breakpoint
CREATE TABLE "library_roots" (
	"path" text PRIMARY KEY NOT NULL,
	"added_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "library_id" uuid;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "offline_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "written_back_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "libraries" ADD CONSTRAINT "libraries_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_files" ADD CONSTRAINT "library_files_library_id_libraries_id_fk" FOREIGN KEY ("library_id") REFERENCES "public"."libraries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_files" ADD CONSTRAINT "library_files_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_roots" ADD CONSTRAINT "library_roots_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "libraries_owner_idx" ON "libraries" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "library_files_photo_idx" ON "library_files" USING btree ("photo_id") WHERE "library_files"."photo_id" is not null;--> statement-breakpoint
CREATE INDEX "photos_library_idx" ON "photos" USING btree ("library_id") WHERE "photos"."library_id" is not null;--> statement-breakpoint
CREATE INDEX "photos_offline_idx" ON "photos" USING btree ("offline_at") WHERE "photos"."offline_at" is not null;