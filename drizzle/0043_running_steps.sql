-- The steps running now, a handful among millions of rows: the checks for a dead worker's steps (every heartbeat,
-- 5 s) and for expired leases read the whole (step, status) index without it, 50-145 ms a check at 200,000 photos
-- (2.4M step rows), 0.04-0.06 ms with it.
CREATE INDEX "photo_steps_running_idx" ON "photo_steps" USING btree ("photo_id") WHERE "photo_steps"."status" = 'running';
