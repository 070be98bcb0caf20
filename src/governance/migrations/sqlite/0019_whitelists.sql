-- Whitelist entries (governance/governance_service.h). An entry is never edited: a change is a
-- revocation and a new entry, so "was X whitelisted for Y at T" is answered exactly for any
-- past T. Scope lists are JSON arrays of texts (empty: any). Times are RFC 3339 UTC text.
CREATE TABLE whitelist_entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  public_id TEXT NOT NULL UNIQUE,
  list TEXT NOT NULL,
  subject TEXT NOT NULL,
  scope TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_until TEXT NOT NULL,
  authority TEXT NOT NULL,
  document TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT,
  revoked_by TEXT,
  revoke_reason TEXT
);
CREATE INDEX whitelist_entries_subject ON whitelist_entries(list, subject);
