-- Consumers read the outbox by position (db/domain_events.h). SQLite has one writer, so events
-- commit in the order of their numbers: an event's position is its number, every committed event
-- is settled (readable in order), and none is ever committed but unsettled.
CREATE VIEW domain_event_log AS
  SELECT seq AS position, seq, kind, subject_row, subject_id, actor_row, at, payload
  FROM domain_events;
CREATE VIEW domain_event_unsettled AS
  SELECT * FROM domain_event_log WHERE 0;
CREATE VIEW domain_event_horizon AS
  SELECT COALESCE(MAX(seq), 0) AS position FROM domain_events;
ALTER TABLE domain_event_cursors RENAME COLUMN seq TO position;
