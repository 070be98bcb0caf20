-- Consumers read the outbox by position (db/domain_events.h). PostgreSQL writes concurrently:
-- an event numbered 10 may commit after one numbered 11 was read, so the number cannot be a
-- consumer's position. An event's position is the id of the transaction that wrote it, and a
-- consumer reads in order only the settled events: those of transactions older than every
-- transaction still running (the xmin of its snapshot), so an event that commits later always
-- lands above what was already read. Committed events above that horizon are unsettled: a
-- consumer may apply them early (the search index does, so a write is searchable at once) but
-- reads them again in order once they settle. A long transaction delays settling; it never makes
-- a consumer miss an event.
ALTER TABLE domain_events ADD COLUMN txid bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint);
CREATE INDEX domain_events_txid ON domain_events(txid);
CREATE VIEW domain_event_log AS
  SELECT txid AS position, seq, kind, subject_row, subject_id, actor_row, at, payload
  FROM domain_events
  WHERE txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint;
CREATE VIEW domain_event_unsettled AS
  SELECT txid AS position, seq, kind, subject_row, subject_id, actor_row, at, payload
  FROM domain_events
  WHERE txid >= pg_snapshot_xmin(pg_current_snapshot())::text::bigint;
CREATE VIEW domain_event_horizon AS
  SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint - 1 AS position;
ALTER TABLE domain_event_cursors RENAME COLUMN seq TO position;
