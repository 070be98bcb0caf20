// Login, logout, the current user, and personal API tokens.
#include "api/api.h"
#include "api/handler_util.h"

namespace parkhub::api {
namespace {

std::string SessionCookie(const std::string& value, int64_t max_age, bool secure) {
  std::string cookie = "parkhub_session=" + value + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                       std::to_string(max_age);
  if (secure) cookie += "; Secure";
  return cookie;
}

}  // namespace

void AddAuthRoutes(RouteTable& routes, identity::IdentityService& identity,
                   SessionCookies cookies) {
  routes.push_back(
      {"POST", "/api/v1/auth/login", Access::kPublic, BodyKind::kJson, [&identity, cookies](RequestContext& c) {
         auto body = ParseJsonObject(c.request);
         if (!body.ok()) return Problem(body.status());
         BodyReader reader(*body, {"username", "password"});
         auto username = reader.String("username", true);
         auto password = reader.String("password", true);
         if (Status s = reader.Finish(); !s.ok()) return Problem(s);
         auto login = identity.Login(*username, *password, c.request.remote_address);
         if (!login.ok()) return Problem(login.status());
         auto response = http::HttpResponse::Json(
             200, {{"user", ToJson(login->principal)}, {"csrf_token", login->csrf_token}});
         int64_t max_age = std::chrono::duration_cast<std::chrono::seconds>(cookies.ttl).count();
         response.SetHeader("Set-Cookie",
                            SessionCookie(login->session_token, max_age, cookies.secure));
         return response;
       }});
  routes.push_back({"POST", "/api/v1/auth/logout", Access::kSignedIn, BodyKind::kNone,
                    [&identity, cookies](RequestContext& c) {
                      if (auto cookie = c.request.Cookie("parkhub_session")) {
                        if (Status s = identity.Logout(*cookie); !s.ok()) return Problem(s);
                      }
                      http::HttpResponse response;
                      response.status = 204;
                      response.SetHeader("Set-Cookie", SessionCookie("", 0, cookies.secure));
                      return response;
                    }});
  routes.push_back({"GET", "/api/v1/auth/me", Access::kSignedIn, BodyKind::kNone,
                    [](RequestContext& c) {
                      json body = {{"user", ToJson(c.principal)}};
                      if (!c.principal.csrf_token.empty()) body["csrf_token"] = c.principal.csrf_token;
                      return http::HttpResponse::Json(200, body);
                    }});
  routes.push_back({"GET", "/api/v1/auth/tokens", Access::kSignedIn, BodyKind::kNone,
                    [&identity](RequestContext& c) {
                      return Respond(identity.ListApiTokens(c.principal), 200,
                                     [](const std::vector<identity::ApiTokenInfo>& tokens) {
                                       json items = json::array();
                                       for (const auto& t : tokens) {
                                         items.push_back({{"id", t.public_id},
                                                          {"name", t.name},
                                                          {"created_at", t.created_at}});
                                       }
                                       return json{{"items", items}, {"total", items.size()}};
                                     });
                    }});
  routes.push_back({"POST", "/api/v1/auth/tokens", Access::kSignedIn, BodyKind::kJson,
                    [&identity](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      BodyReader reader(*body, {"name"});
                      auto name = reader.String("name", true);
                      if (Status s = reader.Finish(); !s.ok()) return Problem(s);
                      return Respond(identity.IssueApiToken(c.principal, *name), 201,
                                     [](const identity::ApiTokenInfo& t) {
                                       return json{{"id", t.public_id},
                                                   {"name", t.name},
                                                   {"created_at", t.created_at},
                                                   {"token", t.token}};
                                     });
                    }});
  routes.push_back({"DELETE", "/api/v1/auth/tokens/{id}", Access::kSignedIn, BodyKind::kNone,
                    [&identity](RequestContext& c) {
                      Status s = identity.RevokeApiToken(c.principal, c.request.Param("id"));
                      if (!s.ok()) return Problem(s);
                      http::HttpResponse response;
                      response.status = 204;
                      return response;
                    }});
}

}  // namespace parkhub::api
