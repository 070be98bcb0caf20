-- Whether a booking was made on a single-unit resource, whose active blocks must never overlap.
-- PostgreSQL checks it a second time with an exclusion constraint; here the serialised writer's
-- check is the only one, and the column keeps the two schemas alike (copy-data moves it).
ALTER TABLE bookings ADD COLUMN single_unit INTEGER NOT NULL DEFAULT 0;
UPDATE bookings SET single_unit = 1
  WHERE resource_id IN (SELECT id FROM resources WHERE capacity = 1);
