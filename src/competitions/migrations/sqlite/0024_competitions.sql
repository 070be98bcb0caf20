-- Competitions (competitions/competition_service.h): a park's competition of one year (an
-- edition), its groups (tracks) with their entry forms, eligibility rules, criteria, scale and
-- prize tiers as JSON documents, and the entries made to it. Organisations are the registry's
-- public ids; times are RFC 3339 UTC text.
CREATE TABLE competition_editions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  public_id TEXT NOT NULL UNIQUE,
  organiser TEXT NOT NULL,
  year INTEGER NOT NULL,
  name_zh_hans TEXT NOT NULL,
  name_zh_hant TEXT NOT NULL,
  name_en TEXT NOT NULL,
  entries_close_on TEXT NOT NULL,
  entries_close_at TEXT NOT NULL,
  state TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE(organiser, year)
);
CREATE TABLE competition_groups (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  edition_id INTEGER NOT NULL REFERENCES competition_editions(id),
  key TEXT NOT NULL,
  position INTEGER NOT NULL,
  name_zh_hans TEXT NOT NULL,
  name_zh_hant TEXT NOT NULL,
  name_en TEXT NOT NULL,
  form TEXT NOT NULL,
  criteria TEXT NOT NULL,
  scale TEXT NOT NULL,
  prizes TEXT NOT NULL,
  UNIQUE(edition_id, key)
);
CREATE TABLE competition_entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  public_id TEXT NOT NULL UNIQUE,
  edition_id INTEGER NOT NULL REFERENCES competition_editions(id),
  group_id INTEGER NOT NULL REFERENCES competition_groups(id),
  organisation TEXT NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  facts TEXT NOT NULL,
  listings TEXT NOT NULL,
  team TEXT NOT NULL,
  state TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX competition_entries_edition ON competition_entries(edition_id, group_id, title);
CREATE INDEX competition_entries_organisation ON competition_entries(organisation);
