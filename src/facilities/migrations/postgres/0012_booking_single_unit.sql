-- The booking guarantee's second line: besides the lock on the resource and the overlap check
-- every booking passes, the database itself refuses two active bookings of a single-unit
-- resource whose blocks (set-up to clean-up) overlap, even if a bug above let one through.
-- Held bookings are left to the check: a hold expires by time, which a constraint cannot read.
-- Pools (capacity above one) take several bookings at once; their count is the check's alone.
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE bookings ADD COLUMN single_unit integer NOT NULL DEFAULT 0;
UPDATE bookings SET single_unit = 1
  WHERE resource_id IN (SELECT id FROM resources WHERE capacity = 1);
ALTER TABLE bookings ADD CONSTRAINT bookings_never_overlap
  EXCLUDE USING gist (resource_id WITH =, int8range(block_start, block_end) WITH &&)
  WHERE (single_unit = 1 AND state IN ('pending', 'approved', 'checked_in'));
