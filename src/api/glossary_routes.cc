// The park's glossary (exchange/park_vocabulary.h): upload a CSV of Chinese and English terms
// (with a dry run), list it a page at a time, remove a term.
#include "api/api.h"
#include "api/handler_util.h"
#include "exchange/park_vocabulary.h"

namespace parkhub::api {
namespace {

json TermJson(const exchange::GlossaryTerm& term) {
  return {{"id", term.id},
          {"chinese", term.chinese},
          {"english", term.english},
          {"created_at", term.created_at}};
}

}  // namespace

void AddGlossaryRoutes(RouteTable& routes, exchange::ParkVocabulary& vocabulary) {
  routes.push_back(
      {"POST", "/api/v1/exchange/glossary", Access::kSignedIn, BodyKind::kCsv,
       [&vocabulary](RequestContext& c) {
         if (Status s = CheckQueryParams(c.request, {"dry_run"}); !s.ok()) {
           return Problem(s);
         }
         auto dry_run = BoolQuery(c.request, "dry_run", false);
         if (!dry_run.ok()) return Problem(dry_run.status());
         auto report = vocabulary.Upload(c.principal, c.request.body, *dry_run);
         return Respond(report, *dry_run ? 200 : 201, [](const exchange::GlossaryUpload& r) {
           return json{
               {"rows", r.rows}, {"added", r.added}, {"known", r.known}, {"dry_run", r.dry_run}};
         });
       }});
  routes.push_back(
      {"GET", "/api/v1/exchange/glossary", Access::kSignedIn, BodyKind::kNone,
       [&vocabulary](RequestContext& c) {
         if (Status s = CheckQueryParams(c.request, {"q", "limit", "offset"}); !s.ok()) {
           return Problem(s);
         }
         exchange::GlossaryQuery query;
         query.q = StringQuery(c.request, "q");
         if (Status s = ReadPaging(c.request, 50, query); !s.ok()) return Problem(s);
         return Respond(vocabulary.List(c.principal, query), 200,
                        [](const db::Page<exchange::GlossaryTerm>& page) {
                          json items = json::array();
                          for (const auto& t : page.items) items.push_back(TermJson(t));
                          return json{{"items", items},
                                      {"total", page.total},
                                      {"limit", page.limit},
                                      {"offset", page.offset}};
                        });
       }});
  routes.push_back({"DELETE", "/api/v1/exchange/glossary/{id}", Access::kSignedIn, BodyKind::kNone,
                    [&vocabulary](RequestContext& c) {
                      Status s = vocabulary.Remove(c.principal, c.request.Param("id"));
                      if (!s.ok()) return Problem(s);
                      return http::HttpResponse::Json(200, json{{"deleted", true}});
                    }});
}

}  // namespace parkhub::api
