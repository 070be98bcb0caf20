// Health, readiness, metrics, the OpenAPI document and the registry's vocabularies.
#include "api/api.h"
#include "api/handler_util.h"

namespace parkhub::api {
namespace {

bool IsLoopback(const std::string& address) {
  return address == "::1" || address.rfind("127.", 0) == 0 || address.rfind("::ffff:127.", 0) == 0;
}

}  // namespace

void AddSystemRoutes(RouteTable& routes, http::Metrics& metrics, std::function<bool()> ready) {
  routes.push_back({"GET", "/healthz", Access::kPublic, BodyKind::kNone, [](RequestContext&) {
                      return http::HttpResponse::Json(200, {{"status", "ok"}});
                    }});
  routes.push_back({"GET", "/readyz", Access::kPublic, BodyKind::kNone, [ready](RequestContext&) {
                      bool is_ready = ready();
                      return http::HttpResponse::Json(is_ready ? 200 : 503,
                                                      {{"status", is_ready ? "ready" : "starting"}});
                    }});
  // Route names, volumes and error rates tell an outsider too much: a scraper on this host, or
  // one with a platform admin's API token.
  routes.push_back({"GET", "/metrics", Access::kPublic, BodyKind::kNone, [&metrics](RequestContext& c) {
                      if (!c.principal.IsPlatformAdmin() && !IsLoopback(c.request.remote_address)) {
                        return Problem(Status::PermissionDenied(
                            "metrics are served to this host or to platform admins"));
                      }
                      return http::HttpResponse::Text(200, metrics.RenderPrometheus(),
                                                      "text/plain; version=0.0.4");
                    }});
  routes.push_back({"GET", "/api/v1/openapi.json", Access::kPublic, BodyKind::kNone,
                    [](RequestContext&) {
                      return http::HttpResponse::Text(200, OpenApiDocument(), "application/json");
                    }});
  routes.push_back({"GET", "/api/v1/meta", Access::kPublic, BodyKind::kNone, [](RequestContext&) {
                      return http::HttpResponse::Json(
                          200, {{"organization_types", registry::OrganizationTypes()},
                                {"regions", registry::Regions()},
                                {"well_known_tags", registry::WellKnownTags()},
                                {"person_kinds", registry::PersonKinds()},
                                {"membership_states", registry::MembershipStates()}});
                    }});
}

}  // namespace parkhub::api
