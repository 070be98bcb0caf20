// The innovation-resource exchange: listings, search and matches, saved searches,
// introductions and deals.
#include "api/api.h"
#include "api/handler_util.h"
#include "core/json_writer.h"
#include "core/strings.h"

namespace parkhub::api {
namespace {

using exchange::ExchangeService;

// Listings and search pages are written straight to text (JsonWriter): a search page is the
// API's most frequent large response.
void WriteNames(JsonWriter& w, const registry::Names& names) {
  w.Key("names")
      .BeginObject()
      .Key("zh_hans")
      .String(names.zh_hans)
      .Key("zh_hant")
      .String(names.zh_hant)
      .Key("en")
      .String(names.en)
      .EndObject();
}

void WriteListing(JsonWriter& w, const exchange::Listing& l) {
  auto string_or_null = [&w](const std::string& value) { value.empty() ? w.Null() : w.String(value); };
  w.BeginObject()
      .Key("id")
      .String(l.id)
      .Key("kind")
      .String(l.kind)
      .Key("owner")
      .BeginObject()
      .Key("id")
      .String(l.owner_id);
  WriteNames(w, l.owner_names);
  w.Key("region")
      .String(l.owner_region)
      .EndObject()
      .Key("state")
      .String(l.state)
      .Key("visibility")
      .String(l.visibility)
      .Key("title")
      .String(l.title)
      .Key("summary")
      .String(l.summary)
      .Key("keywords")
      .Strings(l.keywords)
      .Key("people")
      .Strings(l.people)
      .Key("discipline")
      .String(l.discipline)
      .Key("tags")
      .Strings(l.tags)
      .Key("trl")
      .Int(l.trl)
      .Key("published_at");
  string_or_null(l.published_at);
  w.Key("expires_at");
  string_or_null(l.expires_at);
  if (!l.created_at.empty()) {  // a full record, not a search hit
    w.Key("author").String(l.author)
        .Key("audience").Strings(l.audience)
        .Key("details").Json(l.details)
        .Key("version").Int(l.version)
        .Key("created_at").String(l.created_at)
        .Key("updated_at").String(l.updated_at)
        .Key("history").Json(HistoryToJson(l.history))
        .Key("editable").Bool(l.editable);
    if (!l.person_id.empty()) {
      w.Key("person").BeginObject().Key("id").String(l.person_id);
      WriteNames(w, l.person_names);
      w.EndObject();
    }
  }
  w.EndObject();
}

void WritePage(JsonWriter& w, const exchange::SearchPage& page) {
  w.BeginObject().Key("items").BeginArray();
  for (const auto& hit : page.items) {
    w.BeginObject().Key("listing");
    WriteListing(w, hit.listing);
    w.Key("score").Double(hit.score)
        .Key("title_html").String(hit.title_html)
        .Key("snippet_html").String(hit.snippet_html)
        .Key("why").BeginObject()
        .Key("text_score").Double(hit.why.text_score)
        .Key("matched").BeginObject();
    for (const auto& [field, words] : hit.why.matched) w.Key(field).Strings(words);
    w.EndObject().Key("translations").BeginArray();
    for (const auto& t : hit.why.translations) {
      w.BeginObject().Key("query_word").String(t.query_word);
      w.Key("listing_words").Strings(t.listing_words).EndObject();
    }
    w.EndArray().Key("signals").BeginArray();
    for (const auto& s : hit.why.signals) {
      w.BeginObject().Key("name").String(s.name).Key("factor").Double(s.factor).Key("params");
      w.BeginObject();
      for (const auto& [key, value] : s.params.items()) {
        w.Key(key);
        if (value.is_string()) {
          w.String(value.get<std::string>());
        } else {
          w.Int(value.get<int64_t>());
        }
      }
      w.EndObject().EndObject();
    }
    w.EndArray().EndObject().EndObject();
  }
  w.EndArray().Key("total").Int(static_cast<int64_t>(page.total))
      .Key("total_exact").Bool(page.total_exact)
      .Key("facets").BeginObject();
  for (const auto& [name, values] : page.facets) {
    w.Key(name).BeginArray();
    for (const auto& v : values) {
      w.BeginObject().Key("value").String(v.value);
      if (!v.names.empty()) WriteNames(w, v.names);
      w.Key("count").Int(static_cast<int64_t>(v.count)).EndObject();
    }
    w.EndArray();
  }
  w.EndObject().Key("offset").Int(page.offset).Key("limit").Int(page.limit).EndObject();
}

json IntroductionToJson(const exchange::Introduction& i) {
  json out = {
      {"id", i.id},
      {"listing", {{"id", i.listing_id}, {"title", i.listing_title}, {"kind", i.listing_kind}}},
      {"requester",
       {{"organization", NamedRef(i.requester_org_id, i.requester_org_names)},
        {"user", i.requester}}},
      {"owner", NamedRef(i.owner_org_id, i.owner_org_names)},
      {"state", i.state},
      {"message", i.message},
      {"reason", i.reason},
      {"deal", nullptr},
      {"history", HistoryToJson(i.history)},
      {"created_at", i.created_at},
      {"updated_at", i.updated_at}};
  if (i.deal) {
    out["deal"] = {{"id", i.deal->id},         {"kind", i.deal->kind},
                   {"stage", i.deal->stage},   {"value_minor", i.deal->value_minor},
                   {"currency", i.deal->currency}, {"created_at", i.deal->created_at},
                   {"updated_at", i.deal->updated_at}};
    if (!i.deal->cross_border_direction.empty()) {
      out["deal"]["cross_border_direction"] = i.deal->cross_border_direction;
    }
  }
  return out;
}

Result<exchange::ListingInput> ReadListing(const json& body) {
  BodyReader reader(body, {"kind", "owner_id", "visibility", "audience", "title", "summary",
                           "keywords", "people", "discipline", "tags", "trl", "person_id", "details",
                           "expires_at"});
  exchange::ListingInput in;
  in.kind = reader.String("kind");
  in.owner_id = reader.String("owner_id");
  in.visibility = reader.String("visibility");
  in.audience = reader.StringList("audience");
  in.title = reader.String("title");
  in.summary = reader.String("summary");
  in.keywords = reader.StringList("keywords");
  in.people = reader.StringList("people");
  in.discipline = reader.String("discipline");
  in.tags = reader.StringList("tags");
  in.trl = reader.Integer("trl");
  in.person_id = reader.String("person_id");
  in.expires_at = reader.String("expires_at");
  FieldErrors errors;
  auto details = body.find("details");
  if (details != body.end() && !details->is_null()) {
    if (details->is_object()) {
      in.details = *details;
    } else {
      errors.Add("details", "must be an object", "wrong_type", {{"expected", "object"}});
    }
  }
  RETURN_IF_ERROR(reader.Finish());
  RETURN_IF_ERROR(errors.ToStatus());
  return in;
}

Result<exchange::SearchRequest> ReadSearch(const http::HttpRequest& request) {
  RETURN_IF_ERROR(CheckQueryParams(request, {"q", "kind", "organization", "region", "discipline",
                                             "tag", "trl_min", "trl_max", "offset", "limit", "facets"}));
  exchange::SearchRequest out;
  out.query = StringQuery(request, "q");
  for (const auto& kind : SplitJoined(StringQuery(request, "kind"), ',')) {
    if (!kind.empty()) out.filters.kinds.push_back(kind);
  }
  out.filters.organization = StringQuery(request, "organization");
  out.filters.region = StringQuery(request, "region");
  out.filters.discipline = StringQuery(request, "discipline");
  out.filters.tag = StringQuery(request, "tag");
  ASSIGN_OR_RETURN(out.filters.trl_min, IntQuery(request, "trl_min", 0));
  ASSIGN_OR_RETURN(out.filters.trl_max, IntQuery(request, "trl_max", 0));
  ASSIGN_OR_RETURN(out.offset, IntQuery(request, "offset", 0));
  ASSIGN_OR_RETURN(out.limit, IntQuery(request, "limit", 20));
  ASSIGN_OR_RETURN(out.facets, BoolQuery(request, "facets", false));
  RETURN_IF_ERROR(exchange::ValidateSearchRequest(out));
  return out;
}

// A search's fields from a JSON body, read by ReadSearch as if they were the query string.
Result<exchange::SearchRequest> ReadSearchBody(const http::HttpRequest& request) {
  ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
  http::HttpRequest as_query;
  for (const auto& [key, value] : body.items()) {
    if (value.is_string()) {
      as_query.query[key] = value.get<std::string>();
    } else if (value.is_number_integer() || value.is_boolean()) {
      as_query.query[key] = value.dump();
    } else if (key == "kind" && value.is_array()) {
      std::string kinds;
      for (const auto& kind : value) {
        if (!kind.is_string()) {
          return Status::Invalid("kind", "must be a list of kinds", "wrong_type",
                                 {{"expected", "list"}});
        }
        kinds += (kinds.empty() ? "" : ",") + kind.get<std::string>();
      }
      as_query.query[key] = kinds;
    } else {
      return Status::Invalid(key, "must be a string, a whole number or true/false", "wrong_type",
                             {{"expected", "scalar"}});
    }
  }
  return ReadSearch(as_query);
}

// Reads an optional JSON object body whose only fields are `known` strings.
Result<std::map<std::string, std::string>> ReadStrings(const http::HttpRequest& request,
                                                       const std::set<std::string>& known) {
  std::map<std::string, std::string> out;
  if (request.body.empty()) return out;
  ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
  BodyReader reader(body, known);
  for (const auto& field : known) out[field] = reader.String(field).value_or("");
  RETURN_IF_ERROR(reader.Finish());
  return out;
}

void AddListingRoutes(RouteTable& routes, ExchangeService& service) {
  routes.push_back({"POST", "/api/v1/exchange/listings", Access::kSignedIn, BodyKind::kJson,
                    [&service](RequestContext& c) {
    auto body = ParseJsonObject(c.request);
    if (!body.ok()) return Problem(body.status());
    auto input = ReadListing(*body);
    if (!input.ok()) return Problem(input.status());
    return RespondWritten(service.CreateListing(c.principal, *input), 201, WriteListing);
  }});
  routes.push_back({"GET", "/api/v1/parks/{id}/exchange-funnel", Access::kSignedIn, BodyKind::kNone,
                    [&service](RequestContext& c) {
                      return Respond(service.ParkFunnel(c.principal, c.request.Param("id")), 200,
                                     [](const exchange::ExchangeFunnel& f) {
                                       return json{{"results_published", f.results_published},
                                                   {"needs_published", f.needs_published},
                                                   {"introductions", f.introductions},
                                                   {"accepted", f.accepted},
                                                   {"deals", f.deals},
                                                   {"signed_deals", f.signed_deals}};
                                     });
                    }});
  routes.push_back({"GET", "/api/v1/exchange/listings", Access::kSignedIn, BodyKind::kNone,
                    [&service](RequestContext& c) {
                      if (Status s =
                              CheckQueryParams(c.request, {"state", "kind", "limit", "offset"});
                          !s.ok()) {
                        return Problem(s);
                      }
                      exchange::OwnListingQuery query;
                      query.state = StringQuery(c.request, "state");
                      query.kind = StringQuery(c.request, "kind");
                      if (Status s = ReadPaging(c.request, 50, query); !s.ok()) return Problem(s);
                      return RespondWritten(
                          service.ListOwnListings(c.principal, query), 200,
                          [](JsonWriter& w, const db::Page<exchange::Listing>& page) {
                            w.BeginObject().Key("items").BeginArray();
                            for (const auto& l : page.items) WriteListing(w, l);
                            w.EndArray().Key("total").Int(page.total).Key("limit").Int(page.limit);
                            w.Key("offset").Int(page.offset).EndObject();
                          });
                    }});
  routes.push_back({"GET", "/api/v1/exchange/listings/{id}", Access::kPublic, BodyKind::kNone,
                    [&service](RequestContext& c) {
    return RespondWritten(service.GetListing(c.principal, c.request.Param("id")), 200, WriteListing);
  }});
  routes.push_back({"PATCH", "/api/v1/exchange/listings/{id}", Access::kSignedIn, BodyKind::kJson,
                    [&service](RequestContext& c) {
    auto body = ParseJsonObject(c.request);
    if (!body.ok()) return Problem(body.status());
    auto input = ReadListing(*body);
    if (!input.ok()) return Problem(input.status());
    return RespondWritten(service.UpdateListing(c.principal, c.request.Param("id"), *input), 200,
                          WriteListing);
  }});
  for (const std::string action : {"publish", "close"}) {
    routes.push_back({"POST", "/api/v1/exchange/listings/{id}/" + action, Access::kSignedIn,
                      BodyKind::kJson, [&service, action](RequestContext& c) {
      auto body = ReadStrings(c.request, {"note"});
      if (!body.ok()) return Problem(body.status());
      const std::string& id = c.request.Param("id");
      return RespondWritten(action == "publish" ? service.PublishListing(c.principal, id, (*body)["note"])
                                                : service.CloseListing(c.principal, id, (*body)["note"]),
                            200, WriteListing);
    }});
  }
}

void AddSearchRoutes(RouteTable& routes, ExchangeService& service) {
  routes.push_back({"GET", "/api/v1/exchange/search", Access::kPublic, BodyKind::kNone,
                    [&service](RequestContext& c) {
    auto request = ReadSearch(c.request);
    if (!request.ok()) return Problem(request.status());
    return RespondWritten(service.Search(c.principal, *request), 200, WritePage);
  }});
  // The same search with a JSON body: a long Chinese query does not fit in a URL (each
  // character is nine bytes percent-encoded, and headers are capped at 16 KiB).
  routes.push_back({"POST", "/api/v1/exchange/search", Access::kPublic, BodyKind::kJson,
                    [&service](RequestContext& c) {
    auto request = ReadSearchBody(c.request);
    if (!request.ok()) return Problem(request.status());
    return RespondWritten(service.Search(c.principal, *request), 200, WritePage);
  }});
  for (const std::string which : {"matches", "similar"}) {
    routes.push_back({"GET", "/api/v1/exchange/listings/{id}/" + which, Access::kPublic,
                      BodyKind::kNone, [&service, which](RequestContext& c) {
      if (Status s = CheckQueryParams(c.request, {"kind", "offset", "limit"}); !s.ok()) return Problem(s);
      auto offset = IntQuery(c.request, "offset", 0);
      if (!offset.ok()) return Problem(offset.status());
      auto limit = IntQuery(c.request, "limit", 20);
      if (!limit.ok()) return Problem(limit.status());
      const std::string& id = c.request.Param("id");
      if (which == "similar") return RespondWritten(service.MoreLikeThis(c.principal, id, *offset, *limit), 200, WritePage);
      std::vector<std::string> kinds;
      for (const auto& kind : SplitJoined(StringQuery(c.request, "kind"), ',')) {
        if (!kind.empty()) kinds.push_back(kind);
      }
      return RespondWritten(service.Matches(c.principal, id, kinds, *offset, *limit), 200, WritePage);
    }});
  }
  routes.push_back({"POST", "/api/v1/exchange/saved-searches", Access::kSignedIn, BodyKind::kJson,
                    [&service](RequestContext& c) {
    auto body = ParseJsonObject(c.request);
    if (!body.ok()) return Problem(body.status());
    BodyReader reader(*body, {"name", "q", "kind", "organization", "region", "discipline", "tag",
                              "trl_min", "trl_max"});
    exchange::SearchRequest request;
    std::string name = reader.String("name", true).value_or("");
    request.query = reader.String("q").value_or("");
    request.filters.kinds = reader.StringList("kind").value_or(std::vector<std::string>{});
    request.filters.organization = reader.String("organization").value_or("");
    request.filters.region = reader.String("region").value_or("");
    request.filters.discipline = reader.String("discipline").value_or("");
    request.filters.tag = reader.String("tag").value_or("");
    request.filters.trl_min = reader.Integer("trl_min").value_or(0);
    request.filters.trl_max = reader.Integer("trl_max").value_or(0);
    if (Status s = reader.Finish(); !s.ok()) return Problem(s);
    return Respond(service.SaveSearch(c.principal, name, request), 201,
                   [](const exchange::SavedSearch& s) {
                     return json{{"id", s.id}, {"name", s.name}, {"q", s.query},
                                 {"filters", s.filters}, {"created_at", s.created_at}};
                   });
  }});
  routes.push_back({"GET", "/api/v1/exchange/saved-searches", Access::kSignedIn, BodyKind::kNone,
                    [&service](RequestContext& c) {
    return Respond(service.ListSavedSearches(c.principal), 200,
                   [](const std::vector<exchange::SavedSearch>& list) {
                     json items = json::array();
                     for (const auto& s : list) {
                       items.push_back({{"id", s.id}, {"name", s.name}, {"q", s.query},
                                        {"filters", s.filters}, {"created_at", s.created_at}});
                     }
                     return json{{"items", items}, {"total", items.size()}};
                   });
  }});
  routes.push_back({"DELETE", "/api/v1/exchange/saved-searches/{id}", Access::kSignedIn,
                    BodyKind::kNone, [&service](RequestContext& c) {
    Status s = service.DeleteSavedSearch(c.principal, c.request.Param("id"));
    if (!s.ok()) return Problem(s);
    return http::HttpResponse::Json(200, json{{"deleted", true}});
  }});
}

void AddIntroductionRoutes(RouteTable& routes, ExchangeService& service) {
  routes.push_back({"POST", "/api/v1/exchange/introductions", Access::kSignedIn, BodyKind::kJson,
                    [&service](RequestContext& c) {
    auto body = ReadStrings(c.request, {"listing_id", "organization_id", "message"});
    if (!body.ok()) return Problem(body.status());
    auto& fields = *body;
    FieldErrors errors;
    if (fields["listing_id"].empty()) errors.Add("listing_id", "is required", "required");
    if (fields["organization_id"].empty()) errors.Add("organization_id", "is required", "required");
    if (Status s = errors.ToStatus(); !s.ok()) return Problem(s);
    return Respond(service.RequestIntroduction(c.principal, fields["listing_id"],
                                               fields["organization_id"], fields["message"]),
                   201, IntroductionToJson);
  }});
  routes.push_back({"GET", "/api/v1/exchange/introductions", Access::kSignedIn, BodyKind::kNone,
                    [&service](RequestContext& c) {
                      if (Status s =
                              CheckQueryParams(c.request, {"side", "state", "limit", "offset"});
                          !s.ok()) {
                        return Problem(s);
                      }
                      exchange::IntroductionListQuery query;
                      query.side = StringQuery(c.request, "side");
                      query.state = StringQuery(c.request, "state");
                      if (Status s = ReadPaging(c.request, 50, query); !s.ok()) return Problem(s);
                      return Respond(service.ListIntroductions(c.principal, query), 200,
                                     [](const db::Page<exchange::Introduction>& page) {
                                       return PageToJson(page, IntroductionToJson);
                                     });
                    }});
  routes.push_back({"GET", "/api/v1/exchange/introductions/{id}", Access::kSignedIn,
                    BodyKind::kNone, [&service](RequestContext& c) {
    return Respond(service.GetIntroduction(c.principal, c.request.Param("id")), 200,
                   IntroductionToJson);
  }});
  for (const std::string answer : {"accept", "decline"}) {
    routes.push_back({"POST", "/api/v1/exchange/introductions/{id}/" + answer, Access::kSignedIn,
                      BodyKind::kJson, [&service, answer](RequestContext& c) {
      auto body = ReadStrings(c.request, {"reason"});
      if (!body.ok()) return Problem(body.status());
      return Respond(service.AnswerIntroduction(c.principal, c.request.Param("id"),
                                                answer == "accept", (*body)["reason"]),
                     200, IntroductionToJson);
    }});
  }
  routes.push_back({"POST", "/api/v1/exchange/introductions/{id}/deal", Access::kSignedIn,
                    BodyKind::kJson, [&service](RequestContext& c) {
    auto body = ParseJsonObject(c.request);
    if (!body.ok()) return Problem(body.status());
    BodyReader reader(*body, {"kind", "value_minor", "currency", "note"});
    std::string kind = reader.String("kind", true).value_or("");
    int64_t value = reader.Integer("value_minor").value_or(0);
    std::string currency = reader.String("currency").value_or("CNY");
    std::string note = reader.String("note").value_or("");
    if (Status s = reader.Finish(); !s.ok()) return Problem(s);
    return Respond(service.OpenDeal(c.principal, c.request.Param("id"), kind, value, currency, note),
                   201, IntroductionToJson);
  }});
  routes.push_back({"POST", "/api/v1/exchange/introductions/{id}/deal/stage", Access::kSignedIn,
                    BodyKind::kJson, [&service](RequestContext& c) {
    auto body = ParseJsonObject(c.request);
    if (!body.ok()) return Problem(body.status());
    BodyReader reader(*body, {"stage", "value_minor", "note"});
    std::string stage = reader.String("stage", true).value_or("");
    std::optional<int64_t> value = reader.Integer("value_minor");
    std::string note = reader.String("note").value_or("");
    if (Status s = reader.Finish(); !s.ok()) return Problem(s);
    return Respond(service.MoveDeal(c.principal, c.request.Param("id"), stage, value, note), 200,
                   IntroductionToJson);
  }});
}

}  // namespace

void AddExchangeRoutes(RouteTable& routes, exchange::ExchangeService& exchange) {
  AddListingRoutes(routes, exchange);
  AddSearchRoutes(routes, exchange);
  AddIntroductionRoutes(routes, exchange);
}

}  // namespace parkhub::api
