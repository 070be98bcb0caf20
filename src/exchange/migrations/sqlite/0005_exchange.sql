-- The innovation-resource exchange: listings, their audience and history, the search index's
-- outbox, saved searches, introductions and deals.

-- A listing: a research result, an enterprise's need, a person's expertise or a service.
-- Fields every kind shares are columns (they are filtered and ranked on); what only one kind
-- has lives in `details` (a JSON object the exchange module validates per kind).
CREATE TABLE listings (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,               -- result | need | expertise | service
  owner_id INTEGER NOT NULL REFERENCES organizations(id),
  author_id INTEGER NOT NULL REFERENCES users(id),
  person_id INTEGER REFERENCES people(id),  -- expertise: the person profiled
  state TEXT NOT NULL,              -- draft | published | closed | expired
  visibility TEXT NOT NULL,         -- public | members | named
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  keywords TEXT NOT NULL DEFAULT '',  -- '|'-joined
  discipline TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '',      -- '|'-joined
  trl INTEGER NOT NULL DEFAULT 0,     -- result: level reached; need: lowest level wanted; 0: none
  details TEXT NOT NULL DEFAULT '{}',
  expires_at TEXT,
  published_at TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX listings_owner ON listings(owner_id, state);
CREATE INDEX listings_published_expiry ON listings(expires_at) WHERE state = 'published';

-- The organisations a listing with visibility 'named' is shown to (besides its owner).
CREATE TABLE listing_audience (
  listing_id INTEGER NOT NULL REFERENCES listings(id) ON DELETE CASCADE,
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  PRIMARY KEY (listing_id, organization_id)
) WITHOUT ROWID;

CREATE TABLE listing_events (
  id INTEGER PRIMARY KEY,
  listing_id INTEGER NOT NULL REFERENCES listings(id) ON DELETE CASCADE,
  from_state TEXT,
  to_state TEXT NOT NULL,
  actor_id INTEGER REFERENCES users(id),
  at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX listing_events_listing ON listing_events(listing_id, id);

-- Every change to a listing appends a row here in the same transaction; the search index
-- applies rows in order and remembers the last one it applied, so after a crash it catches up.
CREATE TABLE index_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  listing_id INTEGER NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE saved_searches (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  query TEXT NOT NULL DEFAULT '',
  filters TEXT NOT NULL DEFAULT '{}',  -- JSON: kind, organization, region, discipline, tag, trl
  created_at TEXT NOT NULL
);
CREATE INDEX saved_searches_user ON saved_searches(user_id);

-- An organisation asks a listing's owner for an introduction; the owner accepts or declines.
CREATE TABLE introductions (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  listing_id INTEGER NOT NULL REFERENCES listings(id),
  requester_org_id INTEGER NOT NULL REFERENCES organizations(id),
  requester_user_id INTEGER NOT NULL REFERENCES users(id),
  owner_org_id INTEGER NOT NULL REFERENCES organizations(id),
  state TEXT NOT NULL,  -- requested | accepted | declined
  message TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX introductions_requester ON introductions(requester_org_id, id);
CREATE INDEX introductions_owner ON introductions(owner_org_id, id);
-- One open request per listing and organisation.
CREATE UNIQUE INDEX introductions_open ON introductions(listing_id, requester_org_id)
  WHERE state = 'requested';

-- A deal grows from an accepted introduction.
CREATE TABLE deals (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  introduction_id INTEGER NOT NULL UNIQUE REFERENCES introductions(id),
  kind TEXT NOT NULL,   -- licence | assignment | joint_rd | service_contract | equity
  stage TEXT NOT NULL,  -- negotiating | signed | delivered | abandoned
  value_minor INTEGER NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT 'CNY',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Every step of an introduction and of its deal: who, when, what, why.
CREATE TABLE exchange_events (
  id INTEGER PRIMARY KEY,
  introduction_id INTEGER NOT NULL REFERENCES introductions(id),
  deal_id INTEGER REFERENCES deals(id),
  from_state TEXT,
  to_state TEXT NOT NULL,
  actor_id INTEGER NOT NULL REFERENCES users(id),
  at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX exchange_events_introduction ON exchange_events(introduction_id, id);
