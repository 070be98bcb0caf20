-- Policy versions (governance/policy_versions.h): each version's canonical JSON document,
-- addressed by its hash and never edited. A version is proposed (from the configured file or the
-- API), then activated once a compliance officer and a park operator, neither its proposer,
-- have approved it, or rejected; activating one supersedes the version in force. Exactly one
-- version is active once the server has started. Times are RFC 3339 UTC text.
CREATE TABLE policy_versions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  hash TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  source TEXT NOT NULL,
  state TEXT NOT NULL,
  proposed_by TEXT NOT NULL,
  proposer_name TEXT NOT NULL,
  proposed_at TEXT NOT NULL,
  decided_at TEXT,
  reject_reason TEXT
);
CREATE INDEX policy_versions_state ON policy_versions(state, id);
CREATE TABLE policy_version_approvals (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  version_id INTEGER NOT NULL REFERENCES policy_versions(id),
  approver TEXT NOT NULL,
  approver_name TEXT NOT NULL,
  role TEXT NOT NULL,
  note TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX policy_version_approvals_version ON policy_version_approvals(version_id, id);
