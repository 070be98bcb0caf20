-- Sort keys in the reader's order (text/name_collation.h): pinyin of the name shown under
-- Simplified Chinese, stroke order of the one shown under Traditional Chinese. '' until the
-- registry computes them (at start for rows written before this migration).
ALTER TABLE organizations ADD COLUMN sort_key_zh_hans TEXT NOT NULL DEFAULT '' COLLATE BINARY;
ALTER TABLE organizations ADD COLUMN sort_key_zh_hant TEXT NOT NULL DEFAULT '' COLLATE BINARY;
CREATE INDEX organizations_sort_key_zh_hans ON organizations(sort_key_zh_hans, id);
CREATE INDEX organizations_sort_key_zh_hant ON organizations(sort_key_zh_hant, id);
