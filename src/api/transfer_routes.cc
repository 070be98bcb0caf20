// CSV import (with dry run) and export of organisations and people.
#include "api/api.h"
#include "api/handler_util.h"

namespace parkhub::api {
namespace {

Result<bool> DryRunFlag(const http::HttpRequest& request) {
  RETURN_IF_ERROR(CheckQueryParams(request, {"dry_run"}));
  return BoolQuery(request, "dry_run", false);
}

http::HttpResponse ImportResponse(const Result<registry::ImportReport>& report) {
  if (!report.ok()) return Problem(report.status());
  if (!report->issues.empty()) {
    // Nothing was written; the report lists every bad row.
    Status refused(ErrorCode::kUnprocessable, "import_rejected",
                   std::to_string(report->issues.size()) + " problem(s) found; nothing was written");
    refused.SetExtension("report", ToJson(*report));
    return Problem(refused);
  }
  return http::HttpResponse::Json(report->dry_run ? 200 : 201, ToJson(*report));
}

http::HttpResponse CsvDownload(const Result<std::string>& csv, const std::string& filename) {
  if (!csv.ok()) return Problem(csv.status());
  auto response = http::HttpResponse::Text(200, *csv, "text/csv; charset=utf-8");
  response.SetHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return response;
}

}  // namespace

void AddTransferRoutes(RouteTable& routes, registry::RegistryService& registry) {
  routes.push_back({"POST", "/api/v1/imports/organizations", Access::kSignedIn, BodyKind::kCsv,
                    [&registry](RequestContext& c) {
                      auto dry_run = DryRunFlag(c.request);
                      if (!dry_run.ok()) return Problem(dry_run.status());
                      return ImportResponse(registry.ImportOrganizationsCsv(
                          c.principal, c.request.body, *dry_run));
                    }});
  routes.push_back({"POST", "/api/v1/imports/people", Access::kSignedIn, BodyKind::kCsv,
                    [&registry](RequestContext& c) {
                      auto dry_run = DryRunFlag(c.request);
                      if (!dry_run.ok()) return Problem(dry_run.status());
                      return ImportResponse(
                          registry.ImportPeopleCsv(c.principal, c.request.body, *dry_run));
                    }});
  routes.push_back({"GET", "/api/v1/exports/organizations.csv", Access::kPublic, BodyKind::kNone,
                    [&registry](RequestContext&) {
                      return CsvDownload(registry.ExportOrganizationsCsv(), "organizations.csv");
                    }});
  routes.push_back({"GET", "/api/v1/exports/people.csv", Access::kSignedIn, BodyKind::kNone,
                    [&registry](RequestContext& c) {
                      return CsvDownload(registry.ExportPeopleCsv(c.principal), "people.csv");
                    }});
}

}  // namespace parkhub::api
