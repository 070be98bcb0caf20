#include "api/problem.h"

namespace parkhub::api {
namespace {

const char* TitleFor(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
  }
}

}  // namespace

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case ErrorCode::kOk: return 200;
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnprocessable: return 422;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kUnsupportedMedia: return 415;
    case ErrorCode::kTooManyRequests: return 429;
    case ErrorCode::kFailedPrecondition: return 409;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

http::HttpResponse BuildProblem(int code, const std::string& reason, const std::string& detail,
                                nlohmann::json body, const std::vector<FieldError>& errors) {
  body["type"] = "https://parkhub.dev/problems/" + reason;
  body["title"] = TitleFor(code);
  body["status"] = code;
  body["detail"] = detail;
  body["code"] = reason;
  if (!errors.empty()) {
    body["errors"] = nlohmann::json::array();
    for (const auto& e : errors) {
      body["errors"].push_back(
          {{"field", e.field}, {"code", e.code}, {"params", e.params}, {"reason", e.reason}});
    }
  }
  auto response = http::HttpResponse::Json(code, body);
  response.SetHeader("Content-Type", "application/problem+json");
  return response;
}

http::HttpResponse Problem(const Status& status) {
  int code = HttpStatusFor(status);
  // Internal details stay in the server log; the client learns only that it failed.
  std::string detail = code == 500 ? "internal error" : status.message();
  auto response = BuildProblem(code, status.reason(), detail, status.extensions(),
                               status.field_errors());
  if (code == 500) response.log_note = status.message();
  if (code == 429 && status.extensions().contains("retry_after")) {
    response.SetHeader("Retry-After",
                       std::to_string(status.extensions()["retry_after"].get<int64_t>()));
  }
  return response;
}

http::HttpResponse Problem(int http_status, const std::string& code, const std::string& detail) {
  return BuildProblem(http_status, code, detail, nlohmann::json::object(), {});
}

}  // namespace parkhub::api
