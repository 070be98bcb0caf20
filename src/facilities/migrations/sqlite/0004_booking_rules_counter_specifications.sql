-- Moves on every committed change to what a booking attempt is checked against before it joins
-- the serialised write: resource rules and prices, blackouts, training records, no-shows and
-- their lifts, organisations and memberships (they decide the price category). It tells the
-- booking writer whether checks made on a snapshot still hold; if it moved, the writer checks
-- again inside its transaction.
INSERT INTO change_counters (name, value) VALUES ('facility_rules', 0);
CREATE TRIGGER resources_rules_insert AFTER INSERT ON resources BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'facility_rules';
END;
CREATE TRIGGER resources_rules_update AFTER UPDATE ON resources BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'facility_rules';
END;
CREATE TRIGGER resource_prices_insert AFTER INSERT ON resource_prices BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'facility_rules';
END;
CREATE TRIGGER resource_prices_update AFTER UPDATE ON resource_prices BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'facility_rules';
END;
CREATE TRIGGER resource_prices_delete AFTER DELETE ON resource_prices BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'facility_rules';
END;
CREATE TRIGGER resource_blackouts_insert AFTER INSERT ON resource_blackouts BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'facility_rules';
END;
CREATE TRIGGER resource_blackouts_update AFTER UPDATE ON resource_blackouts BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'facility_rules';
END;
CREATE TRIGGER resource_blackouts_delete AFTER DELETE ON resource_blackouts BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'facility_rules';
END;
CREATE TRIGGER qualifications_insert AFTER INSERT ON qualifications BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'facility_rules';
END;
CREATE TRIGGER qualifications_update AFTER UPDATE ON qualifications BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'facility_rules';
END;
CREATE TRIGGER qualifications_delete AFTER DELETE ON qualifications BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'facility_rules';
END;
CREATE TRIGGER no_show_lifts_insert AFTER INSERT ON no_show_lifts BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'facility_rules';
END;
CREATE TRIGGER organizations_rules_update AFTER UPDATE ON organizations BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'facility_rules';
END;
CREATE TRIGGER organizations_rules_delete AFTER DELETE ON organizations BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'facility_rules';
END;
CREATE TRIGGER memberships_rules_insert AFTER INSERT ON memberships BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'facility_rules';
END;
CREATE TRIGGER memberships_rules_update AFTER UPDATE ON memberships BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'facility_rules';
END;
CREATE TRIGGER memberships_rules_delete AFTER DELETE ON memberships BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'facility_rules';
END;
CREATE TRIGGER bookings_no_show AFTER UPDATE OF state ON bookings
WHEN NEW.state = 'no_show' OR OLD.state = 'no_show' BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'facility_rules';
END;

-- Structured specifications of a resource (model, maker, ranges...): a JSON object of
-- string values, shown in the catalogue beside the free-text description.
ALTER TABLE resources ADD COLUMN specifications TEXT NOT NULL DEFAULT '{}';

-- The longest block (set-up to clean-up) ever booked on each resource. An overlap check then
-- reads only the blocks that start within that distance before the new one, however many
-- bookings the resource has: exact whatever the rules were when older bookings were made.
CREATE TABLE resource_block_extents (
  resource_id INTEGER PRIMARY KEY REFERENCES resources(id) ON DELETE CASCADE,
  longest_seconds INTEGER NOT NULL
);
INSERT INTO resource_block_extents (resource_id, longest_seconds)
  SELECT resource_id, MAX(block_end - block_start) FROM bookings GROUP BY resource_id;
-- The upsert runs only for a block longer than the longest so far (a primary-key read).
CREATE TRIGGER bookings_block_extent_insert AFTER INSERT ON bookings
WHEN NEW.block_end - NEW.block_start > COALESCE(
  (SELECT longest_seconds FROM resource_block_extents WHERE resource_id = NEW.resource_id), -1)
BEGIN
  INSERT INTO resource_block_extents (resource_id, longest_seconds)
    VALUES (NEW.resource_id, NEW.block_end - NEW.block_start)
    ON CONFLICT (resource_id) DO UPDATE SET longest_seconds = excluded.longest_seconds;
END;
CREATE TRIGGER bookings_block_extent_update AFTER UPDATE OF block_start, block_end ON bookings
WHEN NEW.block_end - NEW.block_start > COALESCE(
  (SELECT longest_seconds FROM resource_block_extents WHERE resource_id = NEW.resource_id), -1)
BEGIN
  INSERT INTO resource_block_extents (resource_id, longest_seconds)
    VALUES (NEW.resource_id, NEW.block_end - NEW.block_start)
    ON CONFLICT (resource_id) DO UPDATE SET longest_seconds = excluded.longest_seconds;
END;

-- No-shows are counted per user on every booking attempt; a partial index holds only them, so
-- creating a booking no longer writes to it.
DROP INDEX bookings_user_no_shows;
CREATE INDEX bookings_user_no_shows ON bookings(user_id, no_show_at) WHERE state = 'no_show';

-- The state a booking was created in. Its creation opens its history without a row in
-- booking_events (one row and one index entry fewer per booking); bookings made before this
-- column have NULL here and their creation as an event.
ALTER TABLE bookings ADD COLUMN initial_state TEXT;
