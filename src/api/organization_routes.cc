// Organisations and parks.
#include "api/api.h"
#include "api/handler_util.h"
#include "api/page_cache.h"

namespace parkhub::api {
namespace {

Result<registry::OrganizationInput> ReadOrganization(const http::HttpRequest& request,
                                                     bool creating) {
  ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
  BodyReader reader(body, {"type", "name_zh_hans", "name_zh_hant", "name_en", "region",
                           "province", "city", "country", "website", "parent_id", "tags",
                           "version"});
  registry::OrganizationInput input;
  input.type = reader.String("type", creating);
  input.name_zh_hans = reader.String("name_zh_hans");
  input.name_zh_hant = reader.String("name_zh_hant");
  input.name_en = reader.String("name_en");
  input.region = reader.String("region", creating);
  input.province = reader.String("province");
  input.city = reader.String("city");
  input.country = reader.String("country");
  input.website = reader.String("website");
  input.parent_id = reader.String("parent_id");
  input.tags = reader.StringList("tags");
  input.expected_version = reader.Integer("version");
  RETURN_IF_ERROR(reader.Finish());
  return input;
}

}  // namespace

void AddOrganizationRoutes(RouteTable& routes, registry::RegistryService& registry) {
  // The organisation list is public and the same for every caller, so its pages are cached
  // per change counter value.
  auto cache = std::make_shared<PageCache>();
  routes.push_back(
      {"GET", "/api/v1/organizations", Access::kPublic, BodyKind::kNone,
       [&registry, cache](RequestContext& c) {
         if (Status s = CheckQueryParams(c.request, {"q", "type", "region", "tag", "park", "parent",
                                                     "sort", "lang", "limit", "offset"});
             !s.ok()) {
           return Problem(s);
         }
         registry::OrganizationQuery query;
         auto limit = IntQuery(c.request, "limit", 20);
         auto offset = IntQuery(c.request, "offset", 0);
         if (!limit.ok()) return Problem(limit.status());
         if (!offset.ok()) return Problem(offset.status());
         query.limit = *limit;
         query.offset = *offset;
         query.q = StringQuery(c.request, "q");
         query.type = StringQuery(c.request, "type");
         query.region = StringQuery(c.request, "region");
         query.tag = StringQuery(c.request, "tag");
         query.park_id = StringQuery(c.request, "park");
         query.parent_id = StringQuery(c.request, "parent");
         if (c.request.query.count("sort")) query.sort = StringQuery(c.request, "sort");
         if (c.request.query.count("lang")) query.lang = StringQuery(c.request, "lang");
         auto version = registry.ListVersion();
         if (!version.ok()) return Problem(version.status());
         std::string key;
         for (const auto& [name, value] : c.request.query) key += name + "=" + value + "&";
         if (auto body = cache->Get(key, *version)) {
           return http::HttpResponse::Text(200, std::move(*body), "application/json");
         }
         auto page = registry.ListOrganizations(query);
         if (!page.ok()) return Problem(page.status());
         auto response = http::HttpResponse::Json(200, PageToJson(*page));
         cache->Put(key, *version, response.body);
         return response;
       }});
  routes.push_back({"POST", "/api/v1/organizations", Access::kSignedIn, BodyKind::kJson,
                    [&registry](RequestContext& c) {
                      auto input = ReadOrganization(c.request, true);
                      if (!input.ok()) return Problem(input.status());
                      return Respond(registry.CreateOrganization(c.principal, *input), 201);
                    }});
  routes.push_back({"GET", "/api/v1/organizations/{id}", Access::kPublic, BodyKind::kNone,
                    [&registry](RequestContext& c) {
                      return Respond(registry.GetOrganization(c.request.Param("id")));
                    }});
  routes.push_back({"PATCH", "/api/v1/organizations/{id}", Access::kSignedIn, BodyKind::kJson,
                    [&registry](RequestContext& c) {
                      auto input = ReadOrganization(c.request, false);
                      if (!input.ok()) return Problem(input.status());
                      return Respond(registry.UpdateOrganization(
                          c.principal, c.request.Param("id"), *input));
                    }});
  routes.push_back({"GET", "/api/v1/parks", Access::kPublic, BodyKind::kNone,
                    [&registry](RequestContext&) {
                      return Respond(registry.ListParks(), 200,
                                     [](const std::vector<registry::Organization>& parks) {
                                       json items = json::array();
                                       for (const auto& p : parks) items.push_back(ToJson(p));
                                       return json{{"items", items}, {"total", items.size()}};
                                     });
                    }});
  routes.push_back({"GET", "/api/v1/parks/{id}", Access::kPublic, BodyKind::kNone,
                    [&registry](RequestContext& c) {
                      return Respond(registry.GetPark(c.request.Param("id")));
                    }});
}

}  // namespace parkhub::api
