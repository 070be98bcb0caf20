-- The distinct analysed terms of each saved search, so that publishing a listing finds the
-- searches it may match with one indexed query instead of analysing every saved search.
-- terms_needed: how many of them a listing must hold (all of one or two, three quarters of
-- more); 0 for a search of filters only; -1 for a search saved before this migration, whose
-- terms are written the first time a listing is published after it.
CREATE TABLE saved_search_terms (
  term TEXT NOT NULL,
  saved_search_id INTEGER NOT NULL REFERENCES saved_searches(id) ON DELETE CASCADE,
  PRIMARY KEY (term, saved_search_id)
) WITHOUT ROWID;
CREATE INDEX saved_search_terms_search ON saved_search_terms(saved_search_id);
ALTER TABLE saved_searches ADD COLUMN terms_needed INTEGER NOT NULL DEFAULT -1;
CREATE INDEX saved_searches_terms_needed ON saved_searches(terms_needed);
