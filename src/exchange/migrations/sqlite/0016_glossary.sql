-- The park's glossary: Chinese and English terms its administrators upload (CSV), which the
-- exchange's query translation prefers to the general dictionary (exchange/park_vocabulary.h).
CREATE TABLE glossary_terms (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  chinese TEXT NOT NULL,
  english TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  UNIQUE (chinese, english)
);
