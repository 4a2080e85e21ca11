-- When a photo last joined a run of work: its state became pending or processing from another (admitted, retried,
-- reopened, restored). The Jobs page's run begins at the earliest of its working photos' (library/jobs/jobs.ts);
-- it was read from updated_at, which every step writes, so near a run's end it could count from a later moment.
ALTER TABLE "photos" ADD COLUMN "run_joined_at" timestamp with time zone;--> statement-breakpoint
CREATE FUNCTION "photos_run_joined"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.state IN ('pending', 'processing') AND (TG_OP = 'INSERT' OR OLD.state NOT IN ('pending', 'processing')) THEN
    NEW.run_joined_at := now();
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "photos_run_joined" BEFORE INSERT OR UPDATE OF "state" ON "photos" FOR EACH ROW EXECUTE FUNCTION "photos_run_joined"();--> statement-breakpoint
-- what is known of the photos working now: when they were last changed
UPDATE "photos" SET "run_joined_at" = "updated_at" WHERE "state" IN ('pending', 'processing');
