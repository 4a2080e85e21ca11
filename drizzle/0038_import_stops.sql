-- An import's runs cut short (library/imports/stops.ts): where the last crash left it and how many in a row there, so
-- that an import that crashes the server at the same place twice stops as failed instead of running into the same
-- crash at every start; `orderly` when the server's own stop cut the last run.
ALTER TABLE "imports" ADD COLUMN "stops" jsonb;
