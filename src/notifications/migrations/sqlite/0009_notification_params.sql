-- A notification is data: its kind and parameters (names, instants, the ids the web app links
-- to), which the web app words in the reader's language. `message` and `link` stay for rows
-- written before; new rows leave them empty.
ALTER TABLE notifications ADD COLUMN params TEXT NOT NULL DEFAULT '{}';
