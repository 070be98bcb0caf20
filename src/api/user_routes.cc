// User administration: platform admins create users and grant scoped roles.
#include "api/api.h"
#include "api/handler_util.h"

namespace parkhub::api {

void AddUserRoutes(RouteTable& routes, identity::IdentityService& identity) {
  routes.push_back({"GET", "/api/v1/users", Access::kPlatformAdmin, BodyKind::kNone,
                    [&identity](RequestContext&) {
                      return Respond(identity.ListUsers(), 200,
                                     [](const std::vector<identity::UserSummary>& users) {
                                       json items = json::array();
                                       for (const auto& u : users) items.push_back(ToJson(u));
                                       return json{{"items", items}, {"total", items.size()}};
                                     });
                    }});
  routes.push_back({"POST", "/api/v1/users", Access::kPlatformAdmin, BodyKind::kJson,
                    [&identity](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      BodyReader reader(*body, {"username", "display_name", "password"});
                      identity::NewUser user{reader.String("username", true).value_or(""),
                                             reader.String("display_name").value_or(""),
                                             reader.String("password", true).value_or("")};
                      if (Status s = reader.Finish(); !s.ok()) return Problem(s);
                      return Respond(identity.CreateUser(user), 201);
                    }});
  routes.push_back(
      {"POST", "/api/v1/users/{id}/roles", Access::kPlatformAdmin, BodyKind::kJson,
       [&identity](RequestContext& c) {
         auto body = ParseJsonObject(c.request);
         if (!body.ok()) return Problem(body.status());
         BodyReader reader(*body, {"role", "scope"});
         auto role_name = reader.String("role", true);
         auto scope = reader.String("scope").value_or("");
         if (Status s = reader.Finish(); !s.ok()) return Problem(s);
         auto role = identity::ParseRole(*role_name);
         if (!role) return Problem(Status::Invalid("role", "unknown role", "not_one_of"));
         auto user = identity.GetUser(c.request.Param("id"));
         if (!user.ok()) return Problem(user.status());
         if (Status s = identity.GrantRole(user->username, *role, scope); !s.ok()) {
           return Problem(s);
         }
         return Respond(identity.GetUser(c.request.Param("id")));
       }});
  routes.push_back(
      {"DELETE", "/api/v1/users/{id}/roles/{role}", Access::kPlatformAdmin, BodyKind::kNone,
       [&identity](RequestContext& c) {
         if (Status s = CheckQueryParams(c.request, {"scope"}); !s.ok()) return Problem(s);
         auto role = identity::ParseRole(c.request.Param("role"));
         if (!role) return Problem(Status::NotFound("role"));
         auto user = identity.GetUser(c.request.Param("id"));
         if (!user.ok()) return Problem(user.status());
         Status s = identity.RevokeRole(user->username, *role, StringQuery(c.request, "scope"));
         if (!s.ok()) return Problem(s);
         return Respond(identity.GetUser(c.request.Param("id")));
       }});
}

}  // namespace parkhub::api
