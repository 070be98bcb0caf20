// Status and Result<T>: how every domain and storage function reports failure.
//
// A Status carries a stable error code (mapped once to an HTTP status by api/), a stable
// machine-readable `reason` slug, a human message, per-field errors and optional extension
// members (e.g. the allowed next states of a workflow). Result<T> holds either a value or a
// non-OK Status. Both are plain values: copyable, not thread-safe to mutate concurrently.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace parkhub {

enum class ErrorCode {
  kOk,
  kInvalidArgument,    // 400 malformed request / 422 semantically invalid fields
  kUnprocessable,      // 422
  kUnauthenticated,    // 401
  kPermissionDenied,   // 403
  kNotFound,           // 404
  kConflict,           // 409
  kPayloadTooLarge,    // 413
  kUnsupportedMedia,   // 415
  kTooManyRequests,    // 429
  kFailedPrecondition, // 412/409 depending on context
  kUnavailable,        // 503
  kInternal,           // 500
};

// One field's error: a stable `code` with its `params`, which a client words in its reader's
// language, beside `reason`, the same in English for logs and the command line. Every error
// names its code (there is no default). The codes, with their params:
//   required; unknown_field; unchangeable; duplicate {id|column}; invalid_utf8;
//   control_characters; wrong_type {expected}; bad_format {format: date, date_time, month,
//   email, url, time_zone, username, currency, name, whole_minutes, divides_a_day};
//   not_one_of {allowed}; out_of_range {min, max}; too_short {min | min_minutes};
//   too_long {max | max_bytes | max_minutes}; too_many {max}; too_few {min}; too_large {max_mib};
//   not_after {other}; in_the_past; too_soon {lead_minutes}; beyond_horizon {horizon_days};
//   off_grid {step_minutes, time_zone}; in_blackout; unknown_reference {kind[, id]};
//   would_make_a_cycle; not_a_park; not_a_member {id}; not_administered; not_affiliated;
//   own_listing; not_allowed_for_kind; not_allowed_for_role; same_as_username;
//   common_password; unsupported_rrule; unknown_column {column}; missing_column {column};
//   bad_csv; not_allowed (set by the system, not the client); unknown_deal;
//   contradicts_deal {expected}.
struct FieldError {
  std::string field;
  std::string reason;
  std::string code;
  nlohmann::json params = nlohmann::json::object();
};

class Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string reason, std::string message)
      : code_(code), reason_(std::move(reason)), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string message) {
    return {ErrorCode::kInvalidArgument, "invalid_argument", std::move(message)};
  }
  // A request whose syntax is fine but whose fields break the rules: 422 with field errors.
  static Status Invalid(std::string field, std::string reason, std::string code,
                        nlohmann::json params = nlohmann::json::object()) {
    Status s(ErrorCode::kUnprocessable, "validation_failed", "some fields are invalid");
    s.AddFieldError(std::move(field), std::move(reason), std::move(code), std::move(params));
    return s;
  }
  static Status NotFound(std::string what) {
    return {ErrorCode::kNotFound, "not_found", std::move(what) + " not found"};
  }
  static Status Conflict(std::string reason, std::string message) {
    return {ErrorCode::kConflict, std::move(reason), std::move(message)};
  }
  static Status PermissionDenied(std::string message = "you may not do this") {
    return {ErrorCode::kPermissionDenied, "permission_denied", std::move(message)};
  }
  static Status Unauthenticated(std::string message = "log in first") {
    return {ErrorCode::kUnauthenticated, "unauthenticated", std::move(message)};
  }
  static Status Internal(std::string message) {
    return {ErrorCode::kInternal, "internal", std::move(message)};
  }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& reason() const { return reason_; }
  const std::string& message() const { return message_; }
  const std::vector<FieldError>& field_errors() const { return field_errors_; }
  const nlohmann::json& extensions() const { return extensions_; }

  Status& AddFieldError(std::string field, std::string reason, std::string code,
                        nlohmann::json params = nlohmann::json::object()) {
    field_errors_.push_back({std::move(field), std::move(reason), std::move(code), std::move(params)});
    return *this;
  }
  Status& SetExtension(const std::string& key, nlohmann::json value) {
    extensions_[key] = std::move(value);
    return *this;
  }
  std::string ToString() const { return reason_ + ": " + message_; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string reason_;
  std::string message_;
  std::vector<FieldError> field_errors_;
  nlohmann::json extensions_ = nlohmann::json::object();
};

// Collects field errors while validating; ToStatus() is OK when none were added.
class FieldErrors {
 public:
  void Add(std::string field, std::string reason, std::string code,
           nlohmann::json params = nlohmann::json::object()) {
    errors_.push_back({std::move(field), std::move(reason), std::move(code), std::move(params)});
  }
  // Another error as it is, under this field.
  void Add(std::string field, const FieldError& error) {
    Add(std::move(field), error.reason, error.code, error.params);
  }
  bool empty() const { return errors_.empty(); }
  size_t size() const { return errors_.size(); }
  const std::vector<FieldError>& errors() const { return errors_; }
  Status ToStatus() const {
    if (errors_.empty()) return Status::Ok();
    Status s(ErrorCode::kUnprocessable, "validation_failed", "some fields are invalid");
    for (const auto& e : errors_) s.AddFieldError(e.field, e.reason, e.code, e.params);
    return s;
  }

 private:
  std::vector<FieldError> errors_;
};

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace parkhub

#define PARKHUB_CONCAT_INNER(a, b) a##b
#define PARKHUB_CONCAT(a, b) PARKHUB_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when `expr` is not OK.
#define RETURN_IF_ERROR(expr)                 \
  do {                                        \
    ::parkhub::Status _st = (expr);           \
    if (!_st.ok()) return _st;                \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, MakeX());` binds the value or returns the failure.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(PARKHUB_CONCAT(_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
