// The one database layer: Database (a pool of connections), Connection (SQL with bound
// parameters) and Transaction (RAII: rolls back unless committed).
//
// Repositories are written once against these interfaces; a driver (sqlite/, the embedded
// default, or postgres/) owns every dialect difference. SQL uses `?` placeholders and RETURNING,
// which both dialects accept (the PostgreSQL driver rewrites `?` to `$n`). User values travel only
// as bound parameters, never spliced into SQL text.
//
// Thread-safety: Database is thread-safe; a Connection is used by one thread at a time, which
// the pool guarantees by lending it out exclusively.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"

namespace parkhub::db {

using Value = std::variant<std::nullptr_t, int64_t, double, std::string>;
using Params = std::vector<Value>;

// The inside of an IN list: "?, ?, ?", one per distinct value, the values appended to `params`
// (so callers may pass a page's ids with repeats). No values give "NULL", which matches nothing
// (an empty list is not portable SQL).
template <typename Values>
std::string InList(const Values& values, Params& params) {
  std::string placeholders;
  std::set<typename Values::value_type> seen;
  for (const auto& value : values) {
    if (!seen.insert(value).second) continue;
    placeholders += placeholders.empty() ? "?" : ", ?";
    params.emplace_back(value);
  }
  return placeholders.empty() ? "NULL" : placeholders;
}

// Convenience: an optional string becomes NULL when empty.
inline Value NullIfEmpty(const std::string& s) { return s.empty() ? Value(nullptr) : Value(s); }

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  bool IsNull(size_t i) const { return std::holds_alternative<std::nullptr_t>(values_.at(i)); }
  int64_t Int(size_t i) const;
  double Double(size_t i) const;
  std::string Text(size_t i) const;  // NULL reads as ""
  // The value as the driver read it (copying rows between databases).
  const Value& Raw(size_t i) const { return values_.at(i); }
  size_t size() const { return values_.size(); }

 private:
  std::vector<Value> values_;
};

// Reads a row's columns in the order its query names them, then Done() checks that every
// column was read: a query and the code reading it cannot drift apart silently (a column added
// to one and not the other is an error, not a shifted value). Reading past the end throws
// std::out_of_range, as Row does.
class RowReader {
 public:
  explicit RowReader(const Row& row) : row_(row) {}
  int64_t Int() { return row_.Int(next_++); }
  // nullopt for NULL.
  std::optional<int64_t> OptionalInt() {
    bool null = row_.IsNull(next_);
    int64_t value = Int();
    return null ? std::nullopt : std::optional<int64_t>(value);
  }
  std::optional<std::string> OptionalText() {
    bool null = row_.IsNull(next_);
    std::string value = Text();
    return null ? std::nullopt : std::optional<std::string>(std::move(value));
  }
  std::optional<double> OptionalDouble() {
    bool null = row_.IsNull(next_);
    double value = Double();
    return null ? std::nullopt : std::optional<double>(value);
  }
  int IntAsInt() { return static_cast<int>(Int()); }
  bool Bool() { return Int() != 0; }
  double Double() { return row_.Double(next_++); }
  std::string Text() { return row_.Text(next_++); }
  // OK when every column was read, kInternal naming both counts otherwise.
  Status Done() const;

 private:
  const Row& row_;
  size_t next_ = 0;
};

enum class TxMode { kRead, kWrite };

class Connection {
 public:
  virtual ~Connection() = default;
  // Runs a statement that returns no rows; yields the number of rows changed.
  virtual Result<int64_t> Execute(std::string_view sql, const Params& params = {}) = 0;
  virtual Result<std::vector<Row>> Query(std::string_view sql, const Params& params = {}) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual Status ExecuteScript(std::string_view sql) = 0;
  virtual Status Begin(TxMode mode) = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  virtual std::string_view Dialect() const = 0;
  // Serialises the rest of this write transaction with every other transaction that locks the
  // same (scope, key), until it commits or rolls back. Every check-then-write that must not
  // interleave with another (a booking against a resource's calendar and quotas, a workflow
  // transition of one record) takes its lock before it reads what it checks; the key is the
  // record's public id, which a request knows before it reads anything. A driver whose write
  // transactions are already serial (SQLite: one writer) only checks that a write transaction
  // is open; PostgreSQL takes a transaction-scoped advisory lock on a hash of (scope, key).
  // Fails with kInternal outside a write transaction: a lock there would protect nothing.
  virtual Status Lock(std::string_view scope, std::string_view key) = 0;
  // Wakes every Listener of `channel` on this database, in any process, when the current
  // transaction commits (at once outside one). A driver without notifications (SQLite, whose one
  // server process is the only reader) does nothing: its listeners poll.
  virtual Status Notify(std::string_view channel) = 0;

  // One row or NotFound(what).
  Result<Row> QueryOne(std::string_view sql, const Params& params, const std::string& what);
  // The first column of the first row as an integer (COUNT(*) and friends).
  Result<int64_t> QueryInt(std::string_view sql, const Params& params = {});
};

class Database;

// A connection lent by the pool; returned when this object is destroyed.
class PooledConnection {
 public:
  PooledConnection(Database* owner, std::unique_ptr<Connection> connection)
      : owner_(owner), connection_(std::move(connection)) {}
  PooledConnection(PooledConnection&&) = default;
  PooledConnection& operator=(PooledConnection&&) = default;
  ~PooledConnection();
  Connection* operator->() { return connection_.get(); }
  Connection& operator*() { return *connection_; }

 private:
  Database* owner_;
  std::unique_ptr<Connection> connection_;
};

// Waits for notifications on one channel (Connection::Notify), on a connection of its own.
class Listener {
 public:
  virtual ~Listener() = default;
  // True when a notification arrived within `timeout`; false when the time passed (or the
  // connection was lost: it reconnects on a later call), so a caller that also polls after each
  // return never misses a change.
  virtual bool Wait(std::chrono::milliseconds timeout) = 0;
  // Ends the Wait in progress, and every later one, at once (shutdown). Thread-safe.
  virtual void Interrupt() = 0;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Result<PooledConnection> Acquire() = 0;
  // A listener of `channel`. Drivers without notifications return one that only waits.
  virtual Result<std::unique_ptr<Listener>> Listen(std::string_view channel) = 0;
  // Whether this process leads `role` among every process serving this database (periodic jobs
  // that must run once across instances). The first to ask leads until it exits or loses its
  // connection; the others get false until then. A driver serving one process (SQLite) always
  // answers true.
  virtual Result<bool> TryLead(std::string_view role) = 0;
  // Online copy of the whole database to `path` while others keep reading and writing.
  virtual Status BackupTo(const std::string& path) = 0;
  virtual std::string_view Dialect() const = 0;

 protected:
  friend class PooledConnection;
  virtual void Release(std::unique_ptr<Connection> connection) = 0;
};

// Opens the database a URL names: "sqlite:PATH" (the embedded default; PATH is created when
// missing) or "postgresql://..." (libpq's URI; postgres:// too).
// An unknown scheme is kInvalidArgument naming the schemes this binary knows.
Result<std::unique_ptr<Database>> Open(std::string_view url);

// Rolls back on destruction unless Commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> Begin(Connection& connection, TxMode mode);
  Transaction(Transaction&& other) noexcept : connection_(other.connection_) {
    other.connection_ = nullptr;
  }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Connection* connection) : connection_(connection) {}
  Connection* connection_;
};

// Runs `work` inside a transaction on a pooled connection and commits when it returns OK.
// Any failure rolls back, so a failed request writes nothing.
template <typename T>
Result<T> InTransaction(Database& database, TxMode mode,
                        const std::function<Result<T>(Connection&)>& work) {
  auto connection = database.Acquire();
  if (!connection.ok()) return connection.status();
  auto tx = Transaction::Begin(**connection, mode);
  if (!tx.ok()) return tx.status();
  Result<T> result = work(**connection);
  if (!result.ok()) return result;
  Status committed = tx->Commit();
  if (!committed.ok()) return committed;
  return result;
}

}  // namespace parkhub::db
