-- A superseded or rejected policy version may be proposed again (going back to an earlier rule
-- set); each proposal is a round, and only the approvals of the current round count.
ALTER TABLE policy_versions ADD COLUMN round INTEGER NOT NULL DEFAULT 1;
ALTER TABLE policy_version_approvals ADD COLUMN round INTEGER NOT NULL DEFAULT 1;
