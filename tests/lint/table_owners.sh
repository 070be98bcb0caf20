#!/usr/bin/env bash
# Tables have owners (docs/architecture.md, "Modules and their tables"): a table belongs to the
# module whose migrations create it, and only that module's code names it in SQL; the others ask
# through its C++ interface (registry::Directory, IdentityService's statics, Notifier). The db
# module's change_counters are shared infrastructure; a module without migrations owns no table. Fails, naming file and line, on a module
# that reads or writes another's table.
set -uo pipefail
cd "$(dirname "$0")/../../src"
declare -A owner
for migrations in */migrations/sqlite; do
  module=${migrations%%/*}
  for table in $(grep -hoiE 'CREATE TABLE (IF NOT EXISTS )?[a-z_]+' "$migrations"/*.sql | awk '{print $NF}'); do
    owner[$table]=$module
  done
done
[ "${#owner[@]}" -gt 20 ] || { echo "found only ${#owner[@]} tables: is the layout right?"; exit 1; }
status=0
for module in $(ls -d */ | tr -d /); do
  [ "$module" = db ] && continue
  while IFS=: read -r file line text; do
    for table in $(grep -oE '\b(FROM|JOIN|INTO|UPDATE) [a-z_]+' <<<"$text" | awk '{print $2}'); do
      table_owner=${owner[$table]:-}
      if [ -n "$table_owner" ] && [ "$table_owner" != "$module" ] && [ "$table_owner" != db ]; then
        echo "$file:$line: $module uses $table, which $table_owner owns"
        status=1
      fi
    done
  done < <(grep -nE '\b(FROM|JOIN|INTO|UPDATE) [a-z_]+' $(find "$module" -name '*.cc' -not -path '*/migrations/*') /dev/null)
done
exit $status
