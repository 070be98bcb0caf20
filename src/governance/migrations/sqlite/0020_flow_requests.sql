-- Cross-border flow requests (governance/flow_requests.h): drafted by a member organisation,
-- submitted, decided by the policy in force, approved where a rule says so, then used or expired.
-- `facts` are the policy's fields (JSON), `details` the kind's descriptive fields (JSON texts);
-- `content_hash` is the SHA-256 of both with the kind and title, and an approval counts only
-- while its content and policy hashes are the request's. Times are RFC 3339 UTC text.
CREATE TABLE flow_requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  public_id TEXT NOT NULL UNIQUE,
  organisation TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  facts TEXT NOT NULL,
  details TEXT NOT NULL,
  state TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  policy_hash TEXT NOT NULL DEFAULT '',
  decision TEXT NOT NULL DEFAULT '{}',
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  submitted_at TEXT,
  due_at TEXT,
  decided_at TEXT,
  valid_until TEXT,
  used_quantity REAL,
  crossed_at TEXT
);
CREATE INDEX flow_requests_organisation ON flow_requests(organisation, id);
CREATE INDEX flow_requests_state ON flow_requests(state, id);
CREATE TABLE flow_approvals (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id INTEGER NOT NULL REFERENCES flow_requests(id),
  approver TEXT NOT NULL,
  approver_name TEXT NOT NULL,
  role TEXT NOT NULL,
  verdict TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  policy_hash TEXT NOT NULL,
  note TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX flow_approvals_request ON flow_approvals(request_id, id);
CREATE TABLE flow_request_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id INTEGER NOT NULL REFERENCES flow_requests(id),
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  note TEXT NOT NULL
);
CREATE INDEX flow_request_history_request ON flow_request_history(request_id, id);
