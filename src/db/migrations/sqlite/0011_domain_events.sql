-- The outbox of what happened, shared by every module (db/domain_events.h), and how far each
-- consumer has durably read it.
CREATE TABLE domain_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  subject_row INTEGER NOT NULL,
  subject_id TEXT NOT NULL DEFAULT '',
  actor_row INTEGER NOT NULL DEFAULT 0,
  at TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX domain_events_kind ON domain_events(kind, seq);

CREATE TABLE domain_event_cursors (
  consumer TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
);
