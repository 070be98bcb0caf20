// SQLite driver of the database layer: the embedded default.
//
// Every connection runs in WAL mode with foreign keys on, synchronous=FULL (an acknowledged
// commit survives power loss) and a busy timeout, so concurrent writers queue instead of
// failing. Write transactions start with BEGIN IMMEDIATE: check-then-insert sequences are
// serialised by the database itself. Prepared statements are cached per connection.
// SqliteDatabase is thread-safe; it lends each connection to one thread at a time.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "core/mutex.h"
#include "db/database.h"
#include "db/idle_connections.h"

namespace parkhub::db {

class SqliteDatabase final : public Database {
 public:
  // Opens (creating if needed) the database file at `path`.
  static Result<std::unique_ptr<SqliteDatabase>> Open(const std::string& path);
  ~SqliteDatabase() override;

  Result<PooledConnection> Acquire() override;
  // SQLite has no notifications: the listener only waits (its callers poll).
  Result<std::unique_ptr<Listener>> Listen(std::string_view channel) override;
  // One server process per database file: it always leads.
  Result<bool> TryLead(std::string_view) override { return true; }
  Status BackupTo(const std::string& path) override;
  std::string_view Dialect() const override { return "sqlite"; }
  const std::string& path() const { return path_; }

 protected:
  void Release(std::unique_ptr<Connection> connection) override;

 private:
  explicit SqliteDatabase(std::string path) : path_(std::move(path)) {}
  std::string path_;
  IdleConnections idle_{32};
  // One write transaction of this process at a time: held by a connection from Begin to Commit
  // or Rollback, across calls, so it is a plain std::mutex the analysis does not follow.
  std::mutex write_lock_;
};

// Copies the database at `backup_path` over the one at `target_path` (used by `restore` while
// the server is stopped). Fails without touching the target when the backup is not a readable
// SQLite database that passes an integrity check.
Status RestoreSqlite(const std::string& backup_path, const std::string& target_path);

}  // namespace parkhub::db
