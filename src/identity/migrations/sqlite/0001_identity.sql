-- Identity: users, sessions, API tokens and scoped roles.
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
);

-- A role is scoped to an organisation or park (scope_id) or to the platform (NULL).
CREATE TABLE role_assignments (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  scope_id INTEGER REFERENCES organizations(id) ON DELETE CASCADE,
  UNIQUE (user_id, role, scope_id)
);

-- Moves when a session ends or a user or their roles change: signed-in principals are cached
-- per value. A new session changes no existing principal, so logins do not move it.
INSERT INTO change_counters (name, value) VALUES ('identity', 0);
CREATE TRIGGER sessions_ended AFTER DELETE ON sessions BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'identity';
END;
CREATE TRIGGER users_changed AFTER UPDATE ON users BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'identity';
END;
CREATE TRIGGER users_deleted AFTER DELETE ON users BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'identity';
END;
CREATE TRIGGER roles_granted AFTER INSERT ON role_assignments BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'identity';
END;
CREATE TRIGGER roles_revoked AFTER DELETE ON role_assignments BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'identity';
END;
CREATE TRIGGER api_tokens_changed AFTER UPDATE ON api_tokens BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'identity';
END;
CREATE TRIGGER api_tokens_deleted AFTER DELETE ON api_tokens BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'identity';
END;
