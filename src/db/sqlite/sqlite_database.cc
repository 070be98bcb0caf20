#include "db/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <thread>
#include <unordered_map>

namespace parkhub::db {
namespace {

constexpr int kBusyTimeoutMs = 10'000;

Status SqliteError(sqlite3* handle, int code, std::string_view context) {
  std::string message = std::string(context) + ": " + sqlite3_errmsg(handle);
  int extended = sqlite3_extended_errcode(handle);
  switch (code & 0xFF) {
    case SQLITE_CONSTRAINT:
      if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Status::Conflict("duplicate", "a record with the same unique value exists");
      }
      if (extended == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return Status(ErrorCode::kUnprocessable, "reference_missing",
                      "a referenced record does not exist");
      }
      return Status(ErrorCode::kUnprocessable, "constraint_failed", message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status(ErrorCode::kUnavailable, "database_busy", message);
    default:
      return Status::Internal(message);
  }
}

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(sqlite3* handle, std::mutex* write_lock)
      : handle_(handle), write_lock_(write_lock) {}
  ~SqliteConnection() override {
    for (auto& [sql, statement] : cache_) sqlite3_finalize(statement);
    sqlite3_close_v2(handle_);
  }

  Result<int64_t> Execute(std::string_view sql, const Params& params) override {
    int64_t changes = 0;
    RETURN_IF_ERROR(Run(sql, params, nullptr));
    changes = sqlite3_changes64(handle_);
    return changes;
  }

  Result<std::vector<Row>> Query(std::string_view sql, const Params& params) override {
    std::vector<Row> rows;
    RETURN_IF_ERROR(Run(sql, params, &rows));
    return rows;
  }

  Status ExecuteScript(std::string_view sql) override {
    std::string text(sql);
    char* error = nullptr;
    int rc = sqlite3_exec(handle_, text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      std::string message = error ? error : "unknown error";
      sqlite3_free(error);
      return Status::Internal("script failed: " + message);
    }
    return Status::Ok();
  }

  // Writers of this process queue on a mutex before BEGIN IMMEDIATE instead of meeting in
  // SQLite's busy handler, which sleeps in steps of up to 100 ms; other processes (a CLI import)
  // still meet this one through the busy time-out.
  Status Begin(TxMode mode) override {
    if (mode == TxMode::kRead) return Plain("BEGIN");
    write_guard_ = std::unique_lock<std::mutex>(*write_lock_);
    Status begun = Plain("BEGIN IMMEDIATE");
    if (!begun.ok()) write_guard_ = {};
    return begun;
  }
  Status Commit() override {
    Status committed = Plain("COMMIT");
    if (committed.ok() || sqlite3_get_autocommit(handle_)) write_guard_ = {};
    return committed;
  }
  Status Rollback() override {
    Status rolled_back = sqlite3_get_autocommit(handle_) ? Status::Ok() : Plain("ROLLBACK");
    write_guard_ = {};
    return rolled_back;
  }
  std::string_view Dialect() const override { return "sqlite"; }

  Status Notify(std::string_view) override { return Status::Ok(); }

  // BEGIN IMMEDIATE already made this the only writer of the file.
  Status Lock(std::string_view scope, std::string_view) override {
    if (write_guard_.owns_lock() && !sqlite3_get_autocommit(handle_)) return Status::Ok();
    return Status::Internal("lock on " + std::string(scope) + " outside a write transaction");
  }

 private:
  Status Plain(const char* sql) {
    int rc = sqlite3_exec(handle_, sql, nullptr, nullptr, nullptr);
    return rc == SQLITE_OK ? Status::Ok() : SqliteError(handle_, rc, sql);
  }

  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    std::string key(sql);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    sqlite3_stmt* statement = nullptr;
    int rc = sqlite3_prepare_v3(handle_, key.data(), static_cast<int>(key.size()),
                                SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (rc != SQLITE_OK) return SqliteError(handle_, rc, "prepare");
    cache_.emplace(std::move(key), statement);
    return statement;
  }

  Status Bind(sqlite3_stmt* statement, const Params& params) {
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(statement)) {
      return Status::Internal("parameter count mismatch");
    }
    for (size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i + 1);
      const Value& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::nullptr_t>(v)) {
        rc = sqlite3_bind_null(statement, index);
      } else if (auto p = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(statement, index, *p);
      } else if (auto p = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(statement, index, *p);
      } else {
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text64(statement, index, s.data(), s.size(), SQLITE_TRANSIENT,
                                 SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) return SqliteError(handle_, rc, "bind");
    }
    return Status::Ok();
  }

  Status Run(std::string_view sql, const Params& params, std::vector<Row>* rows) {
    ASSIGN_OR_RETURN(sqlite3_stmt * statement, Prepare(sql));
    struct Resetter {
      sqlite3_stmt* s;
      ~Resetter() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } resetter{statement};
    RETURN_IF_ERROR(Bind(statement, params));
    while (true) {
      int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return SqliteError(handle_, rc, "step");
      if (rows == nullptr) continue;
      int columns = sqlite3_column_count(statement);
      std::vector<Value> values;
      values.reserve(columns);
      for (int c = 0; c < columns; ++c) values.push_back(ReadColumn(statement, c));
      rows->emplace_back(std::move(values));
    }
  }

  static Value ReadColumn(sqlite3_stmt* statement, int column) {
    switch (sqlite3_column_type(statement, column)) {
      case SQLITE_INTEGER:
        return static_cast<int64_t>(sqlite3_column_int64(statement, column));
      case SQLITE_FLOAT:
        return sqlite3_column_double(statement, column);
      case SQLITE_NULL:
        return nullptr;
      default: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
        return std::string(text, sqlite3_column_bytes(statement, column));
      }
    }
  }

  sqlite3* handle_;
  std::mutex* write_lock_;
  std::unique_lock<std::mutex> write_guard_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

Result<sqlite3*> OpenHandle(const std::string& path, int flags) {
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = handle ? sqlite3_errmsg(handle) : "out of memory";
    sqlite3_close_v2(handle);
    return Status(ErrorCode::kUnavailable, "database_open_failed", path + ": " + message);
  }
  sqlite3_busy_timeout(handle, kBusyTimeoutMs);
  sqlite3_extended_result_codes(handle, 1);
  return handle;
}

Status CopyDatabase(sqlite3* source, sqlite3* target) {
  sqlite3_backup* backup = sqlite3_backup_init(target, "main", source, "main");
  if (backup == nullptr) return Status::Internal(sqlite3_errmsg(target));
  int rc;
  while (true) {
    rc = sqlite3_backup_step(backup, 256);
    if (rc == SQLITE_OK) continue;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    break;
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Status::Internal(std::string("backup failed: ") + sqlite3_errstr(rc));
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path) {
  std::unique_ptr<SqliteDatabase> database(new SqliteDatabase(path));
  auto first = database->Acquire();  // creates the file and sets WAL mode once
  if (!first.ok()) return first.status();
  return database;
}

SqliteDatabase::~SqliteDatabase() = default;

Result<PooledConnection> SqliteDatabase::Acquire() {
  if (auto idle = idle_.Take()) return PooledConnection(this, std::move(idle));
  ASSIGN_OR_RETURN(sqlite3 * handle,
                   OpenHandle(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                         SQLITE_OPEN_NOMUTEX));
  auto connection = std::make_unique<SqliteConnection>(handle, &write_lock_);
  RETURN_IF_ERROR(connection->ExecuteScript(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
      "PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=4000; "
      "PRAGMA mmap_size=4294967296;"));  // reads without a system call per page (README)
  return PooledConnection(this, std::move(connection));
}

namespace {

class WaitingListener final : public Listener {
 public:
  bool Wait(std::chrono::milliseconds timeout) override {
    MutexLock lock(mutex_);
    woken_.wait_for(mutex_, timeout, [this]() REQUIRES(mutex_) { return interrupted_; });
    return false;
  }
  void Interrupt() override {
    {
      MutexLock lock(mutex_);
      interrupted_ = true;
    }
    woken_.notify_all();
  }

 private:
  Mutex mutex_;
  std::condition_variable_any woken_;
  bool interrupted_ GUARDED_BY(mutex_) = false;
};

}  // namespace

Result<std::unique_ptr<Listener>> SqliteDatabase::Listen(std::string_view) {
  return std::unique_ptr<Listener>(std::make_unique<WaitingListener>());
}

void SqliteDatabase::Release(std::unique_ptr<Connection> connection) {
  connection->Rollback();
  idle_.Put(std::move(connection));
}

namespace {

// Copies the open `source` into the file at `target_path` and closes `source`.
Status CopyInto(sqlite3* source, const std::string& target_path) {
  auto target = OpenHandle(target_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!target.ok()) {
    sqlite3_close_v2(source);
    return target.status();
  }
  Status status = CopyDatabase(source, *target);
  sqlite3_close_v2(source);
  sqlite3_close_v2(*target);
  return status;
}

}  // namespace

Status SqliteDatabase::BackupTo(const std::string& path) {
  ASSIGN_OR_RETURN(sqlite3 * source, OpenHandle(path_, SQLITE_OPEN_READONLY));
  return CopyInto(source, path);
}

Status RestoreSqlite(const std::string& backup_path, const std::string& target_path) {
  ASSIGN_OR_RETURN(sqlite3 * source, OpenHandle(backup_path, SQLITE_OPEN_READONLY));
  sqlite3_stmt* check = nullptr;
  bool healthy = sqlite3_prepare_v2(source, "PRAGMA integrity_check", -1, &check, nullptr) ==
                     SQLITE_OK &&
                 sqlite3_step(check) == SQLITE_ROW &&
                 std::string(reinterpret_cast<const char*>(sqlite3_column_text(check, 0))) == "ok";
  sqlite3_finalize(check);
  if (!healthy) {
    sqlite3_close_v2(source);
    return Status::Invalid("backup", "not a readable ParkHub database", "bad_format",
                           {{"format", "parkhub_database"}});
  }
  return CopyInto(source, target_path);
}

}  // namespace parkhub::db
