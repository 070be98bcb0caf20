-- A role keeps the public id of the organisation it is scoped to (public ids never change), so
-- identity answers "which roles does this user hold, and where" from its own table.
ALTER TABLE role_assignments ADD COLUMN scope_public_id TEXT NOT NULL DEFAULT '';
UPDATE role_assignments SET scope_public_id = COALESCE(
  (SELECT o.public_id FROM organizations o WHERE o.id = role_assignments.scope_id), '');
