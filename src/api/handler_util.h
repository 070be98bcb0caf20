// Helpers shared by the handler files: reading query parameters strictly and turning service
// results into responses.
#pragma once

#include <set>
#include <string>

#include "api/json_codec.h"
#include "api/problem.h"
#include "core/json_writer.h"
#include "http/message.h"

namespace parkhub::api {

// 400 naming the first query parameter the endpoint does not know.
Status CheckQueryParams(const http::HttpRequest& request, const std::set<std::string>& known);
// The integer query parameter `name`, `fallback` when absent, a field error when malformed
// (400) or too large for an int (422).
Result<int> IntQuery(const http::HttpRequest& request, const std::string& name, int fallback);
// The boolean query parameter `name` ("true"/"1" or "false"/"0"), `fallback` when absent or
// empty, a field error (400) otherwise.
Result<bool> BoolQuery(const http::HttpRequest& request, const std::string& name, bool fallback);
std::string StringQuery(const http::HttpRequest& request, const std::string& name);
// The paging parameters `limit` (`default_limit` when absent) and `offset` (0) into `query`'s
// fields of those names; the service checks their range.
template <typename Query>
Status ReadPaging(const http::HttpRequest& request, int default_limit, Query& query) {
  ASSIGN_OR_RETURN(query.limit, IntQuery(request, "limit", default_limit));
  ASSIGN_OR_RETURN(query.offset, IntQuery(request, "offset", 0));
  return Status::Ok();
}

template <typename T, typename Fn>
http::HttpResponse Respond(const Result<T>& result, int status, Fn to_json) {
  if (!result.ok()) return Problem(result.status());
  return http::HttpResponse::Json(status, to_json(result.value()));
}

// As Respond, with the body written by `write(JsonWriter&, const T&)` instead of built as a tree.
template <typename T, typename Fn>
http::HttpResponse RespondWritten(const Result<T>& result, int status, Fn write) {
  if (!result.ok()) return Problem(result.status());
  JsonWriter writer;
  write(writer, result.value());
  return http::HttpResponse::JsonText(status, writer.Take());
}

template <typename T>
http::HttpResponse Respond(const Result<T>& result, int status = 200) {
  return Respond(result, status, [](const T& value) { return ToJson(value); });
}

}  // namespace parkhub::api
