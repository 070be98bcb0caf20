#include "api/api.h"

#include <chrono>
#include <future>

#include "api/problem.h"
#include "core/random.h"

namespace parkhub::api {
namespace {

constexpr char kSessionCookie[] = "parkhub_session";

bool IsUnsafe(const std::string& method) {
  return method == "POST" || method == "PATCH" || method == "PUT" || method == "DELETE";
}

bool IsApiPath(const std::string& path) {
  return path.rfind("/api/", 0) == 0 || path == "/api" || path == "/healthz" ||
         path == "/readyz" || path == "/metrics";
}

std::string MediaType(const std::string& content_type) {
  std::string media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  std::transform(media.begin(), media.end(), media.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return media;
}

}  // namespace

Api::Api(PipelineOptions options, RouteTable routes)
    : options_(std::move(options)), routes_(std::move(routes)) {
  for (size_t i = 0; i < routes_.size(); ++i) router_.Add(routes_[i].method, routes_[i].pattern, i);
}

namespace {

// The browser may run and style only what this server sends as files: no inline script or
// style, no plug-ins, no framing, no other origin. Search hits carry server-made HTML
// (v-html), so this is what keeps an injected tag inert even if escaping ever failed.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'";

// On every response, including those the server refuses before routing.
void SetSecurityHeaders(http::HttpResponse& response) {
  response.SetHeader("Content-Security-Policy", kContentSecurityPolicy);
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Referrer-Policy", "same-origin");
}

}  // namespace

http::HttpResponse Api::LimitResponse(int status, const std::string& reason) {
  static const std::map<int, std::string> kCodes = {{400, "malformed_request"},
                                                    {413, "body_too_large"},
                                                    {431, "headers_too_large"},
                                                    {500, "internal"},
                                                    {501, "not_implemented"},
                                                    {503, "overloaded"}};
  auto it = kCodes.find(status);
  auto response = Problem(status, it == kCodes.end() ? "refused" : it->second, reason);
  if (status == 503) response.SetHeader("Retry-After", "1");
  SetSecurityHeaders(response);
  return response;
}

Result<identity::Principal> Api::Authenticate(const http::HttpRequest& request) {
  std::string authorization = request.Header("authorization");
  if (!authorization.empty()) {
    if (authorization.rfind("Bearer ", 0) != 0) {
      return Status::Unauthenticated("Authorization must be 'Bearer <token>'");
    }
    return options_.identity.AuthenticateApiToken(authorization.substr(7));
  }
  if (auto cookie = request.Cookie(kSessionCookie); cookie && !cookie->empty()) {
    auto principal = options_.identity.AuthenticateSession(*cookie);
    // An expired cookie makes the caller anonymous; routes that need a user then say 401.
    if (principal.ok() || principal.status().code() == ErrorCode::kUnauthenticated) {
      return principal.ok() ? principal : Result<identity::Principal>(identity::Principal{});
    }
    return principal;
  }
  return identity::Principal{};
}

struct Api::CallRecord {
  std::string request_id;  // names the request in the error log and to the client
  std::chrono::steady_clock::time_point started;
  std::string method;
  std::string path;
  std::string route;
  std::string remote_address;
  std::string user;
};

std::optional<http::HttpResponse> Api::Dispatch(http::HttpRequest& request, CallRecord& call,
                                                const http::Responder& reply) {
  if (request.path.find('\x01') != std::string::npos) {
    return Problem(400, "malformed_path", "the path is not valid percent-encoding");
  }
  if (!IsApiPath(request.path)) {
    if (options_.static_files != nullptr) {
      if (auto file = options_.static_files->Serve(request)) {
        request.route = "static";
        return *file;
      }
    }
    request.route = "unmatched";
    return Problem(404, "not_found", "no such page");
  }
  http::RouteMatch match = router_.Match(request);
  if (match.kind == http::RouteMatch::Kind::kNotFound) {
    request.route = "unmatched";
    return Problem(404, "no_route", "no such endpoint: " + request.path);
  }
  if (match.kind == http::RouteMatch::Kind::kMethodNotAllowed) {
    request.route = match.pattern;
    std::string allow;
    for (const auto& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
    auto response = Problem(405, "method_not_allowed", request.method + " is not allowed here");
    response.SetHeader("Allow", allow);
    return response;
  }
  const RouteSpec& route = routes_[match.id];
  if (request.query_malformed) {
    return Problem(400, "malformed_query", "the query string is not valid percent-encoding");
  }
  auto principal = Authenticate(request);
  if (!principal.ok()) return Problem(principal.status());
  call.user = principal->username;
  if (route.access != Access::kPublic && !principal->authenticated()) {
    return Problem(Status::Unauthenticated());
  }
  if (route.access == Access::kPlatformAdmin && !principal->IsPlatformAdmin()) {
    return Problem(Status::PermissionDenied("platform admins only"));
  }
  if (IsUnsafe(request.method) && principal->method == identity::AuthMethod::kSessionCookie &&
      !ConstantTimeEquals(request.Header("x-csrf-token"), principal->csrf_token)) {
    return Problem(Status(ErrorCode::kPermissionDenied, "csrf_failed",
                          "missing or wrong X-CSRF-Token header"));
  }
  if (route.body != BodyKind::kNone) {
    std::string media = MediaType(request.Header("content-type"));
    bool json_ok = route.body == BodyKind::kJson && media == "application/json";
    bool csv_ok = route.body == BodyKind::kCsv && (media == "text/csv" || media == "text/plain");
    bool toml_ok =
        route.body == BodyKind::kToml && (media == "application/toml" || media == "text/plain");
    if (!json_ok && !csv_ok && !toml_ok) {
      return Problem(415, "unsupported_media_type",
                     route.body == BodyKind::kJson  ? "send Content-Type: application/json"
                     : route.body == BodyKind::kCsv ? "send Content-Type: text/csv"
                                                    : "send Content-Type: application/toml");
    }
  }
  RequestContext context{request, std::move(principal).value()};
  if (route.async_handler) {
    call.route = request.route;  // the answer may come before Dispatch returns
    route.async_handler(context, reply);
    return std::nullopt;
  }
  return route.handler(context);
}

void Api::HandleAsync(http::HttpRequest& request, http::Responder reply) {
  auto call = std::make_shared<CallRecord>();
  call->request_id = RandomToken(8);
  call->started = std::chrono::steady_clock::now();
  call->method = request.method;
  call->path = request.path;
  call->remote_address = request.remote_address;
  auto finish = [this, call, reply](http::HttpResponse response) {
    reply(Finish(*call, std::move(response)));
  };
  std::optional<http::HttpResponse> answer;
  try {
    answer = Dispatch(request, *call, finish);
  } catch (const std::exception& error) {
    answer = Problem(Status::Internal(error.what()));
  }
  if (!answer) return;
  call->route = request.route.empty() ? "unmatched" : request.route;
  finish(std::move(*answer));
}

http::HttpResponse Api::Handle(http::HttpRequest& request) {
  std::promise<http::HttpResponse> answered;
  auto answer = answered.get_future();
  HandleAsync(request, [&answered](http::HttpResponse response) {
    answered.set_value(std::move(response));
  });
  return answer.get();
}

// The details go to the error log under the request id; the client gets the id alone, to quote.
void Api::LogServerError(const CallRecord& call, http::HttpResponse& response) {
  nlohmann::json line = {{"time", FormatUtc(options_.clock.Now())}, {"level", "error"},
                         {"request_id", call.request_id}, {"method", call.method},
                         {"path", call.path}, {"route", call.route},
                         {"status", response.status}, {"error", response.log_note}};
  options_.error_log(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object()) {
    body["request_id"] = call.request_id;
    response.body = body.dump();
  }
}

http::HttpResponse Api::Finish(const CallRecord& call, http::HttpResponse response) {
  SetSecurityHeaders(response);
  response.SetHeader("X-Request-Id", call.request_id);
  if (response.status >= 500) LogServerError(call, response);
  if (call.route != "static") {
    if (response.Header("Cache-Control").empty()) response.SetHeader("Cache-Control", "no-store");
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - call.started).count();
  options_.metrics.Record(call.route, call.method, response.status, seconds);
  if (options_.access_log != nullptr) {
    options_.access_log->Write({FormatUtc(options_.clock.Now()), call.method, call.path,
                             call.route, response.status, seconds * 1000.0,
                             response.body.size(), call.remote_address, call.user});
  }
  return response;
}

}  // namespace parkhub::api
