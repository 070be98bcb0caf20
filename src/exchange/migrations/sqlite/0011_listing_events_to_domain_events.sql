-- The search index's queue becomes the listing.changed events of the shared outbox, keeping
-- their numbers: the index snapshot records the last number it applied.
INSERT INTO domain_events (seq, kind, subject_row, at)
  SELECT seq, 'listing.changed', listing_id, created_at FROM index_outbox;
DROP TABLE index_outbox;
