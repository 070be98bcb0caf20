#include "db/database.h"

namespace parkhub::db {

int64_t Row::Int(size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::stoll(*p);
  return 0;
}

double Row::Double(size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  return 0.0;
}

std::string Row::Text(size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return std::to_string(*p);
  return "";
}

Status RowReader::Done() const {
  if (next_ == row_.size()) return Status::Ok();
  return Status::Internal("the query gave " + std::to_string(row_.size()) + " columns and " +
                          std::to_string(next_) + " were read");
}

Result<Row> Connection::QueryOne(std::string_view sql, const Params& params,
                                 const std::string& what) {
  auto rows = Query(sql, params);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status::NotFound(what);
  return std::move(rows->front());
}

Result<int64_t> Connection::QueryInt(std::string_view sql, const Params& params) {
  auto row = QueryOne(sql, params, "value");
  if (!row.ok()) return row.status();
  return row->Int(0);
}

PooledConnection::~PooledConnection() {
  if (owner_ != nullptr && connection_ != nullptr) owner_->Release(std::move(connection_));
}

Result<Transaction> Transaction::Begin(Connection& connection, TxMode mode) {
  RETURN_IF_ERROR(connection.Begin(mode));
  return Transaction(&connection);
}

Transaction::~Transaction() {
  if (connection_ != nullptr) connection_->Rollback();
}

Status Transaction::Commit() {
  Status status = connection_->Commit();
  if (status.ok()) connection_ = nullptr;
  return status;
}

}  // namespace parkhub::db
