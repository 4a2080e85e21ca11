-- Memories (on this day, trips, people over the years) computed per user by a periodic job; what the user hid; kinds turned off, home and the day last computed for.
CREATE TABLE "hidden_memories" (
	"owner_id" uuid NOT NULL,
	"key" text NOT NULL,
	"hidden_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hidden_memories_owner_id_key_pk" PRIMARY KEY("owner_id","key")
);
--> statement-breakpoint
CREATE TABLE "memories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"title" text NOT NULL,
	"subtitle" text NOT NULL,
	"date_from" timestamp with time zone NOT NULL,
	"date_to" timestamp with time zone NOT NULL,
	"photo_ids" uuid[] NOT NULL,
	"rank" double precision NOT NULL,
	"computed_for" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memory_settings" (
	"owner_id" uuid PRIMARY KEY NOT NULL,
	"kinds_off" text[] DEFAULT '{}'::text[] NOT NULL,
	"home_latitude" double precision,
	"home_longitude" double precision,
	"computed_for" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hidden_memories" ADD CONSTRAINT "hidden_memories_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memories" ADD CONSTRAINT "memories_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memory_settings" ADD CONSTRAINT "memory_settings_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "memories_owner_key_uq" ON "memories" USING btree ("owner_id","key");--> statement-breakpoint
CREATE INDEX "memories_owner_rank_idx" ON "memories" USING btree ("owner_id","rank");