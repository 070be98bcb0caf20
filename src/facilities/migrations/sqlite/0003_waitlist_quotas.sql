-- People waiting for a taken slot; told when an overlapping booking frees it.
CREATE TABLE waitlist_entries (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  notified_at TEXT
);
CREATE INDEX waitlist_entries_resource ON waitlist_entries(resource_id, starts_at);

-- Quotas: booked minutes per user and per organisation within a calendar week or month of the
-- resource's zone. 0: no quota.
ALTER TABLE resources ADD COLUMN quota_period TEXT NOT NULL DEFAULT 'month';
ALTER TABLE resources ADD COLUMN user_quota_minutes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE resources ADD COLUMN org_quota_minutes INTEGER NOT NULL DEFAULT 0;

-- The secret of each user's personal iCalendar feed of their bookings (hash only).
CREATE TABLE user_calendar_tokens (
  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
