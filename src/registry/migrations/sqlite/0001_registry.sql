-- Registry: organisations of every type; parks, professional parks and alliances are
-- organisations too, so memberships and agreements reference one table.
CREATE TABLE organizations (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  name_zh_hans TEXT NOT NULL DEFAULT '',
  name_zh_hant TEXT NOT NULL DEFAULT '',
  name_en TEXT NOT NULL DEFAULT '',
  region TEXT NOT NULL,
  province TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  website TEXT NOT NULL DEFAULT '',
  parent_id INTEGER REFERENCES organizations(id),
  search_key TEXT NOT NULL,
  -- The name lists sort by: English, else Simplified Chinese. Indexed so a page of a sorted
  -- list reads only its own rows.
  sort_name TEXT NOT NULL COLLATE NOCASE,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX organizations_sort_name ON organizations(sort_name, id);
CREATE INDEX organizations_type ON organizations(type);
CREATE INDEX organizations_parent ON organizations(parent_id);

CREATE TABLE organization_tags (
  organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY (organization_id, tag)
);
CREATE INDEX organization_tags_tag ON organization_tags(tag);

CREATE TABLE memberships (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  park_id INTEGER NOT NULL REFERENCES organizations(id),
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  state TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (park_id, organization_id)
);
CREATE INDEX memberships_org ON memberships(organization_id);
CREATE INDEX memberships_park_state ON memberships(park_id, state);

CREATE TABLE membership_events (
  id INTEGER PRIMARY KEY,
  membership_id INTEGER NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
  from_state TEXT,
  to_state TEXT NOT NULL,
  actor_user_id INTEGER REFERENCES users(id),
  at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX membership_events_membership ON membership_events(membership_id, id);

CREATE TABLE alliance_members (
  alliance_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  joined_on TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (alliance_id, organization_id)
);

CREATE TABLE agreements (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  alliance_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  signed_on TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE agreement_signatories (
  agreement_id INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  PRIMARY KEY (agreement_id, organization_id)
);

CREATE TABLE agreement_scope_items (
  agreement_id INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  item TEXT NOT NULL,
  PRIMARY KEY (agreement_id, position)
);

CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  name_zh TEXT NOT NULL DEFAULT '',
  name_en TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  topics TEXT NOT NULL DEFAULT '',
  search_key TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE affiliations (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  role TEXT NOT NULL,
  start_date TEXT NOT NULL DEFAULT '',
  end_date TEXT NOT NULL DEFAULT ''
);
CREATE INDEX affiliations_person ON affiliations(person_id);
CREATE INDEX affiliations_org ON affiliations(organization_id);

-- Moves on every committed change to what organisation lists show.
INSERT INTO change_counters (name, value) VALUES ('registry', 0);
CREATE TRIGGER organizations_changed_insert AFTER INSERT ON organizations BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'registry';
END;
CREATE TRIGGER organizations_changed_update AFTER UPDATE ON organizations BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'registry';
END;
CREATE TRIGGER organizations_changed_delete AFTER DELETE ON organizations BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'registry';
END;
CREATE TRIGGER organization_tags_changed_insert AFTER INSERT ON organization_tags BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'registry';
END;
CREATE TRIGGER organization_tags_changed_delete AFTER DELETE ON organization_tags BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'registry';
END;
CREATE TRIGGER memberships_changed_insert AFTER INSERT ON memberships BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'registry';
END;
CREATE TRIGGER memberships_changed_update AFTER UPDATE ON memberships BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'registry';
END;
