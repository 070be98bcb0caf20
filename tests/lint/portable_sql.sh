#!/usr/bin/env bash
# Repositories speak the SQL that SQLite and PostgreSQL share (docs/architecture.md, "The store").
# Fails, naming file and line, on the constructs only one of them understands. Migrations are
# per dialect and not checked; matching/ keeps its own index file and is not a repository.
set -uo pipefail
cd "$(dirname "$0")/../../src"
sources=$(find . -name '*.cc' -not -path './matching/*' -not -path './db/sqlite/*')
status=0
check() {
  local what="$1" pattern="$2"
  if hits=$(grep -nE "$pattern" $sources); then
    echo "not portable SQL ($what):"
    echo "$hits"
    status=1
  fi
}
check 'numbered parameters; use plain ?' '"[^"]*\?[0-9]'
check 'group_concat; read the rows' 'group_concat'
check 'COLLATE NOCASE; order by LOWER() or search a folded search_key' 'COLLATE NOCASE'
check 'INSERT OR ...; use ON CONFLICT' 'INSERT OR (IGNORE|REPLACE)'
check 'scalar MIN/MAX of two values; use CASE' '"[^"]*\b(MIN|MAX)\([^()"]*,'
check 'SQLite date functions' "(strftime|julianday|datetime)\\('"
exit $status
