-- The catalogue searches one folded column (text::TextFolder, written by FacilityService) instead
-- of LIKE over four columns, which relied on SQLite's case-insensitive LIKE. Existing rows get
-- an ASCII-lower-cased key here; the next edit of a resource writes the fully folded one.
ALTER TABLE resources ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
UPDATE resources SET search_key = lower(name_zh || ' ' || name_en || ' ' || description || ' ' ||
                                        specifications);
