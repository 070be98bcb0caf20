// Cross-border governance (governance/governance_service.h): whitelist entries (add, revoke,
// list, "was it covered at T") and checking a flow against the policy in force.
#include "api/api.h"
#include "api/handler_util.h"

namespace parkhub::api {
namespace {

Result<governance::NewWhitelistEntry> ReadEntry(const json& body) {
  BodyReader reader(body, {"list", "subject", "kinds", "directions", "lines", "channels",
                           "valid_from", "valid_until", "authority", "document"});
  governance::NewWhitelistEntry entry;
  entry.list = reader.String("list", true).value_or("");
  entry.subject = reader.String("subject", true).value_or("");
  entry.kinds = reader.StringList("kinds").value_or(std::vector<std::string>{});
  entry.directions = reader.StringList("directions").value_or(std::vector<std::string>{});
  entry.lines = reader.StringList("lines").value_or(std::vector<std::string>{});
  entry.channels = reader.StringList("channels").value_or(std::vector<std::string>{});
  entry.valid_from = reader.String("valid_from", true).value_or("");
  entry.valid_until = reader.String("valid_until", true).value_or("");
  entry.authority = reader.String("authority", true).value_or("");
  entry.document = reader.String("document", true).value_or("");
  RETURN_IF_ERROR(reader.Finish());
  return entry;
}

}  // namespace

void AddGovernanceRoutes(RouteTable& routes, governance::GovernanceService& governance) {
  routes.push_back({"GET", "/api/v1/governance/whitelist", Access::kSignedIn, BodyKind::kNone,
                    [&governance](RequestContext& c) {
                      if (Status s =
                              CheckQueryParams(c.request, {"list", "subject", "limit", "offset"});
                          !s.ok()) {
                        return Problem(s);
                      }
                      governance::WhitelistQuery query;
                      query.list = StringQuery(c.request, "list");
                      query.subject = StringQuery(c.request, "subject");
                      if (Status s = ReadPaging(c.request, 50, query); !s.ok()) return Problem(s);
                      return Respond(governance.ListWhitelist(c.principal, query), 200,
                                     [](const db::Page<governance::StoredWhitelistEntry>& page) {
                                       return PageToJson(page, governance::WhitelistEntryJson);
                                     });
                    }});
  routes.push_back({"POST", "/api/v1/governance/whitelist", Access::kSignedIn, BodyKind::kJson,
                    [&governance](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      auto entry = ReadEntry(*body);
                      if (!entry.ok()) return Problem(entry.status());
                      return Respond(governance.AddWhitelistEntry(c.principal, *entry), 201,
                                     governance::WhitelistEntryJson);
                    }});
  routes.push_back(
      {"POST", "/api/v1/governance/whitelist/{id}/revoke", Access::kSignedIn, BodyKind::kJson,
       [&governance](RequestContext& c) {
         auto body = ParseJsonObject(c.request);
         if (!body.ok()) return Problem(body.status());
         BodyReader reader(*body, {"reason"});
         std::string reason = reader.String("reason", true).value_or("");
         if (Status s = reader.Finish(); !s.ok()) return Problem(s);
         return Respond(governance.RevokeWhitelistEntry(c.principal, c.request.Param("id"), reason),
                        200, governance::WhitelistEntryJson);
       }});
  routes.push_back(
      {"GET", "/api/v1/governance/whitelist/check", Access::kSignedIn, BodyKind::kNone,
       [&governance](RequestContext& c) {
         if (Status s = CheckQueryParams(
                 c.request, {"list", "subject", "kind", "direction", "line", "channel", "at"});
             !s.ok()) {
           return Problem(s);
         }
         auto q = [&c](const char* name) { return StringQuery(c.request, name); };
         return Respond(governance.WhitelistedAt(c.principal, q("list"), q("subject"), q("kind"),
                                                 q("direction"), q("line"), q("channel"), q("at")),
                        200, [](const governance::WhitelistAnswer& answer) {
                          return json{
                              {"covered", answer.covered},
                              {"entry", answer.entry ? governance::WhitelistEntryJson(*answer.entry)
                                                     : json(nullptr)}};
                        });
       }});
  routes.push_back({"POST", "/api/v1/governance/checks", Access::kSignedIn, BodyKind::kJson,
                    [&governance](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      return Respond(governance.CheckFlow(c.principal, *body), 200,
                                     [](const json& decision) { return decision; });
                    }});
}

}  // namespace parkhub::api
