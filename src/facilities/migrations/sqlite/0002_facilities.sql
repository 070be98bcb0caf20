-- Shared facilities: bookable resources and their bookings.
CREATE TABLE resources (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  owner_id INTEGER NOT NULL REFERENCES organizations(id),
  kind TEXT NOT NULL,                 -- instrument, facility, pilot_line, compute_pool
  name_zh TEXT NOT NULL DEFAULT '',
  name_en TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  time_zone TEXT NOT NULL,            -- IANA name
  capacity INTEGER NOT NULL DEFAULT 1,  -- units that may be booked at once (node count of a pool)
  approval_mode TEXT NOT NULL,        -- automatic, automatic_if_trained, manual
  training_required INTEGER NOT NULL DEFAULT 0,
  min_minutes INTEGER NOT NULL,
  max_minutes INTEGER NOT NULL,
  granularity_minutes INTEGER NOT NULL,
  setup_minutes INTEGER NOT NULL DEFAULT 0,
  cleanup_minutes INTEGER NOT NULL DEFAULT 0,
  horizon_days INTEGER NOT NULL,
  lead_minutes INTEGER NOT NULL DEFAULT 0,
  allowed_regions TEXT NOT NULL DEFAULT '',     -- '|'-joined; empty: any
  allowed_categories TEXT NOT NULL DEFAULT '',  -- '|'-joined; empty: any
  currency TEXT NOT NULL DEFAULT 'CNY',
  calendar_token_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Hourly price per user category, in minor units of the resource's currency.
CREATE TABLE resource_prices (
  resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  category TEXT NOT NULL,
  hourly_minor INTEGER NOT NULL,
  PRIMARY KEY (resource_id, category)
);

-- Maintenance and blackout windows (UTC seconds).
CREATE TABLE resource_blackouts (
  id INTEGER PRIMARY KEY,
  resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX resource_blackouts_window ON resource_blackouts(resource_id, starts_at);

CREATE TABLE qualifications (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  granted_by INTEGER REFERENCES users(id),
  granted_at TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, resource_id)
);

-- Times are UTC seconds; block_* include the set-up and clean-up buffers and are what must
-- never overlap among active bookings of a single-unit resource.
CREATE TABLE bookings (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  resource_id INTEGER NOT NULL REFERENCES resources(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  state TEXT NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  block_start INTEGER NOT NULL,
  block_end INTEGER NOT NULL,
  units INTEGER NOT NULL DEFAULT 1,
  category TEXT NOT NULL,
  price_minor INTEGER NOT NULL,
  currency TEXT NOT NULL,
  purpose TEXT NOT NULL DEFAULT '',
  idempotency_key TEXT NOT NULL,
  hold_expires_at INTEGER,
  checked_in_at INTEGER,
  checked_out_at INTEGER,
  no_show_at INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (user_id, idempotency_key)
);
CREATE INDEX bookings_resource_block ON bookings(resource_id, block_start);
CREATE INDEX bookings_user ON bookings(user_id, starts_at);
-- The no-show rule counts a user's recent no-shows on every booking attempt.
CREATE INDEX bookings_user_no_shows ON bookings(user_id, state, no_show_at);

CREATE TABLE booking_events (
  id INTEGER PRIMARY KEY,
  booking_id INTEGER NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
  from_state TEXT,
  to_state TEXT NOT NULL,
  actor_user_id INTEGER REFERENCES users(id),
  at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX booking_events_booking ON booking_events(booking_id, id);

-- When a facility manager lifts a user's no-show block; no-shows before it no longer count.
CREATE TABLE no_show_lifts (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  lifted_at INTEGER NOT NULL,
  lifted_by INTEGER REFERENCES users(id)
);
CREATE INDEX no_show_lifts_user ON no_show_lifts(user_id, lifted_at);
