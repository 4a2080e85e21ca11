-- The photo_order mark read as a user's memories were computed (library/memories/settings.ts): when an item is added,
-- moved, re-dated or removed since, the mark has moved on and the memories are computed again.
ALTER TABLE "memory_settings" ADD COLUMN "computed_mark" bigint;
