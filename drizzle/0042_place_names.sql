-- The place filter ("in Chamonix", ?place=) compares a photo's city, region and country without case or accents: at
-- 200,000 photos it read each of the owner's rows and unaccented four names a row (1.4-1.6 s). unaccent() is STABLE
-- (its dictionary could change), which an index may not use; this function names the dictionary and its schema and
-- is IMMUTABLE, as PostgreSQL's documentation of unaccent suggests for an index. One GIN index over the four
-- names, each row written once; the filter asks whether the array holds the folded name (search/filters.ts).
DO $$
DECLARE
  s text := (SELECT quote_ident(n.nspname) FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname = 'unaccent');
BEGIN
  EXECUTE format(
    'CREATE OR REPLACE FUNCTION shoebox_place_names(city text, state text, country text, code text) RETURNS text[]
       LANGUAGE sql IMMUTABLE PARALLEL SAFE AS %L',
    format('SELECT ARRAY[lower(%1$s.unaccent(%2$L::regdictionary, city)), lower(%1$s.unaccent(%2$L::regdictionary, state)),
                   lower(%1$s.unaccent(%2$L::regdictionary, country)), lower(code)]', s, s || '.unaccent'));
END
$$;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "photos_place_names_idx" ON "photos" USING gin (shoebox_place_names("place_city", "place_state", "place_country", "place_country_code"));
