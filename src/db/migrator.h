// Migrator: applies the versioned schema migrations of a dialect, in order, each in its own
// transaction, recording them in `schema_migrations`.
//
// Migrations are SQL files named NNNN_name.sql under db/migrations/<dialect>/, embedded in the
// binary at build time. A database whose recorded version is newer than the newest migration
// this binary knows is refused (FailedPrecondition): an old binary must not write to a schema
// it does not understand.
#pragma once

#include <string>
#include <vector>

#include "db/database.h"

namespace parkhub::db {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

std::vector<Migration> BuiltInMigrations(std::string_view dialect);

class Migrator {
 public:
  Migrator(Database& database, std::vector<Migration> migrations)
      : database_(database), migrations_(std::move(migrations)) {}
  // The version recorded in the database (0 when fresh).
  Result<int> CurrentVersion();
  int LatestVersion() const;
  // Applies pending migrations; returns how many were applied.
  Result<int> Migrate();
  // Fails when the database is behind (needs migrating) or ahead (newer than this binary).
  Status CheckUpToDate();

 private:
  Status EnsureTable(Connection& connection);
  Database& database_;
  std::vector<Migration> migrations_;
};

}  // namespace parkhub::db
