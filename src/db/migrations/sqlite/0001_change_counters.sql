-- Change counters: each module moves its own counter (by trigger) on every committed change
-- its caches depend on, whichever process made it; readers cache per counter value.
CREATE TABLE change_counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
