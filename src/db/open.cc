#include "db/database.h"
#include "db/postgres/postgres_database.h"
#include "db/sqlite/sqlite_database.h"

namespace parkhub::db {

Result<std::unique_ptr<Database>> Open(std::string_view url) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.starts_with(kSqlite) && url.size() > kSqlite.size()) {
    ASSIGN_OR_RETURN(auto database, SqliteDatabase::Open(std::string(url.substr(kSqlite.size()))));
    return std::unique_ptr<Database>(std::move(database));
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    ASSIGN_OR_RETURN(auto database, PostgresDatabase::Open(std::string(url)));
    return std::unique_ptr<Database>(std::move(database));
  }
  return Status(
      ErrorCode::kInvalidArgument, "database_url",
      "database_url must be sqlite:PATH or postgresql://...; got \"" + std::string(url) + "\"");
}

}  // namespace parkhub::db
