// Cross-border governance (governance/governance_service.h, flow_requests.h): whitelist entries
// (add, revoke, list, "was it covered at T"), checking a flow against the policy in force, the
// policy's schema for request forms, policy versions (proposed, reviewed with their analysis and
// shadow run, approved into force), and flow requests from draft to use with their approvals.
#include "api/api.h"
#include "api/handler_util.h"
#include "governance/policy_analysis.h"

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

Result<governance::FlowRequestInput> ReadFlowRequest(const json& body, bool create) {
  std::set<std::string> known = {"title", "facts", "details"};
  if (create) known.insert({"organisation", "kind"});
  BodyReader reader(body, known);
  governance::FlowRequestInput input;
  if (create) {
    input.organisation = reader.String("organisation", true).value_or("");
    input.kind = reader.String("kind", true).value_or("");
  }
  input.title = reader.String("title", true).value_or("");
  input.facts = reader.Object("facts").value_or(json::object());
  input.details = reader.Object("details").value_or(json::object());
  RETURN_IF_ERROR(reader.Finish());
  return input;
}

// A request with its organisation named in every language.
json FlowRequestView(registry::RegistryService& registry, const governance::FlowRequest& request) {
  json view = governance::FlowRequestJson(request);
  auto organisation = registry.GetOrganization(request.organisation);
  view["organisation"] =
      NamedRef(request.organisation, organisation.ok() ? organisation->names : registry::Names{});
  return view;
}

// The policy in force as a form needs it: its fields with labels, allowed values and the kinds
// that require them, and each kind's descriptive fields.
json PolicySchema(const governance::PolicySet& policy) {
  static const char* kTypes[] = {"text", "number", "bool", "list", "time"};
  json fields = json::array();
  for (const governance::FieldSpec& field : policy.fields()) {
    fields.push_back({{"name", field.name},
                      {"type", kTypes[static_cast<int>(field.type)]},
                      {"values", field.values},
                      {"required_for", field.required_for},
                      {"label",
                       {{"zh_hans", field.label.zh_hans},
                        {"zh_hant", field.label.zh_hant},
                        {"en", field.label.en}}}});
  }
  json details = json::object();
  for (const std::string& kind : governance::FlowRequestService::Kinds()) {
    details[kind] = governance::FlowRequestService::DetailFields(kind);
  }
  return {
      {"name", policy.name()}, {"hash", policy.hash()}, {"fields", fields}, {"details", details}};
}

void AddFlowRequestRoutes(RouteTable& routes, governance::FlowRequestService& flows,
                          registry::RegistryService& registry) {
  auto view = [&registry](const governance::FlowRequest& request) {
    return FlowRequestView(registry, request);
  };
  routes.push_back(
      {"GET", "/api/v1/governance/requests", Access::kSignedIn, BodyKind::kNone,
       [&flows, view](RequestContext& c) {
         if (Status s = CheckQueryParams(c.request, {"state", "kind", "view", "limit", "offset"});
             !s.ok()) {
           return Problem(s);
         }
         governance::FlowRequestQuery query;
         query.state = StringQuery(c.request, "state");
         query.kind = StringQuery(c.request, "kind");
         query.view = StringQuery(c.request, "view");
         if (Status s = ReadPaging(c.request, 50, query); !s.ok()) return Problem(s);
         return Respond(flows.List(c.principal, query), 200,
                        [&view](const db::Page<governance::FlowRequest>& page) {
                          return PageToJson(page, view);
                        });
       }});
  routes.push_back({"POST", "/api/v1/governance/requests", Access::kSignedIn, BodyKind::kJson,
                    [&flows, view](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      auto input = ReadFlowRequest(*body, true);
                      if (!input.ok()) return Problem(input.status());
                      return Respond(flows.Create(c.principal, *input), 201, view);
                    }});
  routes.push_back({"GET", "/api/v1/governance/requests/{id}", Access::kSignedIn, BodyKind::kNone,
                    [&flows, view](RequestContext& c) {
                      return Respond(flows.Get(c.principal, c.request.Param("id")), 200, view);
                    }});
  routes.push_back({"PUT", "/api/v1/governance/requests/{id}", Access::kSignedIn, BodyKind::kJson,
                    [&flows, view](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      auto input = ReadFlowRequest(*body, false);
                      if (!input.ok()) return Problem(input.status());
                      return Respond(flows.Edit(c.principal, c.request.Param("id"), *input), 200,
                                     view);
                    }});
  routes.push_back({"POST", "/api/v1/governance/requests/{id}/submit", Access::kSignedIn,
                    BodyKind::kNone, [&flows, view](RequestContext& c) {
                      return Respond(flows.Submit(c.principal, c.request.Param("id")), 200, view);
                    }});
  routes.push_back({"POST", "/api/v1/governance/requests/{id}/withdraw", Access::kSignedIn,
                    BodyKind::kNone, [&flows, view](RequestContext& c) {
                      return Respond(flows.Withdraw(c.principal, c.request.Param("id")), 200, view);
                    }});
  for (const char* verdict : {"approve", "reject"}) {
    bool approve = std::string_view(verdict) == "approve";
    routes.push_back({"POST", std::string("/api/v1/governance/requests/{id}/") + verdict,
                      Access::kSignedIn, BodyKind::kJson,
                      [&flows, view, approve](RequestContext& c) {
                        auto body = ParseJsonObject(c.request);
                        if (!body.ok()) return Problem(body.status());
                        const char* said = approve ? "note" : "reason";
                        BodyReader reader(*body, {"content_hash", said});
                        std::string content_hash = reader.String("content_hash", true).value_or("");
                        std::string note = reader.String(said, !approve).value_or("");
                        if (Status s = reader.Finish(); !s.ok()) return Problem(s);
                        const std::string id = c.request.Param("id");
                        return Respond(approve ? flows.Approve(c.principal, id, content_hash, note)
                                               : flows.Reject(c.principal, id, content_hash, note),
                                       200, view);
                      }});
  }
  routes.push_back({"POST", "/api/v1/governance/requests/{id}/use", Access::kSignedIn,
                    BodyKind::kJson, [&flows, view](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      BodyReader reader(*body, {"quantity", "crossed_at", "note"});
                      governance::FlowUse use;
                      use.crossed_at = reader.String("crossed_at", true).value_or("");
                      use.note = reader.String("note").value_or("");
                      use.quantity = reader.Number("quantity", true).value_or(0);
                      if (Status s = reader.Finish(); !s.ok()) return Problem(s);
                      return Respond(flows.RecordUse(c.principal, c.request.Param("id"), use), 200,
                                     view);
                    }});
}

// How many days of requests a proposed version is run over in shadow.
constexpr int kShadowDays = 90;

// A version with what its reviewers read: its rules, what the static analysis finds, how it
// differs from the version in force and the requests of the last 90 days it would decide
// otherwise.
Result<json> ReviewOf(governance::PolicyVersions& versions, governance::FlowRequestService& flows,
                      const identity::Principal& principal,
                      const governance::PolicyVersion& version) {
  json review = governance::PolicyVersionJson(version);
  review["fields"] = PolicySchema(*version.policy)["fields"];  // to word the examples' facts
  ASSIGN_OR_RETURN(auto analysis, governance::AnalysePolicy(*version.policy));
  review["analysis"] = governance::AnalysisJson(*version.policy, analysis);
  ASSIGN_OR_RETURN(std::shared_ptr<const governance::PolicySet> active, versions.Active());
  review["active_hash"] = active->hash();
  review["diff"] = governance::DiffJson(*active, *version.policy,
                                        governance::DiffPolicies(*active, *version.policy));
  ASSIGN_OR_RETURN(governance::ShadowRun shadow,
                   flows.RunInShadow(principal, *version.policy, kShadowDays));
  json changed = json::array();
  for (const governance::ShadowChange& change : shadow.changed) {
    changed.push_back({{"id", change.id},
                       {"title", change.title},
                       {"kind", change.kind},
                       {"submitted_at", change.submitted_at},
                       {"before", change.before},
                       {"after", change.after}});
  }
  review["shadow"] = {{"days", kShadowDays}, {"requests", shadow.requests}, {"changed", changed}};
  return review;
}

void AddPolicyVersionRoutes(RouteTable& routes, governance::PolicyVersions& versions,
                            governance::FlowRequestService& flows) {
  routes.push_back({"GET", "/api/v1/governance/policy", Access::kSignedIn, BodyKind::kNone,
                    [&versions](RequestContext&) {
                      return Respond(versions.Active(), 200,
                                     [](const std::shared_ptr<const governance::PolicySet>& p) {
                                       return PolicySchema(*p);
                                     });
                    }});
  routes.push_back({"GET", "/api/v1/governance/policies", Access::kSignedIn, BodyKind::kNone,
                    [&versions](RequestContext& c) {
                      return Respond(versions.List(c.principal), 200,
                                     [](const std::vector<governance::PolicyVersion>& list) {
                                       json items = json::array();
                                       for (const auto& v : list) {
                                         items.push_back(governance::PolicyVersionJson(v));
                                       }
                                       return json{{"items", items}};
                                     });
                    }});
  routes.push_back(
      {"POST", "/api/v1/governance/policies", Access::kSignedIn, BodyKind::kToml,
       [&versions](RequestContext& c) {
         auto policy = governance::PolicySet::FromToml(c.request.body);
         if (!policy.ok()) {
           const std::string& problem = policy.status().message();
           return Problem(Status::Invalid("body", problem, "bad_policy", {{"problem", problem}}));
         }
         return Respond(versions.Propose(c.principal, *policy), 201, governance::PolicyVersionJson);
       }});
  routes.push_back({"GET", "/api/v1/governance/policies/{id}", Access::kSignedIn, BodyKind::kNone,
                    [&versions, &flows](RequestContext& c) {
                      auto version = versions.Get(c.principal, c.request.Param("id"));
                      if (!version.ok()) return Problem(version.status());
                      return Respond(ReviewOf(versions, flows, c.principal, *version), 200,
                                     [](const json& review) { return review; });
                    }});
  // The approval that brings a version into force has the requests pending under the old one
  // decided again at once (and the periodic job catches up if this instance stops first).
  routes.push_back({"POST", "/api/v1/governance/policies/{id}/approve", Access::kSignedIn,
                    BodyKind::kJson, [&versions, &flows](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      BodyReader reader(*body, {"note"});
                      std::string note = reader.String("note", false).value_or("");
                      if (Status s = reader.Finish(); !s.ok()) return Problem(s);
                      auto approved = versions.Approve(c.principal, c.request.Param("id"), note);
                      if (approved.ok() && approved->state == "active") {
                        if (Status s = flows.RedecidePending().status(); !s.ok()) return Problem(s);
                      }
                      return Respond(std::move(approved), 200, governance::PolicyVersionJson);
                    }});
  routes.push_back({"POST", "/api/v1/governance/policies/{id}/reject", Access::kSignedIn,
                    BodyKind::kJson, [&versions](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      BodyReader reader(*body, {"reason"});
                      std::string reason = reader.String("reason", true).value_or("");
                      if (Status s = reader.Finish(); !s.ok()) return Problem(s);
                      return Respond(versions.Reject(c.principal, c.request.Param("id"), reason),
                                     200, governance::PolicyVersionJson);
                    }});
}

}  // namespace

void AddGovernanceRoutes(RouteTable& routes, governance::PolicyVersions& versions,
                         governance::GovernanceService& governance,
                         governance::FlowRequestService& flows,
                         registry::RegistryService& registry) {
  AddFlowRequestRoutes(routes, flows, registry);
  AddPolicyVersionRoutes(routes, versions, flows);
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
  routes.push_back({"POST", "/api/v1/governance/whitelist/import", Access::kSignedIn,
                    BodyKind::kCsv, [&governance](RequestContext& c) {
                      if (Status s = CheckQueryParams(c.request, {"dry_run"}); !s.ok())
                        return Problem(s);
                      auto dry_run = BoolQuery(c.request, "dry_run", false);
                      if (!dry_run.ok()) return Problem(dry_run.status());
                      auto report =
                          governance.ImportWhitelistCsv(c.principal, c.request.body, *dry_run);
                      if (!report.ok()) return Problem(report.status());
                      json issues = json::array();
                      for (const auto& issue : report->issues) {
                        issues.push_back({{"line", issue.line},
                                          {"field", issue.error.field},
                                          {"reason", issue.error.reason},
                                          {"code", issue.error.code},
                                          {"params", issue.error.params}});
                      }
                      json body = {{"rows", report->rows},
                                   {"written", report->written},
                                   {"dry_run", report->dry_run},
                                   {"issues", issues}};
                      if (!report->issues.empty()) {
                        // Nothing was written; the report lists every bad row.
                        Status refused(ErrorCode::kUnprocessable, "import_rejected",
                                       std::to_string(report->issues.size()) +
                                           " problem(s) found; nothing was written");
                        refused.SetExtension("report", body);
                        return Problem(refused);
                      }
                      return http::HttpResponse::Json(report->dry_run ? 200 : 201, body);
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
