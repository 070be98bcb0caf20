// Competitions (competitions/competition_service.h): editions with their groups, entries, and
// rounds: judges, assignment, score sheets, recusals, closing, publishing, the leaderboard, its
// replay and the round's record of events; prize certificates and their public check.
#include "api/api.h"
#include "api/handler_util.h"
#include "competitions/certificate_pdf.h"

namespace parkhub::api {
namespace {

using competitions::CompetitionService;

// Organisations named in every language, as screens show them; each looked up once per answer.
class OrganisationRefs {
 public:
  explicit OrganisationRefs(registry::RegistryService& registry) : registry_(registry) {}
  // {id, names}; null for an empty id. An organisation gone from the registry keeps its id.
  json Ref(const std::string& id) {
    if (id.empty()) return json();
    auto [it, inserted] = names_.try_emplace(id);
    if (inserted) {
      auto organisation = registry_.GetOrganization(id);
      if (organisation.ok()) it->second = organisation->names;
    }
    return NamedRef(id, it->second);
  }

 private:
  registry::RegistryService& registry_;
  std::map<std::string, registry::Names> names_;
};

json NamesJson(const competitions::LocalNames& names) {
  return {{"zh_hans", names.zh_hans}, {"zh_hant", names.zh_hant}, {"en", names.en}};
}

json GroupJson(const competitions::Group& group) {
  json criteria = json::array();
  for (const auto& c : group.criteria) criteria.push_back({{"key", c.key}, {"weight", c.weight}});
  json prizes = json::array();
  for (const auto& p : group.prizes) prizes.push_back({{"key", p.key}, {"count", p.count}});
  return {
      {"key", group.key},
      {"names", NamesJson(group.names)},
      {"form", competitions::GroupFormJson(group.form)},
      {"criteria", criteria},
      {"scale", {{"min", group.scale.min}, {"max", group.scale.max}, {"step", group.scale.step}}},
      {"prizes", prizes},
      {"entries", group.entries}};
}

json EditionJson(const competitions::Edition& e, OrganisationRefs& refs) {
  json groups = json::array();
  for (const auto& g : e.groups) groups.push_back(GroupJson(g));
  return {{"id", e.id},
          {"organiser", refs.Ref(e.organiser)},
          {"year", e.year},
          {"names", NamesJson(e.names)},
          {"entries_close_on", e.entries_close_on},
          {"entries_close_at", e.entries_close_at},
          {"state", e.state},
          {"groups", groups},
          {"created_at", e.created_at},
          {"actions", e.actions}};
}

json EntryJson(const competitions::Entry& e, OrganisationRefs& refs) {
  json listings = json::array();
  for (const auto& l : e.listings) listings.push_back({{"id", l.id}, {"title", l.title}});
  json members = json::array();
  for (const auto& m : e.team.members) members.push_back({{"name", m.name}, {"role", m.role}});
  return {{"id", e.id},
          {"edition", e.edition},
          {"group", e.group},
          {"organisation", refs.Ref(e.organisation)},
          {"title", e.title},
          {"summary", e.summary},
          {"facts", e.facts},
          {"listings", listings},
          {"team", {{"university", refs.Ref(e.team.university)}, {"members", members}}},
          {"state", e.state},
          {"created_at", e.created_at},
          {"actions", e.actions}};
}

json RoundJson(const competitions::Round& r, OrganisationRefs& refs) {
  json advancement = json::object();
  for (const auto& [group, rule] : r.settings.advancement) {
    advancement[group] = {{"by", rule.by}, {"count", rule.count}, {"threshold", rule.threshold}};
  }
  json judges = json::array();
  for (const auto& j : r.judges) {
    judges.push_back({{"username", j.username},
                      {"names", NamesJson(j.names)},
                      {"person", j.person},
                      {"cap", j.cap < 0 ? json() : json(j.cap)},
                      {"confirmed", j.confirmed},
                      {"load", j.load}});
  }
  json assignment = json::array();
  for (const auto& [entry, assigned] : r.assignment) {
    assignment.push_back({{"entry", entry}, {"judges", assigned}});
  }
  json conflicts = json::array();
  for (const auto& c : r.conflicts) {
    // The detail is an organisation for affiliations, a shared name or a declared reason else.
    bool names_organisation =
        c.kind == "affiliated" || c.kind == "affiliated_parent" || c.kind == "same_university";
    conflicts.push_back({{"entry", c.entry},
                         {"judge", c.judge},
                         {"kind", c.kind},
                         {"detail", names_organisation ? json() : json(c.detail)},
                         {"organisation", names_organisation ? refs.Ref(c.detail) : json()}});
  }
  return {{"id", r.id},
          {"edition", r.edition},
          {"position", r.position},
          {"names", NamesJson(r.settings.names)},
          {"kind", r.settings.kind},
          {"judges_per_entry", r.settings.judges_per_entry},
          {"combine", r.settings.combine},
          {"normalise", r.settings.normalise},
          {"divergence", r.settings.divergence},
          {"tie_criterion", r.settings.tie_criterion},
          {"advancement", advancement},
          {"state", r.state},
          {"judges", judges},
          {"entries", r.entries},
          {"assignment", assignment},
          {"conflicts", conflicts},
          {"seed", std::to_string(r.seed)},
          {"published_at", r.published_at},
          {"actions", r.actions}};
}

json QueueItemJson(const competitions::QueueItem& item) {
  return {{"entry", item.entry},   {"title", item.title}, {"group", item.group},
          {"scores", item.scores}, {"final", item.final}, {"recused", item.recused}};
}

json CertificateJson(const competitions::Certificate& c) {
  return {{"code", c.code},
          {"edition", c.edition},
          {"year", c.year},
          {"edition_names", NamesJson(c.edition_names)},
          {"group", c.group},
          {"group_names", NamesJson(c.group_names)},
          {"tier", c.tier},
          {"entry", c.entry},
          {"title", c.title},
          {"organisation", c.organisation},
          {"organisation_names", NamesJson(c.organisation_names)},
          {"issued_at", c.issued_at}};
}

// One record as JSON with the organisations it names.
template <typename Record>
auto Named(registry::RegistryService& registry, json (*to_json)(const Record&, OrganisationRefs&)) {
  return [&registry, to_json](const Record& record) {
    OrganisationRefs refs(registry);
    return to_json(record, refs);
  };
}

std::optional<competitions::LocalNames> ReadNames(BodyReader& reader) {
  auto names = reader.Object("names");
  if (!names) return std::nullopt;
  return competitions::LocalNames{names->value("zh_hans", ""), names->value("zh_hant", ""),
                                  names->value("en", "")};
}

// A group's settings as the API takes them; `at` names it in errors.
Result<competitions::GroupInput> ReadGroup(const json& body, const std::string& at) {
  if (!body.is_object()) {
    return Status::Invalid(at, "expected an object", "wrong_type", {{"expected", "object"}});
  }
  BodyReader reader(body, {"key", "names", "form", "criteria", "scale", "prizes"});
  competitions::GroupInput group;
  group.key = reader.String("key", true).value_or("");
  group.names = ReadNames(reader).value_or(competitions::LocalNames{});
  json form = reader.Object("form").value_or(json::object());
  json criteria = reader.Array("criteria").value_or(json::array());
  json scale = reader.Object("scale").value_or(json::object());
  json prizes = reader.Array("prizes").value_or(json::array());
  RETURN_IF_ERROR(reader.Finish());
  ASSIGN_OR_RETURN(group.form, competitions::GroupFormFromJson(form, at + ".form"));
  try {
    for (const json& c : criteria) group.criteria.push_back({c.at("key"), c.at("weight")});
    group.scale = {scale.at("min"), scale.at("max"), scale.value("step", 0.0)};
    for (const json& p : prizes) group.prizes.push_back({p.at("key"), p.at("count")});
  } catch (const json::exception&) {
    return Status::Invalid(at,
                           "criteria {key, weight}, scale {min, max, step}, prizes {key, count}",
                           "wrong_type", {{"expected", "object"}});
  }
  return group;
}

Result<competitions::EditionInput> ReadEdition(const json& body) {
  BodyReader reader(body, {"organiser", "year", "names", "entries_close_on", "groups"});
  competitions::EditionInput input;
  input.organiser = reader.String("organiser", true).value_or("");
  input.year = static_cast<int>(reader.Integer("year", true).value_or(0));
  input.names = ReadNames(reader).value_or(competitions::LocalNames{});
  input.entries_close_on = reader.String("entries_close_on", true).value_or("");
  std::optional<json> groups = reader.Array("groups");
  RETURN_IF_ERROR(reader.Finish());
  if (!groups) {
    input.groups = CompetitionService::DefaultGroups();
    return input;
  }
  for (size_t i = 0; i < groups->size(); ++i) {
    ASSIGN_OR_RETURN(auto group, ReadGroup((*groups)[i], "groups[" + std::to_string(i) + "]"));
    input.groups.push_back(std::move(group));
  }
  return input;
}

Result<competitions::EntryInput> ReadEntry(const json& body) {
  BodyReader reader(
      body, {"edition", "group", "organisation", "title", "summary", "facts", "listings", "team"});
  competitions::EntryInput input;
  input.edition = reader.String("edition", true).value_or("");
  input.group = reader.String("group", true).value_or("");
  input.organisation = reader.String("organisation", true).value_or("");
  input.title = reader.String("title", true).value_or("");
  input.summary = reader.String("summary").value_or("");
  input.facts = reader.Object("facts").value_or(json::object());
  input.listings = reader.StringList("listings").value_or(std::vector<std::string>{});
  json team = reader.Object("team").value_or(json::object());
  RETURN_IF_ERROR(reader.Finish());
  input.team.university = team.value("university", "");
  json members = team.value("members", json::array());
  for (size_t i = 0; i < members.size(); ++i) {
    const json& m = members[i];
    if (!m.is_object() || !m.value("name", json()).is_string() ||
        !m.value("role", json()).is_string()) {
      return Status::Invalid("team.members[" + std::to_string(i) + "]", "expected {name, role}",
                             "wrong_type", {{"expected", "object"}});
    }
    input.team.members.push_back({m["name"], m["role"]});
  }
  return input;
}

Result<competitions::RoundInput> ReadRound(const json& body) {
  BodyReader reader(body, {"edition", "names", "kind", "judges_per_entry", "combine", "normalise",
                           "divergence", "tie_criterion", "advancement"});
  competitions::RoundInput input;
  input.edition = reader.String("edition", true).value_or("");
  input.names = ReadNames(reader).value_or(competitions::LocalNames{});
  input.kind = reader.String("kind").value_or("online");
  input.judges_per_entry = static_cast<int>(reader.Integer("judges_per_entry").value_or(3));
  input.combine = reader.String("combine").value_or("mean");
  input.normalise = reader.Bool("normalise").value_or(false);
  input.divergence = reader.Number("divergence").value_or(0);
  input.tie_criterion = reader.String("tie_criterion").value_or("");
  json advancement = reader.Object("advancement").value_or(json::object());
  RETURN_IF_ERROR(reader.Finish());
  for (const auto& [group, rule] : advancement.items()) {
    if (!rule.is_object() || !rule.value("by", json()).is_string()) {
      return Status::Invalid("advancement." + group, "expected {by, count, threshold}",
                             "wrong_type", {{"expected", "object"}});
    }
    input.advancement[group] = {rule["by"], rule.value("count", 0), rule.value("threshold", 0.0)};
  }
  return input;
}

http::HttpResponse AssignmentProblem(Status status,
                                     const competitions::AssignmentProblemReport& report) {
  if (!report.code.empty()) {
    status.SetExtension("failure", {{"code", report.code},
                                    {"entries", report.entries},
                                    {"judges", report.judges},
                                    {"needed", report.needed},
                                    {"available", report.available}});
  }
  return Problem(status);
}

void AddEditionRoutes(RouteTable& routes, CompetitionService& service,
                      registry::RegistryService& registry) {
  routes.push_back({"GET", "/api/v1/competitions/editions", Access::kSignedIn, BodyKind::kNone,
                    [&service, &registry](RequestContext& c) {
                      return Respond(
                          service.ListEditions(c.principal), 200,
                          [&registry](const std::vector<competitions::Edition>& editions) {
                            OrganisationRefs refs(registry);
                            json items = json::array();
                            for (const auto& e : editions) items.push_back(EditionJson(e, refs));
                            return json{{"items", items}};
                          });
                    }});
  routes.push_back({"POST", "/api/v1/competitions/editions", Access::kSignedIn, BodyKind::kJson,
                    [&service, &registry](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      auto input = ReadEdition(*body);
                      if (!input.ok()) return Problem(input.status());
                      return Respond(service.CreateEdition(c.principal, *input), 201,
                                     Named<competitions::Edition>(registry, EditionJson));
                    }});
  routes.push_back({"GET", "/api/v1/competitions/editions/{id}", Access::kSignedIn, BodyKind::kNone,
                    [&service, &registry](RequestContext& c) {
                      return Respond(service.GetEdition(c.principal, c.request.Param("id")), 200,
                                     Named<competitions::Edition>(registry, EditionJson));
                    }});
  routes.push_back({"GET", "/api/v1/competitions/editions/{id}/entries", Access::kSignedIn,
                    BodyKind::kNone, [&service, &registry](RequestContext& c) {
                      if (Status s = CheckQueryParams(c.request, {"group"}); !s.ok())
                        return Problem(s);
                      return Respond(service.ListEntries(c.principal, c.request.Param("id"),
                                                         StringQuery(c.request, "group")),
                                     200,
                                     [&registry](const std::vector<competitions::Entry>& entries) {
                                       OrganisationRefs refs(registry);
                                       json items = json::array();
                                       for (const auto& e : entries)
                                         items.push_back(EntryJson(e, refs));
                                       return json{{"items", items}};
                                     });
                    }});
  routes.push_back({"GET", "/api/v1/competitions/editions/{id}/rounds", Access::kSignedIn,
                    BodyKind::kNone, [&service, &registry](RequestContext& c) {
                      return Respond(service.ListRounds(c.principal, c.request.Param("id")), 200,
                                     [&registry](const std::vector<competitions::Round>& rounds) {
                                       OrganisationRefs refs(registry);
                                       json items = json::array();
                                       for (const auto& r : rounds)
                                         items.push_back(RoundJson(r, refs));
                                       return json{{"items", items}};
                                     });
                    }});
  routes.push_back({"POST", "/api/v1/competitions/entries", Access::kSignedIn, BodyKind::kJson,
                    [&service, &registry](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      auto input = ReadEntry(*body);
                      if (!input.ok()) return Problem(input.status());
                      return Respond(service.SubmitEntry(c.principal, *input), 201,
                                     Named<competitions::Entry>(registry, EntryJson));
                    }});
  routes.push_back({"GET", "/api/v1/competitions/entries/{id}", Access::kSignedIn, BodyKind::kNone,
                    [&service, &registry](RequestContext& c) {
                      return Respond(service.GetEntry(c.principal, c.request.Param("id")), 200,
                                     Named<competitions::Entry>(registry, EntryJson));
                    }});
  routes.push_back({"POST", "/api/v1/competitions/entries/{id}/withdraw", Access::kSignedIn,
                    BodyKind::kNone, [&service, &registry](RequestContext& c) {
                      return Respond(service.WithdrawEntry(c.principal, c.request.Param("id")), 200,
                                     Named<competitions::Entry>(registry, EntryJson));
                    }});
}

void AddRoundRoutes(RouteTable& routes, CompetitionService& service,
                    registry::RegistryService& registry) {
  routes.push_back({"POST", "/api/v1/competitions/rounds", Access::kSignedIn, BodyKind::kJson,
                    [&service, &registry](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      auto input = ReadRound(*body);
                      if (!input.ok()) return Problem(input.status());
                      return Respond(service.CreateRound(c.principal, *input), 201,
                                     Named<competitions::Round>(registry, RoundJson));
                    }});
  routes.push_back({"GET", "/api/v1/competitions/rounds/{id}", Access::kSignedIn, BodyKind::kNone,
                    [&service, &registry](RequestContext& c) {
                      return Respond(service.GetRound(c.principal, c.request.Param("id")), 200,
                                     Named<competitions::Round>(registry, RoundJson));
                    }});
  routes.push_back(
      {"POST", "/api/v1/competitions/rounds/{id}/judges", Access::kSignedIn, BodyKind::kJson,
       [&service, &registry](RequestContext& c) {
         auto body = ParseJsonObject(c.request);
         if (!body.ok()) return Problem(body.status());
         BodyReader reader(*body, {"username", "person", "cap"});
         std::string username = reader.String("username", true).value_or("");
         std::string person = reader.String("person", true).value_or("");
         int cap = static_cast<int>(reader.Integer("cap").value_or(-1));
         if (Status s = reader.Finish(); !s.ok()) return Problem(s);
         return Respond(service.AddJudge(c.principal, c.request.Param("id"), username, person, cap),
                        200, Named<competitions::Round>(registry, RoundJson));
       }});
  routes.push_back({"POST", "/api/v1/competitions/rounds/{id}/confirm", Access::kSignedIn,
                    BodyKind::kNone, [&service, &registry](RequestContext& c) {
                      return Respond(service.ConfirmJudging(c.principal, c.request.Param("id")),
                                     200, Named<competitions::Round>(registry, RoundJson));
                    }});
  routes.push_back({"POST", "/api/v1/competitions/rounds/{id}/assign", Access::kSignedIn,
                    BodyKind::kJson, [&service, &registry](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      BodyReader reader(*body, {"seed"});
                      int64_t seed = reader.Integer("seed", true).value_or(0);
                      if (Status s = reader.Finish(); !s.ok()) return Problem(s);
                      competitions::AssignmentProblemReport report;
                      auto round = service.Assign(c.principal, c.request.Param("id"),
                                                  static_cast<uint64_t>(seed), &report);
                      if (!round.ok()) return AssignmentProblem(round.status(), report);
                      OrganisationRefs refs(registry);
                      return http::HttpResponse::Json(200, RoundJson(*round, refs));
                    }});
  routes.push_back({"GET", "/api/v1/competitions/rounds/{id}/queue", Access::kSignedIn,
                    BodyKind::kNone, [&service](RequestContext& c) {
                      return Respond(service.Queue(c.principal, c.request.Param("id")), 200,
                                     [](const std::vector<competitions::QueueItem>& items) {
                                       json out = json::array();
                                       for (const auto& i : items) out.push_back(QueueItemJson(i));
                                       return json{{"items", out}};
                                     });
                    }});
  routes.push_back({"PUT", "/api/v1/competitions/rounds/{id}/sheets/{entry}", Access::kSignedIn,
                    BodyKind::kJson, [&service](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      BodyReader reader(*body, {"scores", "final"});
                      json scores = reader.Object("scores").value_or(json::object());
                      bool final_sheet = reader.Bool("final").value_or(false);
                      if (Status s = reader.Finish(); !s.ok()) return Problem(s);
                      competitions::ScoreInput input;
                      for (const auto& [key, value] : scores.items()) {
                        if (!value.is_number()) {
                          return Problem(Status::Invalid("scores." + key, "a number", "wrong_type",
                                                         {{"expected", "number"}}));
                        }
                        input.scores[key] = value.get<double>();
                      }
                      input.final = final_sheet;
                      return Respond(service.Score(c.principal, c.request.Param("id"),
                                                   c.request.Param("entry"), input),
                                     200, QueueItemJson);
                    }});
  routes.push_back({"POST", "/api/v1/competitions/rounds/{id}/recuse", Access::kSignedIn,
                    BodyKind::kJson, [&service, &registry](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      BodyReader reader(*body, {"entry", "reason"});
                      std::string entry = reader.String("entry", true).value_or("");
                      std::string reason = reader.String("reason", true).value_or("");
                      if (Status s = reader.Finish(); !s.ok()) return Problem(s);
                      return Respond(
                          service.Recuse(c.principal, c.request.Param("id"), entry, reason), 200,
                          Named<competitions::Round>(registry, RoundJson));
                    }});
  routes.push_back({"POST", "/api/v1/competitions/rounds/{id}/close", Access::kSignedIn,
                    BodyKind::kNone, [&service, &registry](RequestContext& c) {
                      return Respond(service.Close(c.principal, c.request.Param("id")), 200,
                                     Named<competitions::Round>(registry, RoundJson));
                    }});
  routes.push_back({"POST", "/api/v1/competitions/rounds/{id}/publish", Access::kSignedIn,
                    BodyKind::kNone, [&service, &registry](RequestContext& c) {
                      return Respond(service.Publish(c.principal, c.request.Param("id")), 200,
                                     Named<competitions::Round>(registry, RoundJson));
                    }});
  for (const char* view : {"leaderboard", "replay"}) {
    bool replay = std::string_view(view) == "replay";
    routes.push_back(
        {"GET", std::string("/api/v1/competitions/rounds/{id}/") + view, Access::kSignedIn,
         BodyKind::kNone, [&service, &registry, replay](RequestContext& c) {
           const std::string id = c.request.Param("id");
           return Respond(
               replay ? service.Replay(c.principal, id) : service.Leaderboard(c.principal, id), 200,
               [&registry](json board) {
                 OrganisationRefs refs(registry);
                 for (json& group : board["groups"]) {
                   for (json& standing : group["standings"]) {
                     standing["organisation"] = refs.Ref(standing["organisation"]);
                   }
                 }
                 return board;
               });
         }});
  }
  routes.push_back({"GET", "/api/v1/competitions/rounds/{id}/events", Access::kSignedIn,
                    BodyKind::kNone, [&service](RequestContext& c) {
                      return Respond(service.Events(c.principal, c.request.Param("id")), 200,
                                     [](const std::vector<competitions::RoundEvent>& events) {
                                       json items = json::array();
                                       for (const auto& e : events) {
                                         items.push_back({{"seq", e.seq},
                                                          {"kind", e.kind},
                                                          {"actor", e.actor},
                                                          {"at", e.at},
                                                          {"entry", e.entry},
                                                          {"judge", e.judge},
                                                          {"reason", e.reason},
                                                          {"payload", e.payload}});
                                       }
                                       return json{{"items", items}};
                                     });
                    }});
}

void AddCertificateRoutes(RouteTable& routes, CompetitionService& service) {
  routes.push_back({"GET", "/api/v1/competitions/rounds/{id}/certificates", Access::kSignedIn,
                    BodyKind::kNone, [&service](RequestContext& c) {
                      return Respond(
                          service.Certificates(c.principal, c.request.Param("id")), 200,
                          [](const std::vector<competitions::Certificate>& certificates) {
                            json items = json::array();
                            for (const auto& x : certificates) items.push_back(CertificateJson(x));
                            return json{{"items", items}};
                          });
                    }});
  routes.push_back(
      {"GET", "/api/v1/competitions/certificates/{code}/pdf", Access::kPublic, BodyKind::kNone,
       [&service](RequestContext& c) {
         auto certificate = service.VerifyCertificate(c.request.Param("code"));
         if (!certificate.ok()) return Problem(certificate.status());
         // Printed under the code: this server's public check, as the holder reached it.
         std::string verify = c.request.Header("host") + "/#/certificates/" + certificate->code;
         auto pdf = competitions::CertificatePdf(*certificate, verify);
         if (!pdf.ok()) return Problem(pdf.status());
         auto response = http::HttpResponse::Text(200, std::move(*pdf), "application/pdf");
         response.SetHeader("Content-Disposition",
                            "attachment; filename=\"certificate-" + certificate->code + ".pdf\"");
         return response;
       }});
  routes.push_back({"GET", "/api/v1/competitions/certificates/{code}", Access::kPublic,
                    BodyKind::kNone, [&service](RequestContext& c) {
                      return Respond(service.VerifyCertificate(c.request.Param("code")), 200,
                                     CertificateJson);
                    }});
}

}  // namespace

void AddCompetitionRoutes(RouteTable& routes, CompetitionService& service,
                          registry::RegistryService& registry) {
  AddEditionRoutes(routes, service, registry);
  AddRoundRoutes(routes, service, registry);
  AddCertificateRoutes(routes, service);
}

}  // namespace parkhub::api
