// Memberships and their settle-in workflow.
#include "api/api.h"
#include "api/handler_util.h"

namespace parkhub::api {

void AddMembershipRoutes(RouteTable& routes, registry::RegistryService& registry) {
  routes.push_back({"GET", "/api/v1/memberships", Access::kSignedIn, BodyKind::kNone,
                    [&registry](RequestContext& c) {
                      if (Status s = CheckQueryParams(
                              c.request, {"park", "organization", "state", "q", "limit", "offset"});
                          !s.ok()) {
                        return Problem(s);
                      }
                      auto limit = IntQuery(c.request, "limit", 50);
                      auto offset = IntQuery(c.request, "offset", 0);
                      if (!limit.ok()) return Problem(limit.status());
                      if (!offset.ok()) return Problem(offset.status());
                      registry::MembershipQuery query{StringQuery(c.request, "park"),
                                                      StringQuery(c.request, "organization"),
                                                      StringQuery(c.request, "state"),
                                                      *limit,
                                                      *offset,
                                                      StringQuery(c.request, "q")};
                      auto page = registry.ListMemberships(c.principal, query);
                      if (!page.ok()) return Problem(page.status());
                      return http::HttpResponse::Json(200, PageToJson(*page));
                    }});
  routes.push_back({"POST", "/api/v1/memberships", Access::kSignedIn, BodyKind::kJson,
                    [&registry](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      BodyReader reader(*body, {"park_id", "organization_id", "note"});
                      auto park = reader.String("park_id", true);
                      auto org = reader.String("organization_id", true);
                      auto note = reader.String("note").value_or("");
                      if (Status s = reader.Finish(); !s.ok()) return Problem(s);
                      return Respond(
                          registry.ApplyForMembership(c.principal, *park, *org, note), 201);
                    }});
  routes.push_back({"GET", "/api/v1/memberships/{id}", Access::kSignedIn, BodyKind::kNone,
                    [&registry](RequestContext& c) {
                      return Respond(registry.GetMembership(c.principal, c.request.Param("id")));
                    }});
  routes.push_back({"POST", "/api/v1/memberships/{id}/transitions", Access::kSignedIn,
                    BodyKind::kJson, [&registry](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      BodyReader reader(*body, {"to", "note"});
                      auto to = reader.String("to", true);
                      auto note = reader.String("note").value_or("");
                      if (Status s = reader.Finish(); !s.ok()) return Problem(s);
                      return Respond(registry.TransitionMembership(
                          c.principal, c.request.Param("id"), *to, note));
                    }});
}

}  // namespace parkhub::api
