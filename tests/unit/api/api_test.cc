#include <gtest/gtest.h>

#include <functional>

#include "support/test_app.h"

namespace parkhub::api {
namespace {

using nlohmann::json;
using testing::Caller;
using testing::TestApp;

int64_t CountOrganizations(TestApp& env) {
  auto c = env.app().database().Acquire();
  return *(*c)->QueryInt("SELECT COUNT(*) FROM organizations");
}

// ---- Role × route matrix -------------------------------------------------------------------

struct MatrixCase {
  std::string name;
  std::string method;
  std::function<std::string(TestApp&)> target;
  std::function<std::string(TestApp&)> body;
  // Expected status per role, checked in this order (state-changing successes last).
  std::vector<std::pair<std::string, int>> expected;
};

void PrintTo(const MatrixCase& c, std::ostream* os) { *os << c.name; }

Caller CallerFor(TestApp& env, const std::string& role) {
  if (role == "anonymous") return {};
  if (role == "member_A") return env.UserWith("member_a", "member", env.ids["A"]);
  if (role == "admin_A") return env.UserWith("admin_a", "org_admin", env.ids["A"]);
  if (role == "admin_E") return env.UserWith("admin_e", "org_admin", env.ids["E"]);
  if (role == "operator") return env.UserWith("operator", "park_operator", env.ids["park"]);
  if (role == "platform") return env.UserWith("platform", "platform_admin");
  throw std::runtime_error("unknown role " + role);
}

class RoleMatrixTest : public ::testing::TestWithParam<MatrixCase> {};

TEST_P(RoleMatrixTest, EachRoleGetsTheExpectedAnswer) {
  const MatrixCase& c = GetParam();
  TestApp env;
  env.LoadFixture();
  std::map<std::string, Caller> callers;
  for (const auto& [role, status] : c.expected) callers[role] = CallerFor(env, role);
  for (const auto& [role, status] : c.expected) {
    auto response = env.Call(c.method, c.target(env), c.body(env), callers[role]);
    EXPECT_EQ(response.status, status) << c.name << " as " << role << ": " << response.body;
  }
}

std::vector<MatrixCase> MatrixCases() {
  auto path = [](std::string prefix, std::string key, std::string suffix = "") {
    return [=](TestApp& env) { return prefix + env.ids[key] + suffix; };
  };
  auto fixed = [](std::string s) { return [=](TestApp&) { return s; }; };
  auto none = fixed("");
  return {
      {"list organisations", "GET", fixed("/api/v1/organizations"), none,
       {{"anonymous", 200}, {"member_A", 200}}},
      {"create organisation", "POST", fixed("/api/v1/organizations"),
       fixed(R"({"type":"enterprise","name_en":"New Co","region":"mainland"})"),
       {{"anonymous", 401}, {"member_A", 403}, {"admin_A", 403}, {"operator", 201},
        {"platform", 201}}},
      {"edit organisation", "PATCH", path("/api/v1/organizations/", "A"),
       fixed(R"({"city":"Hong Kong"})"),
       {{"anonymous", 401}, {"member_A", 403}, {"admin_E", 403}, {"admin_A", 200},
        {"operator", 200}, {"platform", 200}}},
      {"org admin reaching into another organisation", "PATCH", path("/api/v1/organizations/", "B"),
       fixed(R"({"website":"https://evil.example"})"), {{"admin_A", 403}, {"admin_E", 403}}},
      {"list memberships", "GET", fixed("/api/v1/memberships"), none,
       {{"anonymous", 401}, {"member_A", 200}, {"operator", 200}}},
      {"see another organisation's membership", "GET", path("/api/v1/memberships/", "membership_B"),
       none, {{"admin_A", 404}, {"admin_E", 404}, {"operator", 200}, {"platform", 200}}},
      {"apply for membership", "POST", fixed("/api/v1/memberships"),
       [](TestApp& env) {
         return json{{"park_id", env.ids["park"]}, {"organization_id", env.ids["E"]}}.dump();
       },
       {{"anonymous", 401}, {"admin_A", 403}, {"admin_E", 201}}},
      {"move a membership", "POST", path("/api/v1/memberships/", "membership_B", "/transitions"),
       fixed(R"({"to":"under_review","note":"ok"})"),
       {{"anonymous", 401}, {"member_A", 404}, {"admin_E", 404}, {"platform", 403},
        {"operator", 200}}},
      {"list users", "GET", fixed("/api/v1/users"), none,
       {{"anonymous", 401}, {"member_A", 403}, {"operator", 403}, {"platform", 200}}},
      {"create user", "POST", fixed("/api/v1/users"),
       fixed(R"({"username":"newbie","password":"long enough"})"),
       {{"anonymous", 401}, {"admin_A", 403}, {"operator", 403}, {"platform", 201}}},
      {"import organisations", "POST", fixed("/api/v1/imports/organizations?dry_run=true"), none,
       {{"anonymous", 401}}},
      {"add alliance member", "POST", path("/api/v1/alliances/", "alliance", "/members"),
       [](TestApp& env) { return json{{"organization_id", env.ids["E"]}}.dump(); },
       {{"anonymous", 401}, {"admin_A", 403}, {"operator", 403}, {"platform", 201}}},
      {"create person", "POST", fixed("/api/v1/people"),
       [](TestApp& env) {
         return json{{"name_en", "Chen Ming"},
                     {"kind", "researcher"},
                     {"affiliations", {{{"organization_id", env.ids["A"]}, {"role", "professor"}}}}}
             .dump();
       },
       {{"anonymous", 401}, {"member_A", 403}, {"admin_E", 403}, {"admin_A", 201}}},
      {"list people", "GET", fixed("/api/v1/people"), none,
       {{"anonymous", 401}, {"member_A", 200}}},
      {"export people", "GET", fixed("/api/v1/exports/people.csv"), none,
       {{"anonymous", 401}, {"member_A", 200}}},
      {"my tokens", "GET", fixed("/api/v1/auth/tokens"), none, {{"anonymous", 401}, {"member_A", 200}}},
  };
}

INSTANTIATE_TEST_SUITE_P(Routes, RoleMatrixTest, ::testing::ValuesIn(MatrixCases()),
                         [](const ::testing::TestParamInfo<MatrixCase>& info) {
                           std::string name = info.param.name;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

TEST(ImportPermissionTest, OnlyOperatorsAndAdminsImportOrganisations) {
  TestApp env;
  env.LoadFixture();
  std::string csv = "type,name_en,region\nenterprise,Imported Co,mainland\n";
  auto member = env.UserWith("member_a", "member", env.ids["A"]);
  auto operator_ = env.UserWith("operator", "park_operator", env.ids["park"]);
  EXPECT_EQ(env.Call("POST", "/api/v1/imports/organizations", csv, member, "text/csv").status, 403);
  EXPECT_EQ(env.Call("POST", "/api/v1/imports/organizations?dry_run=true", csv, operator_,
                     "text/csv").status,
            200);
  EXPECT_EQ(env.Call("POST", "/api/v1/imports/organizations", csv, operator_, "text/csv").status,
            201);
}

// ---- Hostile input: each a clear 4xx, nothing written ----------------------------------------

class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.LoadFixture();
    admin_ = env_.UserWith("platform", "platform_admin");
    before_ = CountOrganizations(env_);
  }
  void ExpectProblem(const http::HttpResponse& r, int status, const std::string& field = "") {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
    auto body = json::parse(r.body);
    EXPECT_EQ(body["status"], status);
    EXPECT_TRUE(body.contains("code"));
    if (!field.empty()) {
      ASSERT_TRUE(body.contains("errors")) << r.body;
      bool found = false;
      for (const auto& e : body["errors"]) found |= e["field"] == field;
      EXPECT_TRUE(found) << "no error for field " << field << ": " << r.body;
    }
    EXPECT_EQ(CountOrganizations(env_), before_);
  }
  TestApp env_;
  Caller admin_;
  int64_t before_ = 0;
};

TEST_F(HostileInputTest, MalformedJson) {
  ExpectProblem(env_.Call("POST", "/api/v1/organizations", "{\"type\": ", admin_), 400);
  ExpectProblem(env_.Call("POST", "/api/v1/organizations", "[1,2]", admin_), 400);
}

TEST_F(HostileInputTest, WrongTypes) {
  ExpectProblem(env_.Call("POST", "/api/v1/organizations",
                          R"({"type":"university","region":"mainland","name_en":42})", admin_),
                422, "name_en");
  ExpectProblem(env_.Call("POST", "/api/v1/organizations",
                          R"({"type":"university","region":"mainland","name_en":"X","tags":"985"})",
                          admin_),
                422, "tags");
}

TEST_F(HostileInputTest, UnknownFields) {
  ExpectProblem(env_.Call("POST", "/api/v1/organizations",
                          R"({"type":"university","region":"mainland","name_en":"X","is_admin":true})",
                          admin_),
                422, "is_admin");
}

TEST_F(HostileInputTest, InvalidValues) {
  ExpectProblem(env_.Call("POST", "/api/v1/organizations",
                          R"x({"type":"planet","region":"mars","website":"javascript:alert(1)"})x",
                          admin_),
                422, "type");
}

TEST_F(HostileInputTest, InvalidUtf8) {
  ExpectProblem(env_.Call("POST", "/api/v1/organizations",
                          "{\"type\":\"university\",\"region\":\"mainland\",\"name_en\":\"\xC3\x28\"}",
                          admin_),
                400);
  ExpectProblem(env_.Call("GET", "/api/v1/organizations?q=%C3%28"), 400, "q");
}

TEST_F(HostileInputTest, SqlLookingStringsAreJustText) {
  auto search = env_.Call("GET", "/api/v1/organizations?q=%27%3B%20DROP%20TABLE%20organizations%3B--");
  EXPECT_EQ(search.status, 200);
  EXPECT_EQ(json::parse(search.body)["total"], 0);
  auto created = env_.Call(
      "POST", "/api/v1/organizations",
      R"x({"type":"enterprise","region":"mainland","name_en":"Robert'); DROP TABLE organizations;--"})x",
      admin_);
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(CountOrganizations(env_), before_ + 1);
  EXPECT_EQ(json::parse(created.body)["names"]["en"], "Robert'); DROP TABLE organizations;--");
}

TEST_F(HostileInputTest, UnknownRoutesAndWrongMethods) {
  ExpectProblem(env_.Call("GET", "/api/v1/nothing-here"), 404);
  auto wrong = env_.Call("DELETE", "/api/v1/organizations", "", admin_);
  ExpectProblem(wrong, 405);
  EXPECT_EQ(wrong.Header("Allow"), "GET, POST");
}

TEST_F(HostileInputTest, CookieWithoutCsrfTokenWritesNothing) {
  auto response = env_.Call("POST", "/api/v1/organizations",
                            R"({"type":"enterprise","region":"mainland","name_en":"Forged"})",
                            admin_, "application/json", /*send_csrf=*/false);
  ExpectProblem(response, 403);
  EXPECT_EQ(json::parse(response.body)["code"], "csrf_failed");
}

TEST_F(HostileInputTest, BearerTokensNeedNoCsrf) {
  auto token = env_.CallJson("POST", "/api/v1/auth/tokens", R"({"name":"script"})", admin_);
  ASSERT_EQ(token["_status"], 201);
  Caller script;
  script.bearer = token["token"];
  auto created = env_.Call("POST", "/api/v1/organizations",
                           R"({"type":"enterprise","region":"mainland","name_en":"Scripted"})", script);
  EXPECT_EQ(created.status, 201);
  Caller forged;
  forged.bearer = "phk_not-a-real-token";
  EXPECT_EQ(env_.Call("GET", "/api/v1/people", "", forged).status, 401);
}

TEST_F(HostileInputTest, WrongContentType) {
  ExpectProblem(env_.Call("POST", "/api/v1/organizations", "type=university", admin_,
                          "application/x-www-form-urlencoded"),
                415);
}

TEST_F(HostileInputTest, UnknownAndMalformedQueryParameters) {
  ExpectProblem(env_.Call("GET", "/api/v1/organizations?colour=red"), 400, "colour");
  ExpectProblem(env_.Call("GET", "/api/v1/organizations?limit=ten"), 400, "limit");
  ExpectProblem(env_.Call("GET", "/api/v1/organizations?limit=100000"), 422, "limit");
  ExpectProblem(env_.Call("GET", "/api/v1/organizations?q=%ZZ"), 400);
  ExpectProblem(env_.Call("GET", "/api/v1/organizations?type=planet"), 422, "type");
}

TEST_F(HostileInputTest, LoginThrottleAnswers429WithRetryAfter) {
  http::HttpResponse last;
  for (int i = 0; i < 6; ++i) {
    last = env_.Call("POST", "/api/v1/auth/login", R"({"username":"platform","password":"wrong-pass"})");
  }
  EXPECT_EQ(last.status, 429);
  EXPECT_FALSE(last.Header("Retry-After").empty());
  // Even the right password waits now.
  auto right = env_.Call("POST", "/api/v1/auth/login",
                         R"({"username":"platform","password":"password-123"})");
  EXPECT_EQ(right.status, 429);
}

TEST_F(HostileInputTest, InvalidTransitionListsAllowedStates) {
  auto op = env_.UserWith("operator", "park_operator", env_.ids["park"]);
  auto response = env_.Call("POST", "/api/v1/memberships/" + env_.ids["membership_B"] + "/transitions",
                            R"({"to":"settled"})", op);
  EXPECT_EQ(response.status, 409);
  auto body = json::parse(response.body);
  EXPECT_EQ(body["code"], "invalid_transition");
  EXPECT_EQ(body["allowed_next_states"], json::array({"under_review", "withdrawn"}));
}

TEST_F(HostileInputTest, ImportWithBadRowsIsRefusedWhole) {
  std::string csv = "type,name_en,region\nenterprise,Good Co,mainland\nbad,,nowhere\n";
  auto response = env_.Call("POST", "/api/v1/imports/organizations", csv, admin_, "text/csv");
  ExpectProblem(response, 422);
  auto body = json::parse(response.body);
  EXPECT_EQ(body["report"]["errors"][0]["line"], 3);
}

// ---- Pages, OpenAPI ---------------------------------------------------------------------------

// Every field error carries a stable code and its parameters beside the English reason, so the
// web app says it in the reader's language.
TEST(ApiTest, FieldErrorsCarryACodeAndParameters) {
  TestApp env;
  env.LoadFixture();
  auto admin = env.UserWith("platform", "platform_admin");
  json body = {{"type", "moon"}, {"name_en", 42}, {"name_zh_hans", std::string(300, 'x')},
               {"region", "mainland"}, {"colour", "red"}};
  auto answer = env.CallJson("POST", "/api/v1/organizations", body.dump(), admin);
  ASSERT_EQ(answer["_status"], 422) << answer.dump();
  std::map<std::string, json> by_field;
  for (const auto& e : answer["errors"]) {
    EXPECT_TRUE(e["reason"].is_string());
    by_field[e["field"]] = e;
  }
  EXPECT_EQ(by_field["colour"]["code"], "unknown_field");
  EXPECT_EQ(by_field["name_en"]["code"], "wrong_type");
  EXPECT_EQ(by_field["name_en"]["params"]["expected"], "string");
  auto paged = env.CallJson("GET", "/api/v1/people?limit=500", "", admin);
  ASSERT_EQ(paged["_status"], 422) << paged.dump();
  EXPECT_EQ(paged["errors"][0]["code"], "out_of_range");
  EXPECT_EQ(paged["errors"][0]["params"]["max"], 100);
  json valid_but_long = {{"type", "enterprise"}, {"name_zh_hans", std::string(301, 'x')},
                         {"region", "moon"}};
  auto refused = env.CallJson("POST", "/api/v1/organizations", valid_but_long.dump(), admin);
  ASSERT_EQ(refused["_status"], 422) << refused.dump();
  by_field.clear();
  for (const auto& e : refused["errors"]) by_field[e["field"]] = e;
  EXPECT_EQ(by_field["name_zh_hans"]["code"], "too_long") << refused.dump();
  EXPECT_EQ(by_field["region"]["code"], "not_one_of") << refused.dump();
  EXPECT_TRUE(by_field["region"]["params"]["allowed"].is_array());
}

TEST(ApiTest, EveryModulesRulesAnswerWithTheirOwnCodes) {
  TestApp env;
  env.LoadFixture();
  auto ellen = env.UserWith("ellen", "org_admin", env.ids["E"]);
  auto first_error = [](const json& answer) { return answer["errors"][0]; };
  json org = {{"type", "research_institute"},
              {"name_en", "Lab"},
              {"region", "mainland"},
              {"parent_id", "org_nowhere"}};
  auto unknown = env.CallJson("POST", "/api/v1/organizations", org.dump(),
                              env.UserWith("root", "platform_admin"));
  ASSERT_EQ(unknown["_status"], 422) << unknown.dump();
  EXPECT_EQ(first_error(unknown)["code"], "unknown_reference");
  EXPECT_EQ(first_error(unknown)["params"]["kind"], "organization");
  auto order = env.CallJson("GET",
                            "/api/v1/resources/res_x/utilisation?from=2030-01-02T00:00:00Z"
                            "&to=2030-01-01T00:00:00Z",
                            "", ellen);
  ASSERT_EQ(order["_status"], 422) << order.dump();
  EXPECT_EQ(first_error(order)["code"], "not_after");
  EXPECT_EQ(first_error(order)["params"]["other"], "from");
  auto password = env.CallJson("POST", "/api/v1/users",
                               R"({"username":"neo","display_name":"Neo","password":"123"})",
                               env.Login("root", "password-123"));
  ASSERT_EQ(password["_status"], 422) << password.dump();
  EXPECT_EQ(first_error(password)["code"], "too_short");
  EXPECT_EQ(first_error(password)["params"]["min"], 10);
}

TEST(ApiTest, ListsPageAndReturnTheTotal) {
  TestApp env;
  env.LoadFixture();
  auto first = env.CallJson("GET", "/api/v1/organizations?limit=2&sort=name");
  EXPECT_EQ(first["total"], 5);
  EXPECT_EQ(first["items"].size(), 2u);
  auto rest = env.CallJson("GET", "/api/v1/organizations?limit=2&offset=4&sort=name");
  EXPECT_EQ(rest["items"].size(), 1u);
  auto universities = env.CallJson("GET", "/api/v1/organizations?type=university&region=hong_kong");
  EXPECT_EQ(universities["total"], 1);
}

TEST(FacilityApiTest, BookingOverHttpWithLocalTimesAndProblems) {
  TestApp env;
  env.LoadFixture();
  auto manager = env.UserWith("manager", "facility_manager", env.ids["B"]);
  auto ellen = env.UserWith("ellen", "member", env.ids["E"]);
  json resource = {{"owner_id", env.ids["B"]}, {"kind", "pilot_line"}, {"name_en", "Pilot line"},
                   {"time_zone", "Asia/Shanghai"}, {"hourly_prices", {{"industry", 30000}}}};
  auto created = env.CallJson("POST", "/api/v1/resources", resource.dump(), manager);
  ASSERT_EQ(created["_status"], 201) << created.dump();
  std::string id = created["id"];
  std::string calendar = created["calendar_url"];
  EXPECT_EQ(env.Call("POST", "/api/v1/resources", resource.dump(), ellen).status, 403);
  // Two days ahead, 10:00 in Shanghai.
  int64_t day = (ToUnixSeconds(std::chrono::system_clock::now()) / 86400 + 2) * 86400;
  std::string start = FormatUtc(FromUnixSeconds(day + 2 * 3600));
  std::string end = FormatUtc(FromUnixSeconds(day + 3 * 3600));
  json booking = {{"resource_id", id}, {"organization_id", env.ids["E"]}, {"starts_at", start},
                  {"ends_at", end}, {"idempotency_key", "one"}};
  auto quote = env.CallJson("POST", "/api/v1/bookings/quote", booking.dump(), ellen);
  EXPECT_EQ(quote["total_minor"], 30000);
  auto booked = env.CallJson("POST", "/api/v1/bookings", booking.dump(), ellen);
  ASSERT_EQ(booked["_status"], 201) << booked.dump();
  EXPECT_EQ(booked["state"], "approved");
  EXPECT_EQ(booked["starts_at_local"], FormatUtc(FromUnixSeconds(day)).substr(0, 10) + "T10:00:00+08:00");
  booking["idempotency_key"] = "two";
  auto clash = env.Call("POST", "/api/v1/bookings", booking.dump(), ellen);
  EXPECT_EQ(clash.status, 409);
  EXPECT_EQ(json::parse(clash.body)["code"], "slot_taken");
  booking["starts_at"] = "tomorrow at ten";
  auto bad = env.CallJson("POST", "/api/v1/bookings", booking.dump(), ellen);
  EXPECT_EQ(bad["_status"], 422);
  EXPECT_EQ(bad["errors"][0]["field"], "starts_at");
  booking["starts_at"] = start;
  booking["colour"] = "red";
  EXPECT_EQ(env.CallJson("POST", "/api/v1/bookings", booking.dump(), ellen)["errors"][0]["field"], "colour");
  auto feed = env.Call("GET", calendar);
  EXPECT_EQ(feed.status, 200);
  EXPECT_EQ(feed.Header("Content-Type"), "text/calendar; charset=utf-8");
  EXPECT_EQ(env.Call("GET", "/api/v1/resources/" + id + "/calendar.ics?token=nope").status, 404);
  auto busy = env.CallJson("GET", "/api/v1/resources/" + id + "/busy?from=" + start + "&to=" +
                                      FormatUtc(FromUnixSeconds(day + 86400)));
  EXPECT_EQ(busy["busy"].size(), 1u);
  EXPECT_EQ(env.Call("POST", "/api/v1/bookings", booking.dump()).status, 401);
  EXPECT_EQ(env.CallJson("GET", "/api/v1/bookings", "", ellen)["total"], 1);
  auto window = env.CallJson("GET", "/api/v1/bookings?state=approved&from=" + start, "", ellen);
  EXPECT_EQ(window["total"], 1);
  EXPECT_EQ(window["limit"], 50);
  auto bad_window = env.CallJson("GET", "/api/v1/bookings?from=yesterday", "", ellen);
  EXPECT_EQ(bad_window["_status"], 422);
  EXPECT_EQ(bad_window["errors"][0]["field"], "from");
  EXPECT_EQ(env.CallJson("GET", "/api/v1/bookings?sort=price", "", ellen)["errors"][0]["field"],
            "sort");
  std::string actions = "/api/v1/bookings/" + booked["id"].get<std::string>() + "/actions";
  auto unknown = env.CallJson("POST", actions, R"({"action":"teleport"})", ellen);
  EXPECT_EQ(unknown["_status"], 422);
  EXPECT_EQ(unknown["errors"][0]["field"], "action");
  auto checked_out = env.CallJson("POST", actions, R"({"action":"check_out"})", ellen);
  EXPECT_EQ(checked_out["_status"], 409) << "an approved booking is checked in before it is out";
  auto cancelled = env.CallJson("POST", actions, R"({"action":"cancel"})", ellen);
  EXPECT_EQ(cancelled["state"], "cancelled");
}

TEST(FacilityApiTest, ResourcesAreEditedByMergePatchWithTheCreateRules) {
  TestApp env;
  env.LoadFixture();
  auto manager = env.UserWith("manager", "facility_manager", env.ids["B"]);
  auto ellen = env.UserWith("ellen", "member", env.ids["E"]);
  json resource = {{"owner_id", env.ids["B"]}, {"kind", "instrument"}, {"name_en", "NMR 600"},
                   {"time_zone", "Asia/Shanghai"}, {"max_minutes", 240},
                   {"specifications", {{"field", "14.1 T"}}}};
  auto created = env.CallJson("POST", "/api/v1/resources", resource.dump(), manager);
  ASSERT_EQ(created["_status"], 201) << created.dump();
  std::string path = "/api/v1/resources/" + created["id"].get<std::string>();
  EXPECT_EQ(created["specifications"]["field"], "14.1 T");
  auto edited = env.CallJson("PATCH", path,
                             R"({"max_minutes": 120, "specifications": {"field": "14.1 T", "probe": "cryo"}})",
                             manager);
  ASSERT_EQ(edited["_status"], 200) << edited.dump();
  EXPECT_EQ(edited["rules"]["max_minutes"], 120);
  EXPECT_EQ(edited["name_en"], "NMR 600");  // fields left out keep their value
  EXPECT_EQ(edited["specifications"]["probe"], "cryo");
  EXPECT_EQ(env.Call("PATCH", path, R"({"name_en": "Mine now"})", ellen).status, 403);
  EXPECT_EQ(env.Call("PATCH", path, R"({"name_en": "Anonymous"})").status, 401);
  auto bad = env.CallJson("PATCH", path, R"({"min_minutes": 180})", manager);  // above max
  EXPECT_EQ(bad["_status"], 422);
  EXPECT_EQ(bad["errors"][0]["field"], "max_minutes");
  EXPECT_EQ(env.CallJson("PATCH", path, R"({"owner_id": "org_x"})", manager)["errors"][0]["field"],
            "owner_id");
  EXPECT_EQ(env.CallJson("PATCH", path, R"({"colour": "red"})", manager)["errors"][0]["field"],
            "colour");
  EXPECT_EQ(env.CallJson("PATCH", path, R"({"specifications": {"field": 14}})", manager)["errors"][0]["field"],
            "specifications");
  auto now = env.CallJson("GET", path);
  EXPECT_EQ(now["rules"]["max_minutes"], 120);
  EXPECT_EQ(now["rules"]["min_minutes"], 30);
  EXPECT_EQ(env.Call("PATCH", "/api/v1/resources/res_missing", "{}", manager).status, 404);
}

TEST(ApiTest, CachedListPagesFollowEveryChange) {
  TestApp env;
  env.LoadFixture();
  auto admin = env.UserWith("platform", "platform_admin");
  EXPECT_EQ(env.CallJson("GET", "/api/v1/organizations?limit=5")["total"], 5);
  EXPECT_EQ(env.CallJson("GET", "/api/v1/organizations?limit=5")["total"], 5);  // served from cache
  // A change made outside the API (another process would look the same) is seen at once.
  auto system = registry::RegistryService::SystemPrincipal();
  registry::OrganizationInput input;
  input.type = "enterprise";
  input.name_en = "Zeta Co";
  input.region = "mainland";
  ASSERT_TRUE(env.app().registry().CreateOrganization(system, input).ok());
  EXPECT_EQ(env.CallJson("GET", "/api/v1/organizations?limit=5")["total"], 6);
  // A tag edit changes the page too.
  auto a = env.CallJson("GET", "/api/v1/organizations?q=University%20A");
  EXPECT_EQ(a["items"][0]["tags"].size(), 0u);
  ASSERT_EQ(env.Call("PATCH", "/api/v1/organizations/" + env.ids["A"], R"({"tags":["985"]})", admin).status,
            200);
  a = env.CallJson("GET", "/api/v1/organizations?q=University%20A");
  EXPECT_EQ(a["items"][0]["tags"], json::array({"985"}));
}

TEST(ApiTest, OpenApiDocumentListsEveryRouteAndNothingElse) {
  TestApp env;
  auto doc = json::parse(OpenApiDocument());
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& [path, methods] : doc["paths"].items()) {
    for (const auto& [method, op] : methods.items()) {
      std::string upper = method;
      std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
      documented.insert({upper, path});
    }
  }
  std::set<std::pair<std::string, std::string>> routed;
  for (const auto& route : env.api().routes()) routed.insert({route.method, route.pattern});
  for (const auto& r : routed) {
    EXPECT_TRUE(documented.count(r)) << r.first << " " << r.second << " is missing from openapi.json";
  }
  for (const auto& d : documented) {
    EXPECT_TRUE(routed.count(d)) << d.first << " " << d.second << " is documented but not routed";
  }
  EXPECT_EQ(env.Call("GET", "/api/v1/openapi.json").status, 200);
}

TEST(ApiTest, LoginSetsAHardenedCookieAndMeReturnsTheUser) {
  TestApp env;
  ASSERT_TRUE(env.app().identity().CreateUser({"alice", "Alice", "password-123"}).ok());
  auto response = env.Call("POST", "/api/v1/auth/login",
                           R"({"username":"alice","password":"password-123"})");
  ASSERT_EQ(response.status, 200);
  std::string cookie = response.Header("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);
  auto caller = env.Login("alice", "password-123");
  auto me = env.CallJson("GET", "/api/v1/auth/me", "", caller);
  EXPECT_EQ(me["user"]["username"], "alice");
  EXPECT_EQ(env.Call("POST", "/api/v1/auth/logout", "", caller).status, 204);
  EXPECT_EQ(env.Call("GET", "/api/v1/auth/me", "", caller).status, 401);
}

TEST(ApiTest, SecureCookiesWhenConfigured) {
  Config config;
  config.secure_cookies = true;
  TestApp env(config);
  ASSERT_TRUE(env.app().identity().CreateUser({"alice", "Alice", "password-123"}).ok());
  auto response = env.Call("POST", "/api/v1/auth/login",
                           R"({"username":"alice","password":"password-123"})");
  EXPECT_NE(response.Header("Set-Cookie").find("; Secure"), std::string::npos);
}

TEST(ApiTest, MetricsCountRequestsByRoute) {
  TestApp env;
  env.Call("GET", "/api/v1/organizations");
  env.Call("GET", "/api/v1/organizations/org_missing");
  auto metrics = env.Call("GET", "/metrics");
  EXPECT_NE(metrics.body.find("route=\"/api/v1/organizations/{id}\",method=\"GET\",status=\"404\""),
            std::string::npos);
}

TEST(ApiTest, MetricsAreForThisHostOrPlatformAdmins) {
  TestApp env;
  auto platform = env.UserWith("platform", "platform_admin");
  auto nobody = env.UserWith("nobody");
  auto from = [&](const std::string& address, const Caller& as) {
    http::HttpRequest request;
    request.method = "GET";
    request.target = request.path = "/metrics";
    request.remote_address = address;
    if (!as.bearer.empty()) request.headers["authorization"] = "Bearer " + as.bearer;
    if (!as.cookie.empty()) request.headers["cookie"] = as.cookie;
    return env.api().Handle(request).status;
  };
  EXPECT_EQ(from("127.0.0.1", {}), 200);
  EXPECT_EQ(from("::1", {}), 200);
  EXPECT_EQ(from("203.0.113.9", {}), 403);
  EXPECT_EQ(from("203.0.113.9", nobody), 403);
  EXPECT_EQ(from("203.0.113.9", platform), 200);
}

// A 500 tells the client only a request id; the server's error log has the id, the route and
// what went wrong.
TEST(ApiTest, AServerErrorLeavesALogLineUnderItsRequestId) {
  TestApp env;
  env.LoadFixture();
  auto platform = env.UserWith("platform", "platform_admin");
  std::vector<std::string> lines;
  auto api = env.app().MakeApi([&lines](const std::string& line) { lines.push_back(line); });
  {
    auto c = env.app().database().Acquire();
    ASSERT_TRUE((*c)->Execute("ALTER TABLE people RENAME TO people_gone").ok());
  }
  http::HttpRequest request;
  request.method = "GET";
  request.target = request.path = "/api/v1/people";
  request.remote_address = "127.0.0.1";
  request.headers["cookie"] = platform.cookie;
  auto response = api->Handle(request);
  ASSERT_EQ(response.status, 500) << response.body;
  std::string id = response.Header("X-Request-Id");
  ASSERT_FALSE(id.empty());
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["request_id"], id);
  EXPECT_EQ(body["detail"], "internal error");
  EXPECT_EQ(response.body.find("people"), std::string::npos);
  ASSERT_EQ(lines.size(), 1u);
  auto line = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(line["request_id"], id);
  EXPECT_EQ(line["route"], "/api/v1/people");
  EXPECT_NE(line["error"].get<std::string>().find("people"), std::string::npos) << lines[0];
  // Every answer carries its id; only failures write a line.
  request.path = request.target = "/healthz";
  EXPECT_FALSE(api->Handle(request).Header("X-Request-Id").empty());
  EXPECT_EQ(lines.size(), 1u);
}

TEST(ApiTest, AKeyGivenTwiceIsRefused) {
  TestApp env;
  auto platform = env.UserWith("platform", "platform_admin");
  int64_t before = CountOrganizations(env);
  auto response = env.Call("POST", "/api/v1/organizations",
                           R"({"type":"enterprise","region":"mainland","name_en":"A","name_en":"B"})",
                           platform);
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_EQ(nlohmann::json::parse(response.body)["errors"][0]["field"], "name_en");
  EXPECT_EQ(CountOrganizations(env), before);
  // The same key in two objects is no duplicate.
  auto nested = env.Call("POST", "/api/v1/organizations",
                         R"({"type":"enterprise","region":"mainland","name_en":"C"})", platform);
  EXPECT_EQ(nested.status, 201) << nested.body;
}

}  // namespace
}  // namespace parkhub::api

namespace parkhub::api {
namespace {

int64_t Rows(TestApp& env, const std::string& table) {
  auto c = env.app().database().Acquire();
  return *(*c)->QueryInt("SELECT COUNT(*) FROM " + table);
}

// Every free-text field refuses NUL and other control characters with a field error, and
// writes nothing (F10); a blackout reason, served on every public resource page, is short (F11).
TEST(TextFieldTest, ControlCharactersAndOverlongTextAreRefusedEverywhere) {
  TestApp env;
  env.LoadFixture();
  auto manager = env.UserWith("manager", "facility_manager", env.ids["B"]);
  auto alice = env.UserWith("alice", "member", env.ids["A"]);
  auto ellen = env.UserWith("ellen", "member", env.ids["E"]);
  auto platform = env.UserWith("platform", "platform_admin");
  json resource = {{"owner_id", env.ids["B"]}, {"kind", "instrument"}, {"name_en", "Cryo-EM"},
                   {"time_zone", "Asia/Shanghai"}};
  auto created = env.CallJson("POST", "/api/v1/resources", resource.dump(), manager);
  ASSERT_EQ(created["_status"], 201) << created.dump();
  std::string id = created["id"];
  const std::string nul = std::string("ab") + '\0' + "cd";
  const std::string bell = "ab\x07" "cd";
  struct Case {
    std::string method, target, table, field;
    json body;
    const Caller* as;
  };
  json listing = {{"kind", "result"}, {"owner_id", env.ids["A"]}, {"title", "Graphene"}};
  std::vector<Case> cases = {
      {"POST", "/api/v1/resources", "resources", "name_en", resource, &manager},
      {"POST", "/api/v1/resources", "resources", "description", resource, &manager},
      {"POST", "/api/v1/resources/" + id + "/blackouts", "resource_blackouts", "reason",
       {{"starts_at", "2030-01-01T00:00:00Z"}, {"ends_at", "2030-01-02T00:00:00Z"}}, &manager},
      {"POST", "/api/v1/exchange/listings", "listings", "title", listing, &alice},
      {"POST", "/api/v1/exchange/listings", "listings", "summary", listing, &alice},
      {"POST", "/api/v1/auth/tokens", "api_tokens", "name", json::object(), &alice},
      {"POST", "/api/v1/exchange/saved-searches", "saved_searches", "name", {{"q", "graphene"}}, &alice},
      {"POST", "/api/v1/bookings", "bookings", "purpose",
       {{"resource_id", id}, {"organization_id", env.ids["E"]}, {"starts_at", "2030-01-07T02:00:00Z"},
        {"ends_at", "2030-01-07T03:00:00Z"}, {"idempotency_key", "k"}}, &ellen},
      {"POST", "/api/v1/bookings", "bookings", "idempotency_key",
       {{"resource_id", id}, {"organization_id", env.ids["E"]}, {"starts_at", "2030-01-07T02:00:00Z"},
        {"ends_at", "2030-01-07T03:00:00Z"}}, &ellen},
      {"POST", "/api/v1/organizations", "organizations", "name_en",
       {{"type", "enterprise"}, {"region", "mainland"}}, &platform},
  };
  for (const auto& c : cases) {
    for (const std::string& bad : {nul, bell}) {
      json body = c.body;
      body[c.field] = bad;
      int64_t before = Rows(env, c.table);
      auto response = env.Call(c.method, c.target, body.dump(), *c.as);
      ASSERT_EQ(response.status, 422) << c.target << " " << c.field << ": " << response.body;
      EXPECT_EQ(json::parse(response.body)["errors"][0]["field"], c.field) << response.body;
      EXPECT_EQ(Rows(env, c.table), before) << c.target << " " << c.field;
    }
  }
  json blackout = {{"starts_at", "2030-01-01T00:00:00Z"}, {"ends_at", "2030-01-02T00:00:00Z"},
                   {"reason", std::string(100000, 'x')}};
  auto long_reason = env.Call("POST", "/api/v1/resources/" + id + "/blackouts", blackout.dump(), manager);
  EXPECT_EQ(long_reason.status, 422) << long_reason.body;
  blackout["reason"] = "春节 Lunar New Year\n維護";
  EXPECT_EQ(env.Call("POST", "/api/v1/resources/" + id + "/blackouts", blackout.dump(), manager).status, 201);
}

}  // namespace
}  // namespace parkhub::api
