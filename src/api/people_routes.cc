// People and affiliations.
#include "api/api.h"
#include "api/handler_util.h"

namespace parkhub::api {
namespace {

Status ReadAffiliation(const json& item, const std::string& prefix,
                       registry::AffiliationInput& out) {
  if (!item.is_object()) {
    return Status::Invalid(prefix, "must be an object", "wrong_type", {{"expected", "object"}});
  }
  BodyReader reader(item, {"organization_id", "role", "start_date", "end_date"});
  out.organization_id = reader.String("organization_id", true).value_or("");
  out.role = reader.String("role", true).value_or("");
  out.start_date = reader.String("start_date").value_or("");
  out.end_date = reader.String("end_date").value_or("");
  Status s = reader.Finish();
  if (s.ok()) return s;
  Status prefixed(s.code(), s.reason(), s.message());
  for (const auto& e : s.field_errors()) prefixed.AddFieldError(prefix + e.field, e.reason, e.code, e.params);
  return prefixed;
}

Result<registry::PersonInput> ReadPerson(const json& body, BodyReader& reader, bool creating) {
  (void)body;
  registry::PersonInput input;
  input.name_zh = reader.String("name_zh");
  input.name_en = reader.String("name_en");
  input.kind = reader.String("kind", creating);
  input.email = reader.String("email");
  input.topics = reader.String("topics");
  input.expected_version = reader.Integer("version");
  return input;
}

}  // namespace

void AddPeopleRoutes(RouteTable& routes, registry::RegistryService& registry) {
  routes.push_back(
      {"GET", "/api/v1/people", Access::kSignedIn, BodyKind::kNone, [&registry](RequestContext& c) {
         if (Status s = CheckQueryParams(c.request, {"q", "organization", "kind", "limit", "offset"});
             !s.ok()) {
           return Problem(s);
         }
         auto limit = IntQuery(c.request, "limit", 20);
         auto offset = IntQuery(c.request, "offset", 0);
         if (!limit.ok()) return Problem(limit.status());
         if (!offset.ok()) return Problem(offset.status());
         registry::PersonQuery query{StringQuery(c.request, "q"),
                                     StringQuery(c.request, "organization"),
                                     StringQuery(c.request, "kind"), *limit, *offset};
         auto page = registry.ListPeople(c.principal, query);
         if (!page.ok()) return Problem(page.status());
         return http::HttpResponse::Json(200, PageToJson(*page));
       }});
  routes.push_back(
      {"POST", "/api/v1/people", Access::kSignedIn, BodyKind::kJson, [&registry](RequestContext& c) {
         auto body = ParseJsonObject(c.request);
         if (!body.ok()) return Problem(body.status());
         BodyReader reader(*body, {"name_zh", "name_en", "kind", "email", "topics", "affiliations"});
         auto input = ReadPerson(*body, reader, true);
         auto list = reader.Array("affiliations");
         if (Status s = reader.Finish(); !s.ok()) return Problem(s);
         std::vector<registry::AffiliationInput> affiliations;
         if (list) {
           for (size_t i = 0; i < list->size(); ++i) {
             registry::AffiliationInput a;
             Status s = ReadAffiliation((*list)[i], "affiliations[" + std::to_string(i) + "].", a);
             if (!s.ok()) return Problem(s);
             affiliations.push_back(a);
           }
         }
         return Respond(registry.CreatePerson(c.principal, *input, affiliations), 201);
       }});
  routes.push_back({"GET", "/api/v1/people/{id}", Access::kSignedIn, BodyKind::kNone,
                    [&registry](RequestContext& c) {
                      return Respond(registry.GetPerson(c.principal, c.request.Param("id")));
                    }});
  routes.push_back({"PATCH", "/api/v1/people/{id}", Access::kSignedIn, BodyKind::kJson,
                    [&registry](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      BodyReader reader(*body,
                                        {"name_zh", "name_en", "kind", "email", "topics", "version"});
                      auto input = ReadPerson(*body, reader, false);
                      if (Status s = reader.Finish(); !s.ok()) return Problem(s);
                      return Respond(
                          registry.UpdatePerson(c.principal, c.request.Param("id"), *input));
                    }});
  routes.push_back({"POST", "/api/v1/people/{id}/affiliations", Access::kSignedIn,
                    BodyKind::kJson, [&registry](RequestContext& c) {
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      registry::AffiliationInput a;
                      if (Status s = ReadAffiliation(*body, "", a); !s.ok()) return Problem(s);
                      return Respond(
                          registry.AddAffiliation(c.principal, c.request.Param("id"), a), 201);
                    }});
}

}  // namespace parkhub::api
