-- Chinese–English term pairs a listing writes in both languages ("合成气 (syngas)" as a keyword,
-- "中文标题 / English title"), kept as the listing is written; the published, public listings'
-- pairs join the park's vocabulary (exchange/park_vocabulary.h).
CREATE TABLE listing_term_pairs (
  listing_id INTEGER NOT NULL REFERENCES listings(id) ON DELETE CASCADE,
  chinese TEXT NOT NULL,
  english TEXT NOT NULL,
  PRIMARY KEY (listing_id, chinese, english)
);
