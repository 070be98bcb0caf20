#include "app/copy_data.h"

#include <algorithm>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "app/application.h"
#include "core/strings.h"
#include "db/migrator.h"

namespace parkhub::app {
namespace {

// The target's own bookkeeping, never copied: schema versions, cache counters, and how far each
// consumer has read the outbox (positions are the engine's own, db/domain_events.h).
const std::set<std::string> kNotCopied = {"schema_migrations", "change_counters",
                                          "domain_event_cursors"};
// Columns the target fills itself: an event's position is the target's transaction.
const std::set<std::string> kEngineColumns = {"domain_events.txid"};
// Rows a batch reads and writes, within both engines' limits on bound parameters.
constexpr size_t kMaxParamsPerBatch = 30'000;
constexpr size_t kMaxRowsPerBatch = 1'000;

// The database's tables, in the order they were created (references before referrers).
Result<std::vector<std::string>> TablesInCreationOrder(db::Connection& c) {
  std::string sql =
      c.Dialect() == "postgres"
          ? "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY c.oid"
          : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY rowid";
  ASSIGN_OR_RETURN(auto rows, c.Query(sql));
  std::vector<std::string> tables;
  for (const db::Row& row : rows) {
    if (!kNotCopied.contains(row.Text(0))) tables.push_back(row.Text(0));
  }
  return tables;
}

Result<std::vector<std::string>> ColumnsOf(db::Connection& c, const std::string& table) {
  std::string sql = c.Dialect() == "postgres"
                        ? "SELECT column_name FROM information_schema.columns WHERE table_schema "
                          "= current_schema() AND table_name = ? ORDER BY ordinal_position"
                        : "SELECT name FROM pragma_table_info(?) ORDER BY cid";
  ASSIGN_OR_RETURN(auto rows, c.Query(sql, {table}));
  std::vector<std::string> columns;
  for (const db::Row& row : rows) {
    if (!kEngineColumns.contains(table + "." + row.Text(0))) columns.push_back(row.Text(0));
  }
  return columns;
}

// "table.column" of the columns holding JSON, which PostgreSQL stores normalised (jsonb): their
// checksums compare values, not spellings.
Result<std::set<std::string>> JsonColumns(db::Connection& c) {
  std::set<std::string> columns;
  if (c.Dialect() != "postgres") return columns;
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT table_name, column_name FROM "
                                      "information_schema.columns WHERE table_schema = "
                                      "current_schema() AND data_type IN ('json', 'jsonb')"));
  for (const db::Row& row : rows) columns.insert(row.Text(0) + "." + row.Text(1));
  return columns;
}

uint64_t Fnv1a(std::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

// Sums a hash of each row's canonical text: the same rows give the same sum in any order.
class TableChecksum {
 public:
  explicit TableChecksum(std::vector<bool> json) : json_(std::move(json)) {}
  void Add(const db::Row& row) {
    std::string text;
    for (size_t i = 0; i < row.size(); ++i) {
      text += '\x1f';
      if (row.IsNull(i)) {
        text += "\\N";
      } else if (json_[i]) {
        text += nlohmann::json::parse(row.Text(i), nullptr, false).dump();
      } else {
        text += row.Text(i);
      }
    }
    sum_ += Fnv1a(text);
    ++rows_;
  }
  uint64_t sum() const { return sum_; }
  int64_t rows() const { return rows_; }

 private:
  std::vector<bool> json_;
  uint64_t sum_ = 0;
  int64_t rows_ = 0;
};

// Reads a table in batches: after the last key for tables keyed by their first column (id, seq),
// whole otherwise (the link tables, whose rows are small).
class TableReader {
 public:
  TableReader(db::Connection& c, std::string table, const std::vector<std::string>& columns,
              size_t batch)
      : c_(c),
        table_(std::move(table)),
        batch_(batch),
        list_(JoinWith(columns, ',')),
        key_(columns.front() == "id" || columns.front() == "seq" ? columns.front() : "") {}
  // The next rows; empty at the end.
  Result<std::vector<db::Row>> Next() {
    if (done_) return std::vector<db::Row>();
    std::string sql = "SELECT " + list_ + " FROM " + table_;
    db::Params params;
    bool keyed = !key_.empty();
    if (keyed) {
      sql += " WHERE " + key_ + " > ? ORDER BY " + key_ + " LIMIT ?";
      params = {after_, static_cast<int64_t>(batch_)};
    }
    ASSIGN_OR_RETURN(auto rows, c_.Query(sql, params));
    done_ = !keyed || rows.size() < batch_;
    if (keyed && !rows.empty()) after_ = rows.back().Int(0);
    return rows;
  }

 private:
  db::Connection& c_;
  const std::string table_;
  const size_t batch_;
  const std::string list_;
  const std::string key_;  // the first column when it is the table's integer key, else empty
  bool done_ = false;
  int64_t after_ = std::numeric_limits<int64_t>::min();
};

Status InsertBatch(db::Connection& c, const std::string& table,
                   const std::vector<std::string>& columns, const std::vector<db::Row>& rows) {
  std::string one_row = "(" + JoinWith(std::vector<std::string>(columns.size(), "?"), ',') + ")";
  std::string sql = "INSERT INTO " + table + " (" + JoinWith(columns, ',') + ") VALUES ";
  db::Params params;
  params.reserve(rows.size() * columns.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    sql += (r == 0 ? "" : ", ") + one_row;
    for (size_t i = 0; i < columns.size(); ++i) params.push_back(rows[r].Raw(i));
  }
  return c.Execute(sql, params).status();
}

// Moves the target's generated keys past the copied ones (PostgreSQL's identity sequences;
// SQLite takes the next rowid from the table itself).
Status AdvanceSequences(db::Connection& c, const std::string& table) {
  if (c.Dialect() != "postgres") return Status::Ok();
  ASSIGN_OR_RETURN(auto identities,
                   c.Query("SELECT column_name FROM information_schema.columns WHERE "
                           "table_schema = current_schema() AND table_name = ? AND "
                           "is_identity = 'YES'",
                           {table}));
  for (const db::Row& identity : identities) {
    std::string column = identity.Text(0);
    RETURN_IF_ERROR(c.Query("SELECT setval(pg_get_serial_sequence(?, ?), MAX(" + column +
                                ")) FROM " + table + " HAVING MAX(" + column + ") IS NOT NULL",
                            {table, column})
                        .status());
  }
  return Status::Ok();
}

Status Refuse(const std::string& code, const std::string& message) {
  return Status(ErrorCode::kFailedPrecondition, code, message);
}

// The target at the source's schema version, holding no data in any table to copy.
Status PrepareTarget(db::Database& from, db::Database& to, const std::vector<std::string>& tables) {
  db::Migrator source(from, SchemaMigrations(from.Dialect()));
  RETURN_IF_ERROR(source.CheckUpToDate());
  db::Migrator target(to, SchemaMigrations(to.Dialect()));
  if (target.LatestVersion() != source.LatestVersion()) {
    return Refuse("schema_mismatch",
                  "this binary knows different schema versions for the two "
                  "engines");
  }
  RETURN_IF_ERROR(target.Migrate().status());
  ASSIGN_OR_RETURN(auto c, to.Acquire());
  for (const std::string& table : tables) {
    ASSIGN_OR_RETURN(int64_t rows, c->QueryInt("SELECT COUNT(*) FROM " + table));
    if (rows > 0) {
      return Refuse("target_not_empty", "the target already holds data (" + table + " has " +
                                            std::to_string(rows) +
                                            " rows); copy into an empty "
                                            "database");
    }
  }
  return Status::Ok();
}

// Copies one table inside the target transaction `out`, adding what it read to `checksum`.
Status CopyTable(db::Connection& in, db::Connection& out, const std::string& table,
                 const std::vector<std::string>& columns, TableChecksum& checksum,
                 const std::function<void(int64_t)>& copied) {
  // Rows a target trigger derived from rows copied before (resource_block_extents) are replaced
  // by the source's own.
  RETURN_IF_ERROR(out.Execute("DELETE FROM " + table).status());
  size_t batch = std::min(kMaxRowsPerBatch, kMaxParamsPerBatch / columns.size());
  TableReader reader(in, table, columns, batch);
  while (true) {
    ASSIGN_OR_RETURN(auto rows, reader.Next());
    if (rows.empty()) break;
    for (const db::Row& row : rows) checksum.Add(row);
    for (size_t at = 0; at < rows.size(); at += batch) {
      std::vector<db::Row> part(rows.begin() + at,
                                rows.begin() + std::min(rows.size(), at + batch));
      if (Status s = InsertBatch(out, table, columns, part); !s.ok()) {
        return Status(s.code(), s.reason(),
                      table + " (rows with " + columns.front() + " " + part.front().Text(0) +
                          " to " + part.back().Text(0) + "): " + s.message());
      }
    }
    copied(static_cast<int64_t>(rows.size()));
  }
  return AdvanceSequences(out, table);
}

Result<TableChecksum> ChecksumOf(db::Connection& c, const std::string& table,
                                 const std::vector<std::string>& columns,
                                 const std::vector<bool>& json) {
  TableChecksum checksum(json);
  TableReader reader(c, table, columns, kMaxRowsPerBatch);
  while (true) {
    ASSIGN_OR_RETURN(auto rows, reader.Next());
    if (rows.empty()) break;
    for (const db::Row& row : rows) checksum.Add(row);
  }
  return checksum;
}

}  // namespace

Result<std::vector<TableCopy>> CopyData(db::Database& from, db::Database& to,
                                        const CopyProgress& progress) {
  ASSIGN_OR_RETURN(auto in, from.Acquire());
  ASSIGN_OR_RETURN(auto snapshot, db::Transaction::Begin(*in, db::TxMode::kRead));
  ASSIGN_OR_RETURN(auto tables, TablesInCreationOrder(*in));
  RETURN_IF_ERROR(PrepareTarget(from, to, tables));
  ASSIGN_OR_RETURN(auto out, to.Acquire());
  std::set<std::string> json;
  for (db::Connection* side : {&*in, &*out}) {
    ASSIGN_OR_RETURN(auto columns, JsonColumns(*side));
    json.insert(columns.begin(), columns.end());
  }
  int64_t total = 0, done = 0;
  for (const std::string& table : tables) {
    ASSIGN_OR_RETURN(int64_t rows, in->QueryInt("SELECT COUNT(*) FROM " + table));
    total += rows;
  }
  std::vector<TableCopy> copies;
  for (const std::string& table : tables) {
    ASSIGN_OR_RETURN(auto columns, ColumnsOf(*in, table));
    std::vector<bool> is_json;
    for (const auto& column : columns) is_json.push_back(json.contains(table + "." + column));
    TableChecksum source(is_json);
    ASSIGN_OR_RETURN(auto tx, db::Transaction::Begin(*out, db::TxMode::kWrite));
    RETURN_IF_ERROR(CopyTable(*in, *out, table, columns, source, [&](int64_t rows) {
      done += rows;
      if (progress) progress(done, total);
    }));
    RETURN_IF_ERROR(tx.Commit());
    ASSIGN_OR_RETURN(auto target, ChecksumOf(*out, table, columns, is_json));
    if (target.rows() != source.rows() || target.sum() != source.sum()) {
      return Status::Internal(table + ": the copy differs from the source (" +
                              std::to_string(source.rows()) + " rows read, " +
                              std::to_string(target.rows()) + " found)");
    }
    copies.push_back({table, source.rows(), source.sum()});
  }
  if (progress && total == 0) progress(0, 0);
  return copies;
}

}  // namespace parkhub::app
