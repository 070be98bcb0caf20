#include "api/api.h"
#include "api/handler_util.h"

namespace parkhub::api {

void AddNotificationRoutes(RouteTable& routes, notifications::Notifier& notifier) {
  routes.push_back(
      {"GET", "/api/v1/notifications", Access::kSignedIn, BodyKind::kNone,
       [&notifier](RequestContext& c) {
         if (Status s = CheckQueryParams(c.request, {"unread", "limit", "offset"}); !s.ok())
           return Problem(s);
         notifications::InboxQuery query;
         auto unread_only = BoolQuery(c.request, "unread", false);
         if (!unread_only.ok()) return Problem(unread_only.status());
         query.unread_only = *unread_only;
         if (Status s = ReadPaging(c.request, 50, query); !s.ok()) return Problem(s);
         return Respond(notifier.List(c.principal.user_id, query), 200,
                        [&query](const notifications::Inbox& inbox) {
                          json items = json::array();
                          for (const auto& n : inbox.items) {
                            json item = {{"id", n.id},
                                         {"kind", n.kind},
                                         {"params", n.params},
                                         {"created_at", n.created_at},
                                         {"read", n.read}};
                            if (!n.legacy_message.empty()) item["message"] = n.legacy_message;
                            items.push_back(std::move(item));
                          }
                          return json{{"items", items},
                                      {"total", inbox.total},
                                      {"limit", query.limit},
                                      {"offset", query.offset},
                                      {"unread", inbox.unread}};
                        });
       }});
  routes.push_back({"POST", "/api/v1/notifications/{id}/read", Access::kSignedIn, BodyKind::kNone,
                    [&notifier](RequestContext& c) {
    if (Status s = notifier.MarkRead(c.principal.user_id, c.request.Param("id")); !s.ok()) return Problem(s);
    return http::HttpResponse::Json(200, {{"read", true}});
  }});
  routes.push_back({"POST", "/api/v1/notifications/read-all", Access::kSignedIn, BodyKind::kNone,
                    [&notifier](RequestContext& c) {
                      return Respond(notifier.MarkAllRead(c.principal.user_id), 200,
                                     [](int64_t marked) {
                                       return json{{"marked", marked}};
                                     });
                    }});
}

}  // namespace parkhub::api
