// PostgreSQL driver of the database layer, on libpq: for deployments that outgrow one machine
// (several ParkHub instances on one PostgreSQL primary).
//
// Selected by a `postgresql://` (or `postgres://`) URL, which libpq reads as it is. Every
// connection speaks UTC and ISO dates; a `timestamptz` column reads back as RFC 3339 with a
// trailing 'Z' (core/clock.h), as the SQLite driver stores it, so repositories see one format.
// Statements are prepared once per connection and parameter types; `?` placeholders become
// `$n`. Write transactions run at READ COMMITTED and serialise their check-then-write through
// Connection::Lock (a transaction-scoped advisory lock); read transactions are REPEATABLE READ
// READ ONLY, so a request reads one snapshot as it does on SQLite.
//
// Errors: a unique violation is kConflict "duplicate", an exclusion violation kConflict "overlap",
// a foreign-key violation "reference_missing", other constraints "constraint_failed"; a lost or
// refused connection, a deadlock or a serialisation failure is kUnavailable (HTTP 503), and the
// broken connection is not pooled again, so the instance recovers by itself when the server is
// back. PostgresDatabase is thread-safe; it lends each connection to one thread at a time.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/mutex.h"
#include "db/database.h"
#include "db/idle_connections.h"

namespace parkhub::db {

class PostgresDatabase final : public Database {
 public:
  // Connects once to check the URL and the server; fails kUnavailable when it cannot.
  static Result<std::unique_ptr<PostgresDatabase>> Open(const std::string& url);
  ~PostgresDatabase() override;

  Result<PooledConnection> Acquire() override;
  // LISTEN on a connection of the listener's own.
  Result<std::unique_ptr<Listener>> Listen(std::string_view channel) override;
  // A session-level advisory lock on a hash of the role, held on a connection kept for it: the
  // leader leads until its process exits or that connection is lost.
  Result<bool> TryLead(std::string_view role) override;
  // PostgreSQL is backed up with its own tools (pg_basebackup, WAL archiving): kFailedPrecondition.
  Status BackupTo(const std::string& path) override;
  std::string_view Dialect() const override { return "postgres"; }

 protected:
  void Release(std::unique_ptr<Connection> connection) override;

 private:
  explicit PostgresDatabase(std::string url) : url_(std::move(url)) {}
  Result<std::unique_ptr<Connection>> Connect();

  std::string url_;
  IdleConnections idle_{32};
  Mutex leadership_mutex_;
  // Role to the connection holding its advisory lock.
  std::map<std::string, std::unique_ptr<Connection>, std::less<>> leading_
      GUARDED_BY(leadership_mutex_);
};

// Rewrites `?` placeholders to `$1, $2, ...`, leaving quoted strings, quoted identifiers and
// comments as they are. Exposed for its test.
std::string NumberPlaceholders(std::string_view sql);

// "2026-11-29 14:01:16+00" (or with a fraction) to "2026-11-29T14:01:16Z" (fraction kept).
// Exposed for its test.
std::string TimestampToRfc3339(std::string_view text);

}  // namespace parkhub::db
