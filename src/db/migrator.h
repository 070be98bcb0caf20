// Migrator: applies the versioned schema migrations of a dialect, in order, each in its own
// transaction, recording them in `schema_migrations`.
//
// Each module owns its tables: its migrations are SQL files named NNNN_name.sql under
// src/<module>/migrations/<dialect>/, embedded at build time (cmake embed_schema_migrations) and
// returned by <module>::SchemaMigrations(dialect). Versions are numbered across the whole schema;
// the composition root merges the modules' lists (MergeModuleMigrations), and the parts several
// modules give one version are applied together, in one transaction. A database whose recorded
// version is newer than the newest migration this binary knows is refused (FailedPrecondition):
// an old binary must not write to a schema it does not understand.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "db/database.h"

namespace parkhub::db {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// Embedded SQL files: (file name, contents).
using EmbeddedFiles = std::vector<std::pair<std::string_view, std::string_view>>;
// A module's migrations from its files named NNNN_name.sql (NNNN: the version), by version.
std::vector<Migration> MigrationsFromFiles(const EmbeddedFiles& files);
// The schema of several modules, given in the order they depend on one another: one migration
// per version, sorted, joining every module's part of that version in the modules' order.
std::vector<Migration> MergeModuleMigrations(const std::vector<std::vector<Migration>>& modules);

// The db module's own part: the change counters every module's triggers move.
std::vector<Migration> SchemaMigrations(std::string_view dialect);

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
