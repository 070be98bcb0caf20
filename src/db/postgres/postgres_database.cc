#include "db/postgres/postgres_database.h"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdlib>
#include <unordered_map>

namespace parkhub::db {
namespace {

// Type OIDs of the built-in types whose values are not read as text (pg_type.h).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;
constexpr Oid kTimestamptzOid = 1184;

Status Unavailable(std::string_view code, const std::string& message) {
  return Status(ErrorCode::kUnavailable, std::string(code), message);
}

// Maps a failed result (or a failed connection when `result` is null) to a Status the API
// answers with: constraint classes as the SQLite driver does, connection and concurrency failures
// as kUnavailable.
Status PostgresError(PGconn* connection, const PGresult* result, std::string_view context) {
  std::string message = std::string(context) + ": " + PQerrorMessage(connection);
  const char* field = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string state = field ? field : "";
  if (PQstatus(connection) == CONNECTION_BAD || state.starts_with("08") || state == "57P01" ||
      state == "57P02" || state == "57P03") {
    return Unavailable("database_unavailable", message);
  }
  if (state == "23505") {
    return Status::Conflict("duplicate", "a record with the same unique value exists");
  }
  if (state == "23P01") {
    return Status::Conflict("overlap", "the record overlaps another one that excludes it");
  }
  if (state == "23503") {
    return Status(ErrorCode::kUnprocessable, "reference_missing",
                  "a referenced record does not exist");
  }
  if (state.starts_with("23")) {
    return Status(ErrorCode::kUnprocessable, "constraint_failed", message);
  }
  if (state == "40001" || state == "40P01" || state == "55P03") {
    return Unavailable("database_busy", message);
  }
  return Status::Internal(message);
}

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(PGconn* handle) : handle_(handle) {}
  ~PostgresConnection() override { PQfinish(handle_); }

  Result<int64_t> Execute(std::string_view sql, const Params& params) override {
    ASSIGN_OR_RETURN(ResultPtr result, Run(sql, params));
    const char* changed = PQcmdTuples(result.get());
    return changed[0] == '\0' ? int64_t{0} : std::strtoll(changed, nullptr, 10);
  }

  Result<std::vector<Row>> Query(std::string_view sql, const Params& params) override {
    ASSIGN_OR_RETURN(ResultPtr result, Run(sql, params));
    return ReadRows(result.get());
  }

  Status ExecuteScript(std::string_view sql) override {
    ResultPtr result(PQexec(handle_, std::string(sql).c_str()), &PQclear);
    return CheckCommand(result.get(), "script");
  }

  Status Begin(TxMode mode) override {
    RETURN_IF_ERROR(Plain(
        mode == TxMode::kWrite ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    writing_ = mode == TxMode::kWrite;
    return Status::Ok();
  }
  Status Commit() override {
    Status committed = Plain("COMMIT");
    if (committed.ok() || PQtransactionStatus(handle_) == PQTRANS_IDLE) writing_ = false;
    return committed;
  }
  Status Rollback() override {
    writing_ = false;
    if (PQtransactionStatus(handle_) == PQTRANS_IDLE) return Status::Ok();
    return Plain("ROLLBACK");
  }
  std::string_view Dialect() const override { return "postgres"; }

  Status Lock(std::string_view scope, std::string_view key) override {
    if (!writing_ || PQtransactionStatus(handle_) == PQTRANS_IDLE) {
      return Status::Internal("lock on " + std::string(scope) + " outside a write transaction");
    }
    std::string name = std::string(scope) + '\x1f' + std::string(key);
    auto locked = Query("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", {name});
    return locked.ok() ? Status::Ok() : locked.status();
  }

  Status Notify(std::string_view channel) override {
    return Query("SELECT pg_notify(?, '')", {std::string(channel)}).status();
  }

  bool healthy() const { return PQstatus(handle_) == CONNECTION_OK; }

 private:
  Status CheckCommand(const PGresult* result, std::string_view context) {
    ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Status::Ok();
    return PostgresError(handle_, result, context);
  }

  Status Plain(const char* sql) {
    ResultPtr result(PQexec(handle_, sql), &PQclear);
    return CheckCommand(result.get(), sql);
  }

  // The prepared statement for `sql` with these parameter types, preparing it on first use.
  Result<const std::string*> Prepare(std::string_view sql, const std::vector<Oid>& types) {
    std::string key(sql);
    key.push_back('\0');
    for (Oid type : types) key += std::to_string(type) + ",";
    auto it = prepared_.find(key);
    if (it != prepared_.end()) return &it->second;
    std::string name = "s" + std::to_string(prepared_.size());
    std::string numbered = NumberPlaceholders(sql);
    ResultPtr result(PQprepare(handle_, name.c_str(), numbered.c_str(),
                               static_cast<int>(types.size()), types.data()),
                     &PQclear);
    RETURN_IF_ERROR(CheckCommand(result.get(), "prepare"));
    return &prepared_.emplace(std::move(key), std::move(name)).first->second;
  }

  Result<ResultPtr> Run(std::string_view sql, const Params& params) {
    std::vector<Oid> types;
    std::vector<std::string> texts;
    std::vector<const char*> values;
    types.reserve(params.size());
    texts.reserve(params.size());
    for (const Value& value : params) {
      if (auto p = std::get_if<int64_t>(&value)) {
        types.push_back(kInt8Oid);
        texts.push_back(std::to_string(*p));
      } else if (auto p = std::get_if<double>(&value)) {
        types.push_back(kFloat8Oid);
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.17g", *p);
        texts.emplace_back(buffer);
      } else if (auto p = std::get_if<std::string>(&value)) {
        types.push_back(0);  // the server infers it from where the parameter stands
        texts.push_back(*p);
      } else {
        types.push_back(0);
        texts.emplace_back();
      }
    }
    for (size_t i = 0; i < params.size(); ++i) {
      values.push_back(std::holds_alternative<std::nullptr_t>(params[i]) ? nullptr
                                                                         : texts[i].c_str());
    }
    ASSIGN_OR_RETURN(const std::string* name, Prepare(sql, types));
    ResultPtr result(PQexecPrepared(handle_, name->c_str(), static_cast<int>(values.size()),
                                    values.data(), nullptr, nullptr, 0),
                     &PQclear);
    RETURN_IF_ERROR(CheckCommand(result.get(), "statement"));
    return result;
  }

  static std::vector<Row> ReadRows(const PGresult* result) {
    int rows = PQntuples(result);
    int columns = PQnfields(result);
    std::vector<Row> out;
    out.reserve(rows);
    for (int r = 0; r < rows; ++r) {
      std::vector<Value> values;
      values.reserve(columns);
      for (int c = 0; c < columns; ++c) values.push_back(ReadColumn(result, r, c));
      out.emplace_back(std::move(values));
    }
    return out;
  }

  static Value ReadColumn(const PGresult* result, int row, int column) {
    if (PQgetisnull(result, row, column)) return nullptr;
    const char* text = PQgetvalue(result, row, column);
    switch (PQftype(result, column)) {
      case kBoolOid:
        return int64_t{text[0] == 't' ? 1 : 0};
      case kInt8Oid:
      case kInt2Oid:
      case kInt4Oid:
      case kOidOid:
        return static_cast<int64_t>(std::strtoll(text, nullptr, 10));
      case kFloat4Oid:
      case kFloat8Oid:
      case kNumericOid:
        return std::strtod(text, nullptr);
      case kTimestamptzOid:
        return TimestampToRfc3339(text);
      default:
        return std::string(text, PQgetlength(result, row, column));
    }
  }

  PGconn* handle_;
  bool writing_ = false;
  // SQL text and parameter types to the name of its prepared statement.
  std::unordered_map<std::string, std::string> prepared_;
};

// Connects to `url` with the session settings every connection of this driver has.
Result<PGconn*> ConnectHandle(const std::string& url) {
  PGconn* handle = PQconnectdb(url.c_str());
  if (PQstatus(handle) != CONNECTION_OK) {
    std::string message = handle ? PQerrorMessage(handle) : "out of memory";
    PQfinish(handle);
    return Unavailable("database_unavailable", "cannot connect to PostgreSQL: " + message);
  }
  PQsetNoticeProcessor(
      handle, [](void*, const char*) {}, nullptr);  // "already exists, skipping"
  if (PQsetClientEncoding(handle, "UTF8") != 0) {
    PQfinish(handle);
    return Unavailable("database_unavailable", "the server does not speak UTF-8");
  }
  ResultPtr set(PQexec(handle, "SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, YMD'"), &PQclear);
  if (PQresultStatus(set.get()) != PGRES_COMMAND_OK) {
    Status failed = PostgresError(handle, set.get(), "session settings");
    PQfinish(handle);
    return failed;
  }
  return handle;
}

class PostgresListener final : public Listener {
 public:
  PostgresListener(std::string url, std::string channel)
      : url_(std::move(url)), channel_(std::move(channel)), interrupt_(eventfd(0, EFD_NONBLOCK)) {}
  ~PostgresListener() override {
    PQfinish(handle_);
    close(interrupt_);
  }

  // Polls the server's socket and the interrupt together; without a connection, only the
  // interrupt (it reconnects next time).
  bool Wait(std::chrono::milliseconds timeout) override {
    bool connected = Connected();
    if (connected && Drain()) return true;
    pollfd watched[2] = {{interrupt_, POLLIN, 0}, {connected ? PQsocket(handle_) : -1, POLLIN, 0}};
    if (poll(watched, 2, static_cast<int>(timeout.count())) <= 0) return false;
    if (!connected || (watched[1].revents & POLLIN) == 0) return false;
    if (PQconsumeInput(handle_) == 0) return Lost();
    return Drain();
  }
  void Interrupt() override {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t written = write(interrupt_, &one, sizeof one);
  }

  // LISTENs on a fresh connection when there is none.
  bool Connected() {
    if (handle_ != nullptr && PQstatus(handle_) == CONNECTION_OK) return true;
    PQfinish(handle_);
    handle_ = nullptr;
    auto handle = ConnectHandle(url_);
    if (!handle.ok()) return false;
    handle_ = *handle;
    char* quoted = PQescapeIdentifier(handle_, channel_.data(), channel_.size());
    ResultPtr listening(PQexec(handle_, ("LISTEN " + std::string(quoted)).c_str()), &PQclear);
    PQfreemem(quoted);
    if (PQresultStatus(listening.get()) != PGRES_COMMAND_OK) return Lost();
    return true;
  }

 private:
  bool Drain() {
    bool any = false;
    while (PGnotify* notice = PQnotifies(handle_)) {
      PQfreemem(notice);
      any = true;
    }
    return any;
  }
  bool Lost() {
    PQfinish(handle_);
    handle_ = nullptr;
    return false;
  }

  std::string url_;
  std::string channel_;
  int interrupt_;  // an eventfd: readable once Interrupt() was called
  PGconn* handle_ = nullptr;
};

}  // namespace

std::string NumberPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  size_t i = 0;
  auto copy_until = [&](char close) {
    out.push_back(sql[i++]);
    while (i < sql.size()) {
      out.push_back(sql[i]);
      if (sql[i++] == close) return;
    }
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      copy_until(c);  // a doubled quote inside closes and reopens: the same text either way
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      copy_until('\n');
    } else if (c == '?') {
      out += "$" + std::to_string(next++);
      ++i;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

std::string TimestampToRfc3339(std::string_view text) {
  // "YYYY-MM-DD HH:MM:SS[.ffffff]+00": the session's TimeZone is UTC.
  std::string out(text.substr(0, text.find_first_of("+-", 19)));
  if (out.size() > 10 && out[10] == ' ') out[10] = 'T';
  out.push_back('Z');
  return out;
}

Result<std::unique_ptr<PostgresDatabase>> PostgresDatabase::Open(const std::string& url) {
  std::unique_ptr<PostgresDatabase> database(new PostgresDatabase(url));
  ASSIGN_OR_RETURN(auto first, database->Connect());
  database->Release(std::move(first));
  return database;
}

PostgresDatabase::~PostgresDatabase() = default;

Result<std::unique_ptr<Connection>> PostgresDatabase::Connect() {
  ASSIGN_OR_RETURN(PGconn * handle, ConnectHandle(url_));
  return std::unique_ptr<Connection>(std::make_unique<PostgresConnection>(handle));
}

Result<std::unique_ptr<Listener>> PostgresDatabase::Listen(std::string_view channel) {
  auto listener = std::make_unique<PostgresListener>(url_, std::string(channel));
  if (!listener->Connected()) {
    return Unavailable("database_unavailable", "cannot LISTEN on " + std::string(channel));
  }
  return std::unique_ptr<Listener>(std::move(listener));
}

Result<bool> PostgresDatabase::TryLead(std::string_view role) {
  MutexLock lock(leadership_mutex_);
  auto held = leading_.find(role);
  if (held != leading_.end()) {
    if (held->second->QueryInt("SELECT 1").ok()) return true;
    leading_.erase(held);  // the session, and its lock, are gone: compete again
  }
  ASSIGN_OR_RETURN(auto connection, Connect());
  ASSIGN_OR_RETURN(int64_t won,
                   connection->QueryInt("SELECT CASE WHEN pg_try_advisory_lock(hashtextextended(?, "
                                        "0)) THEN 1 ELSE 0 END",
                                        {"leader\x1f" + std::string(role)}));
  if (won == 0) return false;
  leading_.emplace(std::string(role), std::move(connection));
  return true;
}

Result<PooledConnection> PostgresDatabase::Acquire() {
  if (auto idle = idle_.Take()) return PooledConnection(this, std::move(idle));
  ASSIGN_OR_RETURN(auto connection, Connect());
  return PooledConnection(this, std::move(connection));
}

void PostgresDatabase::Release(std::unique_ptr<Connection> connection) {
  connection->Rollback();
  if (!static_cast<PostgresConnection&>(*connection).healthy()) return;  // reconnect next time
  idle_.Put(std::move(connection));
}

Status PostgresDatabase::BackupTo(const std::string&) {
  return Status(ErrorCode::kFailedPrecondition, "database_url",
                "a PostgreSQL database is backed up with pg_basebackup and WAL archiving "
                "(docs/operations.md)");
}

}  // namespace parkhub::db
