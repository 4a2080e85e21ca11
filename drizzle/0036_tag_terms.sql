-- The photos of a tag (a tag filter, "selfies", "screenshots") found through the search rows' terms, indexed.
CREATE INDEX "photo_search_terms_idx" ON "photo_search" USING gin ("terms");