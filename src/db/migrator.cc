#include "db/migrator.h"

#include <algorithm>
#include <map>

#include "core/clock.h"

namespace parkhub::db {
std::vector<Migration> MigrationsFromFiles(const EmbeddedFiles& files) {
  std::vector<Migration> migrations;
  for (const auto& [name, sql] : files) {
    int version = std::stoi(std::string(name.substr(0, 4)));
    migrations.push_back({version, std::string(name), std::string(sql)});
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return migrations;
}

std::vector<Migration> MergeModuleMigrations(const std::vector<std::vector<Migration>>& modules) {
  std::map<int, Migration> merged;
  for (const auto& module : modules) {
    for (const Migration& part : module) {
      auto [it, fresh] = merged.try_emplace(part.version, part);
      if (fresh) continue;
      it->second.name += "+" + part.name;
      it->second.sql += "\n" + part.sql;
    }
  }
  std::vector<Migration> out;
  for (auto& [version, migration] : merged) out.push_back(std::move(migration));
  return out;
}

Status Migrator::EnsureTable(Connection& connection) {
  // Under the lock Migrate takes: PostgreSQL refuses two concurrent CREATEs of one table even
  // with IF NOT EXISTS.
  ASSIGN_OR_RETURN(auto tx, Transaction::Begin(connection, TxMode::kWrite));
  RETURN_IF_ERROR(connection.Lock("schema_migrations", "migrate"));
  auto created = connection.Execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL, applied_at TEXT NOT NULL)");
  if (!created.ok()) return created.status();
  return tx.Commit();
}

Result<int> Migrator::CurrentVersion() {
  ASSIGN_OR_RETURN(auto connection, database_.Acquire());
  RETURN_IF_ERROR(EnsureTable(*connection));
  ASSIGN_OR_RETURN(int64_t version,
                   connection->QueryInt("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  return static_cast<int>(version);
}

int Migrator::LatestVersion() const {
  return migrations_.empty() ? 0 : migrations_.back().version;
}

Result<int> Migrator::Migrate() {
  ASSIGN_OR_RETURN(int current, CurrentVersion());
  if (current > LatestVersion()) {
    return Status(ErrorCode::kFailedPrecondition, "schema_too_new",
                  "database schema version " + std::to_string(current) +
                      " is newer than this binary knows (" + std::to_string(LatestVersion()) +
                      "); upgrade ParkHub");
  }
  int applied = 0;
  for (const Migration& migration : migrations_) {
    if (migration.version <= current) continue;
    ASSIGN_OR_RETURN(auto connection, database_.Acquire());
    ASSIGN_OR_RETURN(auto tx, Transaction::Begin(*connection, TxMode::kWrite));
    // Instances starting together on one server: the first applies it, the others find it done.
    RETURN_IF_ERROR(connection->Lock("schema_migrations", "migrate"));
    ASSIGN_OR_RETURN(int64_t done, connection->QueryInt(
                                       "SELECT COUNT(*) FROM schema_migrations WHERE version = ?",
                                       {int64_t{migration.version}}));
    if (done > 0) continue;
    RETURN_IF_ERROR(connection->ExecuteScript(migration.sql));
    auto recorded = connection->Execute(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
        {int64_t{migration.version}, migration.name, FormatUtc(std::chrono::system_clock::now())});
    if (!recorded.ok()) return recorded.status();
    RETURN_IF_ERROR(tx.Commit());
    ++applied;
  }
  return applied;
}

Status Migrator::CheckUpToDate() {
  ASSIGN_OR_RETURN(int current, CurrentVersion());
  if (current > LatestVersion()) {
    return Status(ErrorCode::kFailedPrecondition, "schema_too_new",
                  "database schema version " + std::to_string(current) +
                      " is newer than this binary knows (" + std::to_string(LatestVersion()) + ")");
  }
  if (current < LatestVersion()) {
    return Status(ErrorCode::kFailedPrecondition, "schema_behind", "run `parkhub migrate`");
  }
  return Status::Ok();
}

}  // namespace parkhub::db
