#include "api/handler_util.h"

#include <charconv>

#include "core/csv.h"

namespace parkhub::api {

Status CheckQueryParams(const http::HttpRequest& request, const std::set<std::string>& known) {
  for (const auto& [name, value] : request.query) {
    if (!known.count(name)) {
      return Status(ErrorCode::kInvalidArgument, "unknown_parameter",
                    "unknown query parameter: " + name)
          .AddFieldError(name, "unknown query parameter", "unknown_field");
    }
    if (!IsValidUtf8(value)) {
      return Status(ErrorCode::kInvalidArgument, "invalid_utf8", "query parameter is not UTF-8")
          .AddFieldError(name, "must be valid UTF-8", "invalid_utf8");
    }
  }
  return Status::Ok();
}

Result<int> IntQuery(const http::HttpRequest& request, const std::string& name, int fallback) {
  auto it = request.query.find(name);
  if (it == request.query.end()) return fallback;
  int value = 0;
  const std::string& text = it->second;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) return Status::Invalid(name, "out of range", "out_of_range");
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return Status(ErrorCode::kInvalidArgument, "bad_parameter", name + " must be an integer")
        .AddFieldError(name, "must be an integer", "wrong_type", {{"expected", "integer"}});
  }
  return value;
}

Result<bool> BoolQuery(const http::HttpRequest& request, const std::string& name, bool fallback) {
  auto it = request.query.find(name);
  if (it == request.query.end() || it->second.empty()) return fallback;
  if (it->second == "true" || it->second == "1") return true;
  if (it->second == "false" || it->second == "0") return false;
  return Status(ErrorCode::kInvalidArgument, "bad_parameter", name + " must be true or false")
      .AddFieldError(name, "must be true or false", "wrong_type", {{"expected", "boolean"}});
}

std::string StringQuery(const http::HttpRequest& request, const std::string& name) {
  auto it = request.query.find(name);
  return it == request.query.end() ? std::string() : it->second;
}

}  // namespace parkhub::api
