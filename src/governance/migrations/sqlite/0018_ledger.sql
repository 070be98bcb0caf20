-- The audit ledger (governance/ledger.h): entries in commit order, positioned in the Merkle tree
-- when integrated (leaf_index stays NULL until then); the tree's completed nodes, keyed
-- level << 40 | index; and the signed checkpoints. Hashes are lowercase hex.
CREATE TABLE ledger_entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  leaf_index INTEGER UNIQUE,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  leaf TEXT NOT NULL,
  leaf_hash TEXT NOT NULL
);
CREATE INDEX ledger_entries_pending ON ledger_entries(id) WHERE leaf_index IS NULL;
CREATE INDEX ledger_entries_subject ON ledger_entries(subject, id);
CREATE TABLE ledger_nodes (
  node_key INTEGER PRIMARY KEY,
  hash TEXT NOT NULL
);
CREATE TABLE ledger_checkpoints (
  tree_size INTEGER PRIMARY KEY,
  root TEXT NOT NULL,
  note TEXT NOT NULL,
  created_at TEXT NOT NULL
);
