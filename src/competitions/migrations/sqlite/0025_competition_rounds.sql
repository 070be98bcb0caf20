-- A competition's rounds (competitions/competition_service.h): settings as JSON, the judges,
-- and every change as an append-only event (the assignment, each score sheet, each recusal,
-- closing, publishing), from which the leaderboard is computed. A published round keeps its
-- leaderboard frozen with the last event it was computed through, so replaying the events
-- reproduces it. Judges are usernames; people are the registry's public ids.
CREATE TABLE competition_rounds (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  public_id TEXT NOT NULL UNIQUE,
  edition_id INTEGER NOT NULL REFERENCES competition_editions(id),
  position INTEGER NOT NULL,
  settings TEXT NOT NULL,
  state TEXT NOT NULL,
  leaderboard TEXT,
  frozen_through INTEGER,
  published_at TEXT,
  created_at TEXT NOT NULL,
  UNIQUE(edition_id, position)
);
CREATE TABLE competition_judges (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  round_id INTEGER NOT NULL REFERENCES competition_rounds(id),
  username TEXT NOT NULL,
  person TEXT NOT NULL,
  cap INTEGER NOT NULL,
  confirmed_at TEXT,
  UNIQUE(round_id, username)
);
CREATE TABLE competition_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  round_id INTEGER NOT NULL REFERENCES competition_rounds(id),
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  entry TEXT NOT NULL,
  judge TEXT NOT NULL,
  reason TEXT NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX competition_events_round ON competition_events(round_id, id);
CREATE INDEX competition_events_pair ON competition_events(round_id, entry, judge);
-- A prize's certificate: the code printed on it, which anyone may check (VerifyCertificate).
-- Issued when a final round is published, one per prize.
CREATE TABLE competition_certificates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  round_id INTEGER NOT NULL REFERENCES competition_rounds(id),
  entry TEXT NOT NULL,
  group_key TEXT NOT NULL,
  tier TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  UNIQUE(round_id, entry)
);
