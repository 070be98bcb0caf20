// Shared facilities: the resource catalogue, rules and training, quotes, bookings and their
// actions, free/busy and the iCalendar feed.
#include <set>
#include <type_traits>

#include "api/api.h"
#include "api/handler_util.h"
#include "facilities/local_time.h"

namespace parkhub::api {
namespace {

using facilities::FormatInLocal;
using facilities::ParseInstant;

json ResourceToJson(const facilities::Resource& r) {
  const auto& rules = r.rules;
  return {{"id", r.id},
          {"owner", NamedRef(r.owner_id, r.owner_names)},
          {"kind", r.kind},
          {"names", ToJson(registry::Names{r.name_zh, r.name_zh_hant, r.name_en})},
          {"name_zh", r.name_zh},
          {"name_zh_hant", r.name_zh_hant},
          {"name_en", r.name_en},
          {"description", r.description},
          {"location", r.location},
          {"time_zone", r.time_zone},
          {"currency", r.currency},
          {"hourly_prices", r.hourly_prices},
          {"specifications", r.specifications},
          {"rules",
           {{"capacity", rules.capacity},
            {"approval_mode", rules.approval_mode},
            {"training_required", rules.training_required},
            {"min_minutes", rules.min_minutes},
            {"max_minutes", rules.max_minutes},
            {"granularity_minutes", rules.granularity_minutes},
            {"setup_minutes", rules.setup_minutes},
            {"cleanup_minutes", rules.cleanup_minutes},
            {"horizon_days", rules.horizon_days},
            {"lead_minutes", rules.lead_minutes},
            {"allowed_regions", rules.allowed_regions},
            {"allowed_categories", rules.allowed_categories},
            {"quota_period", rules.quota_period},
            {"user_quota_minutes", rules.user_quota_minutes},
            {"org_quota_minutes", rules.org_quota_minutes}}},
          {"created_at", r.created_at}};
}

json QuoteToJson(const facilities::Quote& q) {
  return {{"category", q.category}, {"hourly_minor", q.hourly_minor}, {"total_minor", q.total_minor},
          {"currency", q.currency}, {"minutes", q.minutes},           {"units", q.units}};
}

json BookingToJson(const facilities::Booking& b) {
  json history = HistoryToJson(b.history);
  json out = {{"id", b.id},
              {"resource", NamedRef(b.resource_id, b.resource_names)},
              {"user", b.user},
              {"organization_id", b.organization_id},
              {"state", facilities::BookingStateName(b.state)},
              {"starts_at", FormatUtc(FromUnixSeconds(b.starts_at))},
              {"ends_at", FormatUtc(FromUnixSeconds(b.ends_at))},
              {"time_zone", b.time_zone},
              {"starts_at_local", FormatInLocal(b.starts_at, b.time_zone)},
              {"ends_at_local", FormatInLocal(b.ends_at, b.time_zone)},
              {"units", b.units},
              {"price", QuoteToJson(b.price)},
              {"purpose", b.purpose},
              {"history", history},
              {"created_at", b.created_at}};
  if (b.hold_expires_at) out["hold_expires_at"] = FormatUtc(FromUnixSeconds(*b.hold_expires_at));
  return out;
}

json BookingsToJson(const std::vector<facilities::Booking>& bookings) {
  json items = json::array();
  for (const auto& b : bookings) items.push_back(BookingToJson(b));
  return {{"items", items}, {"total", items.size()}};
}

json BookingPageToJson(const db::Page<facilities::Booking>& page) {
  return PageToJson(page, BookingToJson);
}

// The query of a list of bookings: state, sort (`default_sort` when absent), from and to (RFC
// 3339), limit, offset.
Result<facilities::BookingListQuery> ReadBookingListQuery(const http::HttpRequest& request,
                                                          const std::string& default_sort) {
  RETURN_IF_ERROR(CheckQueryParams(request, {"state", "sort", "from", "to", "limit", "offset"}));
  facilities::BookingListQuery query;
  for (const char* bound : {"from", "to"}) {
    if (!request.query.count(bound)) continue;
    auto instant = ParseInstant(StringQuery(request, bound));
    if (!instant) {
      return Status::Invalid(bound, "must be RFC 3339 with an offset", "bad_format",
                             {{"format", "date_time"}});
    }
    std::optional<int64_t>& target = std::string_view(bound) == "from" ? query.from : query.to;
    target = *instant;
  }
  query.state = StringQuery(request, "state");
  query.sort = request.query.count("sort") ? StringQuery(request, "sort") : default_sort;
  RETURN_IF_ERROR(ReadPaging(request, 50, query));
  return query;
}

// Reads an RFC 3339 instant with an explicit offset; records a field error otherwise.
int64_t ReadInstant(BodyReader& reader, const std::string& field, FieldErrors& errors) {
  auto text = reader.String(field, true);
  if (!text) return 0;
  auto instant = ParseInstant(*text);
  if (!instant) {
    errors.Add(field, "must be RFC 3339 with an offset, e.g. 2026-12-01T09:00:00+08:00",
               "bad_format", {{"format", "date_time"}});
    return 0;
  }
  return *instant;
}

Result<facilities::BookingRequest> ReadBookingRequest(const http::HttpRequest& request) {
  ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
  BodyReader reader(body, {"resource_id", "organization_id", "starts_at", "ends_at", "units",
                           "purpose", "idempotency_key", "hold"});
  FieldErrors errors;
  facilities::BookingRequest out;
  out.resource_id = reader.String("resource_id", true).value_or("");
  out.organization_id = reader.String("organization_id", true).value_or("");
  out.starts_at = ReadInstant(reader, "starts_at", errors);
  out.ends_at = ReadInstant(reader, "ends_at", errors);
  out.units = static_cast<int>(std::clamp<int64_t>(reader.Integer("units").value_or(1), -1, 1'000'000));
  out.purpose = reader.String("purpose").value_or("");
  out.idempotency_key = request.Header("idempotency-key");
  if (auto key = reader.String("idempotency_key")) out.idempotency_key = *key;
  auto hold = body.find("hold");
  if (hold != body.end() && !hold->is_boolean()) {
    errors.Add("hold", "must be true or false", "wrong_type", {{"expected", "boolean"}});
  }
  out.hold = hold != body.end() && hold->is_boolean() && hold->get<bool>();
  RETURN_IF_ERROR(reader.Finish());
  RETURN_IF_ERROR(errors.ToStatus());
  return out;
}

const std::vector<std::string>& EditableResourceFields() {
  static const std::vector<std::string> kFields = {"kind",
                                                   "name_zh",
                                                   "name_zh_hant",
                                                   "name_en",
                                                   "description",
                                                   "location",
                                                   "time_zone",
                                                   "currency",
                                                   "capacity",
                                                   "approval_mode",
                                                   "training_required",
                                                   "min_minutes",
                                                   "max_minutes",
                                                   "granularity_minutes",
                                                   "setup_minutes",
                                                   "cleanup_minutes",
                                                   "horizon_days",
                                                   "lead_minutes",
                                                   "allowed_regions",
                                                   "allowed_categories",
                                                   "hourly_prices",
                                                   "quota_period",
                                                   "user_quota_minutes",
                                                   "org_quota_minutes",
                                                   "specifications"};
  return kFields;
}

// A resource in the shape POST takes (its owner and editable fields): what a PATCH merges into.
json EditableResourceJson(const facilities::Resource& r) {
  json out = ResourceToJson(r);
  json flat = {{"owner_id", r.owner_id}};
  for (const auto& field : EditableResourceFields()) {
    if (out.contains(field)) {
      flat[field] = out[field];
    } else {
      flat[field] = out["rules"][field];
    }
  }
  return flat;
}

// The JSON object at `field` as name -> value; a missing field is empty, a wrong shape or
// value type one field error.
template <typename T>
std::map<std::string, T> ReadObject(const json& body, const char* field, const char* not_object,
                                    const char* bad_value, FieldErrors& errors) {
  std::map<std::string, T> out;
  auto object = body.find(field);
  if (object == body.end()) return out;
  if (!object->is_object()) {
    errors.Add(field, not_object, "wrong_type", {{"expected", "object"}});
    return out;
  }
  for (const auto& [name, value] : object->items()) {
    bool fits = std::is_same_v<T, std::string> ? value.is_string() : value.is_number_integer();
    if (!fits) {
      errors.Add(field, bad_value, "wrong_type",
                 {{"expected", std::is_same_v<T, std::string> ? "string" : "integer"}});
      return out;
    }
    out[name] = value.template get<T>();
  }
  return out;
}

Result<facilities::NewResource> ReadResource(const json& body) {
  std::set<std::string> allowed(EditableResourceFields().begin(), EditableResourceFields().end());
  allowed.insert("owner_id");
  BodyReader reader(body, std::move(allowed));
  facilities::NewResource r;
  r.owner_id = reader.String("owner_id", true).value_or("");
  r.kind = reader.String("kind", true).value_or("");
  r.name_zh = reader.String("name_zh").value_or("");
  r.name_zh_hant = reader.String("name_zh_hant").value_or("");
  r.name_en = reader.String("name_en").value_or("");
  r.description = reader.String("description").value_or("");
  r.location = reader.String("location").value_or("");
  r.time_zone = reader.String("time_zone", true).value_or("");
  r.currency = reader.String("currency").value_or("CNY");
  auto& rules = r.rules;
  auto integer = [&](const char* field, int fallback) {
    return static_cast<int>(std::clamp<int64_t>(reader.Integer(field).value_or(fallback), -1, 1'000'000'000));
  };
  rules.capacity = integer("capacity", 1);
  rules.approval_mode = reader.String("approval_mode").value_or("automatic");
  rules.min_minutes = integer("min_minutes", 30);
  rules.max_minutes = integer("max_minutes", 480);
  rules.granularity_minutes = integer("granularity_minutes", 30);
  rules.setup_minutes = integer("setup_minutes", 0);
  rules.cleanup_minutes = integer("cleanup_minutes", 0);
  rules.horizon_days = integer("horizon_days", 90);
  rules.lead_minutes = integer("lead_minutes", 0);
  rules.quota_period = reader.String("quota_period").value_or("month");
  rules.user_quota_minutes = integer("user_quota_minutes", 0);
  rules.org_quota_minutes = integer("org_quota_minutes", 0);
  rules.allowed_regions = reader.StringList("allowed_regions").value_or(std::vector<std::string>{});
  rules.allowed_categories =
      reader.StringList("allowed_categories").value_or(std::vector<std::string>{});
  FieldErrors errors;
  auto training = body.find("training_required");
  if (training != body.end() && !training->is_boolean()) {
    errors.Add("training_required", "must be true or false", "wrong_type",
               {{"expected", "boolean"}});
  }
  rules.training_required = training != body.end() && training->is_boolean() && training->get<bool>();
  r.specifications = ReadObject<std::string>(body, "specifications",
                                             "must be an object of names to text values",
                                             "values are text", errors);
  r.hourly_prices = ReadObject<int64_t>(body, "hourly_prices",
                                        "must be an object of category to minor units per hour",
                                        "amounts are integers in minor units", errors);
  RETURN_IF_ERROR(reader.Finish());
  RETURN_IF_ERROR(errors.ToStatus());
  return r;
}

}  // namespace

json UtilisationToJson(const facilities::Utilisation& u) {
  json out = {{"id", u.subject_id},
              {"bookings", u.bookings},
              {"booked_hours", u.booked_hours},
              {"used_hours", u.used_hours},
              {"external_hours", u.external_hours},
              {"hk_macao_hours", u.hk_macao_hours},
              {"external_share", u.external_share()},
              {"hk_macao_share", u.hk_macao_share()}};
  if (!u.subject_names.empty()) out["names"] = ToJson(u.subject_names);
  if (!u.resources.empty()) {
    out["resources"] = json::array();
    for (const auto& part : u.resources) out["resources"].push_back(UtilisationToJson(part));
  }
  return out;
}

// from/to query parameters as RFC 3339 instants.
Result<std::pair<int64_t, int64_t>> Window(const http::HttpRequest& request) {
  RETURN_IF_ERROR(CheckQueryParams(request, {"from", "to"}));
  auto from = ParseInstant(StringQuery(request, "from"));
  auto to = ParseInstant(StringQuery(request, "to"));
  if (!from) {
    return Status::Invalid("from", "must be RFC 3339 with an offset", "bad_format",
                           {{"format", "date_time"}});
  }
  if (!to) {
    return Status::Invalid("to", "must be RFC 3339 with an offset", "bad_format",
                           {{"format", "date_time"}});
  }
  return std::make_pair(*from, *to);
}

void AddFacilityReportRoutes(RouteTable& routes, facilities::FacilityReports& reports) {
  routes.push_back({"GET", "/api/v1/organizations/{id}/statements/{month}", Access::kSignedIn,
                    BodyKind::kNone, [&reports](RequestContext& c) {
    if (Status s = CheckQueryParams(c.request, {"format"}); !s.ok()) return Problem(s);
    std::string format = StringQuery(c.request, "format");
    if (format.empty()) format = "json";
    if (format != "json" && format != "csv" && format != "xlsx") {
      return Problem(Status::Invalid("format", "json, csv or xlsx", "not_one_of",
                                     {{"allowed", {"json", "csv", "xlsx"}}}));
    }
    auto statement = reports.MonthlyStatement(c.principal, c.request.Param("id"), c.request.Param("month"));
    if (!statement.ok()) return Problem(statement.status());
    std::string filename = "statement-" + statement->month;
    if (format == "csv") {
      auto response = http::HttpResponse::Text(200, facilities::StatementCsv(*statement), "text/csv; charset=utf-8");
      response.SetHeader("Content-Disposition", "attachment; filename=\"" + filename + ".csv\"");
      return response;
    }
    if (format == "xlsx") {
      auto bytes = facilities::StatementXlsx(*statement);
      if (!bytes.ok()) return Problem(bytes.status());
      auto response = http::HttpResponse::Text(
          200, *bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      response.SetHeader("Content-Disposition", "attachment; filename=\"" + filename + ".xlsx\"");
      return response;
    }
    json lines = json::array();
    for (const auto& l : statement->lines) {
      lines.push_back({{"booking_id", l.booking_id},
                       {"resource", {{"names", ToJson(l.resource_names)}}},
                       {"user", l.user},
                       {"state", l.state},
                       {"starts_at", FormatUtc(FromUnixSeconds(l.starts_at))},
                       {"ends_at", FormatUtc(FromUnixSeconds(l.ends_at))},
                       {"time_zone", l.time_zone},
                       {"starts_at_local", l.starts_at_local},
                       {"ends_at_local", l.ends_at_local},
                       {"hours", l.hours},
                       {"category", l.category},
                       {"amount_minor", l.amount_minor},
                       {"currency", l.currency}});
    }
    return http::HttpResponse::Json(
        200, {{"organization", NamedRef(statement->organization_id, statement->organization_names)},
              {"month", statement->month},
              {"lines", lines},
              {"totals_minor", statement->totals_minor}});
  }});
  routes.push_back({"GET", "/api/v1/resources/{id}/utilisation", Access::kSignedIn, BodyKind::kNone,
                    [&reports](RequestContext& c) {
    auto window = Window(c.request);
    if (!window.ok()) return Problem(window.status());
    return Respond(reports.ResourceUtilisation(c.principal, c.request.Param("id"), window->first, window->second),
                   200, UtilisationToJson);
  }});
  routes.push_back({"GET", "/api/v1/parks/{id}/utilisation", Access::kSignedIn, BodyKind::kNone,
                    [&reports](RequestContext& c) {
                      auto window = Window(c.request);
                      if (!window.ok()) return Problem(window.status());
                      return Respond(reports.ParkUtilisation(c.principal, c.request.Param("id"),
                                                             window->first, window->second),
                                     200, UtilisationToJson);
                    }});
  routes.push_back({"GET", "/api/v1/organizations/{id}/utilisation", Access::kSignedIn, BodyKind::kNone,
                    [&reports](RequestContext& c) {
    auto window = Window(c.request);
    if (!window.ok()) return Problem(window.status());
    return Respond(reports.OwnerUtilisation(c.principal, c.request.Param("id"), window->first, window->second),
                   200, UtilisationToJson);
  }});
}

void AddFacilityRoutes(RouteTable& routes, facilities::FacilityService& service,
                       facilities::FacilityReports& reports) {
  AddFacilityReportRoutes(routes, reports);
  routes.push_back({"POST", "/api/v1/resources/{id}/waitlist", Access::kSignedIn, BodyKind::kJson,
                    [&service](RequestContext& c) {
    auto body = ParseJsonObject(c.request);
    if (!body.ok()) return Problem(body.status());
    BodyReader reader(*body, {"starts_at", "ends_at"});
    FieldErrors errors;
    int64_t starts = ReadInstant(reader, "starts_at", errors);
    int64_t ends = ReadInstant(reader, "ends_at", errors);
    if (Status s = reader.Finish(); !s.ok()) return Problem(s);
    if (Status s = errors.ToStatus(); !s.ok()) return Problem(s);
    return Respond(service.JoinWaitlist(c.principal, c.request.Param("id"), starts, ends), 201,
                   [](const std::string& id) { return json{{"id", id}}; });
  }});
  routes.push_back({"GET", "/api/v1/resources", Access::kPublic, BodyKind::kNone, [&service](RequestContext& c) {
    if (Status s = CheckQueryParams(c.request, {"kind", "owner", "q"}); !s.ok()) return Problem(s);
    return Respond(service.ListResources(StringQuery(c.request, "kind"), StringQuery(c.request, "owner"),
                                         StringQuery(c.request, "q")),
                   200,
                   [](const std::vector<facilities::Resource>& list) {
                     json items = json::array();
                     for (const auto& r : list) items.push_back(ResourceToJson(r));
                     return json{{"items", items}, {"total", items.size()}};
                   });
  }});
  routes.push_back({"POST", "/api/v1/resources", Access::kSignedIn, BodyKind::kJson, [&service](RequestContext& c) {
    auto body = ParseJsonObject(c.request);
    if (!body.ok()) return Problem(body.status());
    auto input = ReadResource(*body);
    if (!input.ok()) return Problem(input.status());
    return Respond(service.CreateResource(c.principal, *input), 201, [](const facilities::CreatedResource& r) {
      json out = ResourceToJson(r.resource);
      out["calendar_url"] = "/api/v1/resources/" + r.resource.id + "/calendar.ics?token=" + r.calendar_token;
      return out;
    });
  }});
  routes.push_back({"GET", "/api/v1/resources/{id}", Access::kPublic, BodyKind::kNone, [&service](RequestContext& c) {
    auto resource = service.GetResource(c.request.Param("id"));
    if (!resource.ok()) return Problem(resource.status());
    auto blackouts = service.ListBlackouts(c.request.Param("id"));
    if (!blackouts.ok()) return Problem(blackouts.status());
    json out = ResourceToJson(*resource);
    out["blackouts"] = json::array();
    for (const auto& b : *blackouts) {
      out["blackouts"].push_back({{"starts_at", FormatUtc(FromUnixSeconds(b.starts_at))},
                                  {"ends_at", FormatUtc(FromUnixSeconds(b.ends_at))},
                                  {"reason", b.reason}});
    }
    return http::HttpResponse::Json(200, out);
  }});
  // A JSON merge patch (RFC 7396) over the editable fields, checked like a new resource.
  routes.push_back({"PATCH", "/api/v1/resources/{id}", Access::kSignedIn, BodyKind::kJson, [&service](RequestContext& c) {
    auto patch = ParseJsonObject(c.request);
    if (!patch.ok()) return Problem(patch.status());
    auto current = service.GetResource(c.request.Param("id"));
    if (!current.ok()) return Problem(current.status());
    json merged = EditableResourceJson(*current);
    for (const auto& [field, value] : patch->items()) {
      if (field == "owner_id") {
        return Problem(Status::Invalid("owner_id", "a resource keeps its owner", "unchangeable"));
      }
      if (!merged.contains(field)) {
        return Problem(Status::Invalid(field, "unknown or read-only field", "unknown_field"));
      }
      if (value.is_null()) {
        return Problem(Status::Invalid(field, "cannot be removed; send a value", "unchangeable"));
      }
      merged[field] = value;
    }
    auto input = ReadResource(merged);
    if (!input.ok()) return Problem(input.status());
    return Respond(service.UpdateResource(c.principal, c.request.Param("id"), *input), 200, ResourceToJson);
  }});
  routes.push_back({"POST", "/api/v1/resources/{id}/blackouts", Access::kSignedIn, BodyKind::kJson,
                    [&service](RequestContext& c) {
    auto body = ParseJsonObject(c.request);
    if (!body.ok()) return Problem(body.status());
    BodyReader reader(*body, {"starts_at", "ends_at", "reason"});
    FieldErrors errors;
    facilities::Blackout blackout{ReadInstant(reader, "starts_at", errors), ReadInstant(reader, "ends_at", errors),
                                  reader.String("reason").value_or("")};
    if (Status s = reader.Finish(); !s.ok()) return Problem(s);
    if (Status s = errors.ToStatus(); !s.ok()) return Problem(s);
    if (Status s = service.AddBlackout(c.principal, c.request.Param("id"), blackout); !s.ok()) return Problem(s);
    return http::HttpResponse::Json(201, {{"status", "added"}});
  }});
  routes.push_back({"POST", "/api/v1/resources/{id}/qualifications", Access::kSignedIn, BodyKind::kJson,
                    [&service](RequestContext& c) {
    auto body = ParseJsonObject(c.request);
    if (!body.ok()) return Problem(body.status());
    BodyReader reader(*body, {"username", "expires_at"});
    FieldErrors errors;
    auto username = reader.String("username", true).value_or("");
    int64_t expires = ReadInstant(reader, "expires_at", errors);
    if (Status s = reader.Finish(); !s.ok()) return Problem(s);
    if (Status s = errors.ToStatus(); !s.ok()) return Problem(s);
    Status s = service.GrantQualification(c.principal, c.request.Param("id"), username, expires);
    if (!s.ok()) return Problem(s);
    return http::HttpResponse::Json(201, {{"username", username}, {"expires_at", FormatUtc(FromUnixSeconds(expires))}});
  }});
  routes.push_back({"GET", "/api/v1/resources/{id}/busy", Access::kPublic, BodyKind::kNone, [&service](RequestContext& c) {
    if (Status s = CheckQueryParams(c.request, {"from", "to"}); !s.ok()) return Problem(s);
    auto from = ParseInstant(StringQuery(c.request, "from"));
    auto to = ParseInstant(StringQuery(c.request, "to"));
    if (!from || !to) {
      return Problem(Status::Invalid(from ? "to" : "from", "must be RFC 3339 with an offset",
                                     "bad_format", {{"format", "date_time"}}));
    }
    auto resource = service.GetResource(c.request.Param("id"));
    if (!resource.ok()) return Problem(resource.status());
    auto blocks = service.BusyBlocks(c.request.Param("id"), *from, *to);
    if (!blocks.ok()) return Problem(blocks.status());
    json items = json::array();
    for (const auto& [start, end] : *blocks) {
      items.push_back({{"starts_at", FormatUtc(FromUnixSeconds(start))}, {"ends_at", FormatUtc(FromUnixSeconds(end))},
                       {"starts_at_local", FormatInLocal(start, resource->time_zone)},
                       {"ends_at_local", FormatInLocal(end, resource->time_zone)}});
    }
    return http::HttpResponse::Json(200, {{"time_zone", resource->time_zone}, {"busy", items}});
  }});
  routes.push_back({"GET", "/api/v1/resources/{id}/calendar.ics", Access::kPublic, BodyKind::kNone,
                    [&service](RequestContext& c) {
    if (Status s = CheckQueryParams(c.request, {"token"}); !s.ok()) return Problem(s);
    auto feed = service.CalendarFeed(c.request.Param("id"), StringQuery(c.request, "token"));
    if (!feed.ok()) return Problem(feed.status());
    return http::HttpResponse::Text(200, *feed, "text/calendar; charset=utf-8");
  }});
  routes.push_back({"POST", "/api/v1/bookings/calendar-token", Access::kSignedIn, BodyKind::kNone,
                    [&service](RequestContext& c) {
    return Respond(service.IssueUserCalendarToken(c.principal), 201, [](const std::string& token) {
      return json{{"calendar_url", "/api/v1/calendars/bookings.ics?token=" + token}};
    });
  }});
  routes.push_back({"GET", "/api/v1/calendars/bookings.ics", Access::kPublic, BodyKind::kNone,
                    [&service](RequestContext& c) {
    if (Status s = CheckQueryParams(c.request, {"token"}); !s.ok()) return Problem(s);
    auto feed = service.UserCalendarFeed(StringQuery(c.request, "token"));
    if (!feed.ok()) return Problem(feed.status());
    return http::HttpResponse::Text(200, *feed, "text/calendar; charset=utf-8");
  }});
  routes.push_back({"POST", "/api/v1/bookings/quote", Access::kSignedIn, BodyKind::kJson, [&service](RequestContext& c) {
    auto request = ReadBookingRequest(c.request);
    if (!request.ok()) return Problem(request.status());
    return Respond(service.QuoteBooking(c.principal, *request), 200, QuoteToJson);
  }});
  // Asynchronous: the worker thread is given back while the booking waits for its group commit.
  routes.push_back({"POST", "/api/v1/bookings", Access::kSignedIn, BodyKind::kJson, nullptr,
                    [&service](RequestContext& c, http::Responder reply) {
    auto request = ReadBookingRequest(c.request);
    if (!request.ok()) return reply(Problem(request.status()));
    service.CreateBookingAsync(c.principal, *request, [reply](Result<facilities::Booking> booking) {
      reply(Respond(booking, 201, BookingToJson));
    });
  }});
  routes.push_back({"POST", "/api/v1/bookings/series", Access::kSignedIn, BodyKind::kJson, [&service](RequestContext& c) {
    auto body = ParseJsonObject(c.request);
    if (!body.ok()) return Problem(body.status());
    // The series fields travel beside the first occurrence's booking fields.
    json first = *body;
    first.erase("rrule");
    first.erase("skip_conflicts");
    http::HttpRequest inner = c.request;
    inner.body = first.dump();
    auto request = ReadBookingRequest(inner);
    if (!request.ok()) return Problem(request.status());
    auto rrule = body->find("rrule");
    if (rrule == body->end() || !rrule->is_string()) return Problem(Status::Invalid("rrule", "required string", "required"));
    auto skip = body->find("skip_conflicts");
    if (skip != body->end() && !skip->is_boolean()) {
      return Problem(Status::Invalid("skip_conflicts", "must be true or false", "wrong_type",
                                     {{"expected", "boolean"}}));
    }
    bool skip_conflicts = skip != body->end() && skip->get<bool>();
    return Respond(service.CreateSeries(c.principal, *request, rrule->get<std::string>(), skip_conflicts), 201,
                   [](const facilities::SeriesResult& series) {
                     json skipped = json::array();
                     for (const auto& s : series.skipped) {
                       skipped.push_back({{"starts_at", FormatUtc(FromUnixSeconds(s.starts_at))}, {"reason", s.reason}});
                     }
                     return json{{"booked", BookingsToJson(series.booked)["items"]}, {"skipped", skipped}};
                   });
  }});
  routes.push_back({"GET", "/api/v1/bookings", Access::kSignedIn, BodyKind::kNone,
                    [&service](RequestContext& c) {
                      auto query = ReadBookingListQuery(c.request, "-starts_at");
                      if (!query.ok()) return Problem(query.status());
                      return Respond(service.ListMyBookings(c.principal, *query), 200,
                                     BookingPageToJson);
                    }});
  routes.push_back({"GET", "/api/v1/qualifications/expiring", Access::kSignedIn, BodyKind::kNone,
                    [&service](RequestContext& c) {
                      if (Status s = CheckQueryParams(c.request, {"days"}); !s.ok())
                        return Problem(s);
                      auto days = IntQuery(c.request, "days", 30);
                      if (!days.ok()) return Problem(days.status());
                      return Respond(
                          service.ExpiringQualifications(c.principal, *days), 200,
                          [](const std::vector<facilities::Qualification>& list) {
                            json items = json::array();
                            for (const auto& q : list) {
                              items.push_back(
                                  {{"user", q.user},
                                   {"resource", NamedRef(q.resource_id, q.resource_names)},
                                   {"expires_at", FormatUtc(FromUnixSeconds(q.expires_at))},
                                   {"mine", q.mine}});
                            }
                            return json{{"items", items}, {"total", items.size()}};
                          });
                    }});
  routes.push_back({"GET", "/api/v1/bookings/approvals", Access::kSignedIn, BodyKind::kNone,
                    [&service](RequestContext& c) {
                      auto query = ReadBookingListQuery(c.request, "starts_at");
                      if (!query.ok()) return Problem(query.status());
                      return Respond(service.ListPendingApprovals(c.principal, *query), 200,
                                     BookingPageToJson);
                    }});
  routes.push_back({"GET", "/api/v1/bookings/{id}", Access::kSignedIn, BodyKind::kNone, [&service](RequestContext& c) {
    return Respond(service.GetBooking(c.principal, c.request.Param("id")), 200, BookingToJson);
  }});
  routes.push_back({"POST", "/api/v1/bookings/{id}/actions", Access::kSignedIn, BodyKind::kJson, [&service](RequestContext& c) {
    auto body = ParseJsonObject(c.request);
    if (!body.ok()) return Problem(body.status());
    BodyReader reader(*body, {"action", "note"});
    auto action = reader.String("action", true).value_or("");
    auto note = reader.String("note").value_or("");
    if (Status s = reader.Finish(); !s.ok()) return Problem(s);
    auto parsed = facilities::ParseBookingAction(action);
    if (!parsed) return Problem(Status::Invalid("action", "unknown action", "not_one_of"));
    return Respond(service.Act(c.principal, c.request.Param("id"), *parsed, note), 200, BookingToJson);
  }});
  routes.push_back({"POST", "/api/v1/facility-users/{username}/lift-no-show-block", Access::kSignedIn,
                    BodyKind::kNone, [&service](RequestContext& c) {
    Status s = service.LiftNoShowBlock(c.principal, c.request.Param("username"));
    if (!s.ok()) return Problem(s);
    return http::HttpResponse::Json(200, {{"status", "lifted"}});
  }});
}

}  // namespace parkhub::api
