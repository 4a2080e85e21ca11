-- Stacks: a raw file and its JPEG, a HEIC and its JPEG, a burst's frames, an original and its edits, shown as one tile.
CREATE TABLE "stack_members" (
	"stack_id" uuid NOT NULL,
	"photo_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stack_members_stack_id_photo_id_pk" PRIMARY KEY("stack_id","photo_id")
);
--> statement-breakpoint
CREATE TABLE "stack_separations" (
	"photo_a" uuid NOT NULL,
	"photo_b" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stack_separations_photo_a_photo_b_pk" PRIMARY KEY("photo_a","photo_b")
);
--> statement-breakpoint
CREATE TABLE "stacks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"cover_id" uuid,
	"cover_by_user" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "stack_keys" text[];--> statement-breakpoint
ALTER TABLE "stack_members" ADD CONSTRAINT "stack_members_stack_id_stacks_id_fk" FOREIGN KEY ("stack_id") REFERENCES "public"."stacks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stack_members" ADD CONSTRAINT "stack_members_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stack_separations" ADD CONSTRAINT "stack_separations_photo_a_photos_id_fk" FOREIGN KEY ("photo_a") REFERENCES "public"."photos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stack_separations" ADD CONSTRAINT "stack_separations_photo_b_photos_id_fk" FOREIGN KEY ("photo_b") REFERENCES "public"."photos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stacks" ADD CONSTRAINT "stacks_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stacks" ADD CONSTRAINT "stacks_cover_id_photos_id_fk" FOREIGN KEY ("cover_id") REFERENCES "public"."photos"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "stack_members_photo_uq" ON "stack_members" USING btree ("photo_id");--> statement-breakpoint
CREATE INDEX "stack_separations_b_idx" ON "stack_separations" USING btree ("photo_b");--> statement-breakpoint
CREATE INDEX "stacks_owner_idx" ON "stacks" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "photos_stack_keys_idx" ON "photos" USING gin ("stack_keys");--> statement-breakpoint
-- A stack hides its other photos from the timeline: a member arriving or leaving, or a new cover, changes the timeline's counts.
CREATE TRIGGER "stack_members_order_rows" AFTER INSERT OR DELETE ON "stack_members" FOR EACH STATEMENT EXECUTE FUNCTION "bump_change_mark"('photo_order');--> statement-breakpoint
CREATE TRIGGER "stacks_order_cover" AFTER UPDATE ON "stacks" FOR EACH ROW WHEN (OLD.cover_id IS DISTINCT FROM NEW.cover_id) EXECUTE FUNCTION "bump_change_mark"('photo_order');
