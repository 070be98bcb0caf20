// Alliances, their members and framework agreements.
#include "api/api.h"
#include "api/handler_util.h"

namespace parkhub::api {

void AddAllianceRoutes(RouteTable& routes, registry::RegistryService& registry) {
  routes.push_back({"GET", "/api/v1/alliances", Access::kPublic, BodyKind::kNone,
                    [&registry](RequestContext&) {
                      return Respond(registry.ListAlliances(), 200,
                                     [](const std::vector<registry::Alliance>& alliances) {
                                       json items = json::array();
                                       for (const auto& a : alliances) items.push_back(ToJson(a));
                                       return json{{"items", items}, {"total", items.size()}};
                                     });
                    }});
  routes.push_back({"GET", "/api/v1/alliances/{id}", Access::kPublic, BodyKind::kNone,
                    [&registry](RequestContext& c) {
                      return Respond(registry.GetAlliance(c.request.Param("id")));
                    }});
  routes.push_back({"POST", "/api/v1/alliances/{id}/members", Access::kSignedIn, BodyKind::kJson,
                    [&registry](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      BodyReader reader(*body, {"organization_id", "joined_on"});
                      auto org = reader.String("organization_id", true);
                      auto joined = reader.String("joined_on").value_or("");
                      if (Status s = reader.Finish(); !s.ok()) return Problem(s);
                      return Respond(registry.AddAllianceMember(
                                         c.principal, c.request.Param("id"), *org, joined),
                                     201);
                    }});
  routes.push_back({"POST", "/api/v1/alliances/{id}/agreements", Access::kSignedIn,
                    BodyKind::kJson, [&registry](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      BodyReader reader(*body,
                                        {"title", "signed_on", "signatory_ids", "scope_items"});
                      registry::Agreement agreement;
                      agreement.title = reader.String("title", true).value_or("");
                      agreement.signed_on = reader.String("signed_on", true).value_or("");
                      agreement.signatory_ids =
                          reader.StringList("signatory_ids", true).value_or(std::vector<std::string>{});
                      agreement.scope_items =
                          reader.StringList("scope_items", true).value_or(std::vector<std::string>{});
                      if (Status s = reader.Finish(); !s.ok()) return Problem(s);
                      return Respond(registry.AddAgreement(c.principal, c.request.Param("id"),
                                                                agreement),
                                     201);
                    }});
}

}  // namespace parkhub::api
