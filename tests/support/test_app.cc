#include "support/test_app.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

namespace parkhub::testing {

std::string MakeTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "parkhub-test-XXXXXX").string();
  char* made = mkdtemp(pattern.data());
  if (made == nullptr) throw std::runtime_error("mkdtemp failed");
  return made;
}

TestApp::TestApp(Config overrides, const Clock* clock, const StoreDriver* driver)
    : dir_(MakeTempDir()), config_(std::move(overrides)) {
  config_.data_dir = dir_;
  if (driver == nullptr && config_.database_url.empty() && DefaultDriver().name != "sqlite") {
    driver = &DefaultDriver();
  }
  if (driver) config_.database_url = driver->url(dir_);
  config_.password_cost = "min";
  auto opened = app::Application::Open(config_, app::SchemaPolicy::kMigrate,
                                       app::IndexPolicy::kOpen, app::Environment{clock, nullptr});
  if (!opened.ok()) throw std::runtime_error(opened.status().ToString());
  app_ = std::move(opened).value();
  api_ = app_->MakeApi();
}

TestApp::~TestApp() {
  api_.reset();
  app_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

http::HttpResponse TestApp::Call(const std::string& method, const std::string& target,
                                 const std::string& body, const Caller& as,
                                 std::string content_type, bool send_csrf) {
  http::HttpRequest request;
  request.method = method;
  request.target = target;
  std::string path = target;
  std::string query;
  if (auto q = target.find('?'); q != std::string::npos) {
    query = target.substr(q + 1);
    path = target.substr(0, q);
  }
  auto decoded = http::PercentDecode(path, false);
  request.path = decoded ? *decoded : "\x01invalid";
  request.query_malformed = !http::ParseQuery(query, request.query);
  request.body = body;
  request.remote_address = "127.0.0.1";
  if (!body.empty() || method == "POST" || method == "PATCH") {
    request.headers["content-type"] = content_type;
  }
  if (!as.cookie.empty()) request.headers["cookie"] = as.cookie;
  if (!as.csrf.empty() && send_csrf) request.headers["x-csrf-token"] = as.csrf;
  if (!as.bearer.empty()) request.headers["authorization"] = "Bearer " + as.bearer;
  return api_->Handle(request);
}

nlohmann::json TestApp::CallJson(const std::string& method, const std::string& target,
                                 const std::string& body, const Caller& as) {
  auto response = Call(method, target, body, as);
  auto parsed = nlohmann::json::parse(response.body, nullptr, false);
  parsed["_status"] = response.status;
  return parsed;
}

Caller TestApp::Login(const std::string& username, const std::string& password) {
  nlohmann::json body = {{"username", username}, {"password", password}};
  auto response = Call("POST", "/api/v1/auth/login", body.dump());
  Caller caller;
  if (response.status != 200) return caller;
  std::string cookie = response.Header("Set-Cookie");
  caller.cookie = cookie.substr(0, cookie.find(';'));
  caller.csrf = nlohmann::json::parse(response.body)["csrf_token"];
  return caller;
}

Caller TestApp::UserWith(const std::string& username, const std::string& role,
                         const std::string& scope) {
  auto created = app_->identity().CreateUser({username, username, "password-123"});
  if (!created.ok()) throw std::runtime_error(created.status().ToString());
  if (!role.empty()) {
    Status granted = app_->identity().GrantRole(username, *identity::ParseRole(role), scope);
    if (!granted.ok()) throw std::runtime_error(granted.ToString());
  }
  return Login(username, "password-123");
}

void TestApp::LoadFixture() {
  auto system = registry::RegistryService::SystemPrincipal();
  auto& registry = app_->registry();
  auto make = [&](const std::string& key, const std::string& type, const std::string& zh,
                  const std::string& en, const std::string& region) {
    registry::OrganizationInput input;
    input.type = type;
    input.name_zh_hans = zh;
    input.name_en = en;
    input.region = region;
    if (region == "foreign") input.country = "United Kingdom";
    auto org = registry.CreateOrganization(system, input);
    if (!org.ok()) throw std::runtime_error(org.status().ToString());
    ids[key] = org->id;
  };
  make("park", "park", "示范园区", "Demo Park", "mainland");
  make("A", "university", "香港科技大学", "University A", "hong_kong");
  make("B", "university", "北京大学", "University B", "mainland");
  make("E", "enterprise", "示范企业", "Enterprise E", "mainland");
  make("alliance", "alliance", "示范联盟", "Demo Alliance", "mainland");
  auto a = registry.ApplyForMembership(system, ids["park"], ids["A"], "");
  for (const char* next : {"under_review", "agreement_signed", "settled"}) {
    a = registry.TransitionMembership(system, a->id, next, "");
  }
  ids["membership_A"] = a->id;
  auto b = registry.ApplyForMembership(system, ids["park"], ids["B"], "");
  ids["membership_B"] = b->id;
  registry.AddAllianceMember(system, ids["alliance"], ids["A"], "2020-01-01");
  registry.AddAllianceMember(system, ids["alliance"], ids["B"], "2020-01-01");
}

identity::Principal TestApp::PrincipalWith(const std::string& username, const std::string& role,
                                           const std::string& scope_key) {
  UserWith(username, role, scope_key.empty() ? "" : ids.at(scope_key));
  auto login = app_->identity().Login(username, "password-123", "127.0.0.1");
  if (!login.ok()) throw std::runtime_error(login.status().ToString());
  auto principal = app_->identity().AuthenticateSession(login->session_token);
  if (!principal.ok()) throw std::runtime_error(principal.status().ToString());
  return *principal;
}

facilities::NewResource TestApp::Instrument(const std::string& owner_key,
                                            const std::string& name_zh,
                                            const std::string& name_en) {
  facilities::NewResource r;
  r.owner_id = ids.at(owner_key);
  r.kind = "instrument";
  r.name_zh = name_zh;
  r.name_en = name_en;
  r.time_zone = "Asia/Shanghai";
  r.rules.min_minutes = 30;
  r.rules.max_minutes = 240;
  r.rules.granularity_minutes = 30;
  r.rules.horizon_days = 3650;
  r.hourly_prices = {{"internal", 100}, {"industry", 50000}};
  return r;
}

void TestApp::AddInstitute(const std::string& key, const std::string& parent_key) {
  registry::OrganizationInput input;
  input.type = "research_institute";
  input.name_zh_hans = "研究院" + key;
  input.name_en = "Institute " + key;
  input.region = "mainland";
  input.parent_id = ids.at(parent_key);
  auto org = app_->registry().CreateOrganization(registry::RegistryService::SystemPrincipal(), input);
  if (!org.ok()) throw std::runtime_error(org.status().ToString());
  ids[key] = org->id;
}

facilities::BookingRequest TestApp::HourBooking(const std::string& resource_id,
                                                const std::string& org_key,
                                                const std::string& idempotency_key) {
  facilities::BookingRequest request;
  request.resource_id = resource_id;
  request.organization_id = ids.at(org_key);
  request.starts_at = ToUnixSeconds(app_->clock().Now()) / 86400 * 86400 + 2 * 86400;
  request.ends_at = request.starts_at + 3600;
  request.idempotency_key = idempotency_key;
  return request;
}

}  // namespace parkhub::testing
