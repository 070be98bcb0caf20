-- The people a listing names: a result's researchers, a need's or patent's inventors, a
-- service's staff. '|'-joined, as keywords; the search index matches them (matching/people.h).
ALTER TABLE listings ADD COLUMN people TEXT NOT NULL DEFAULT '';
