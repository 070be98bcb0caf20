-- A resource's name in Traditional Chinese (Hong Kong usage): given by its managers or derived
-- from the Simplified one (OpenCC s2hk). '' until derived (at start for rows written before this
-- migration).
ALTER TABLE resources ADD COLUMN name_zh_hant TEXT NOT NULL DEFAULT '';
