// TestApp: a whole ParkHub stack (a temp data dir, its database, services, Api) for tests, with
// helpers to call the API without a socket as a given user, and a small fixture network.
// Cheap argon2 parameters keep logins fast. The temp dir is removed on destruction.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "app/application.h"
#include "http/message.h"
#include "support/drivers.h"

namespace parkhub::testing {

std::string MakeTempDir();

struct Caller {
  std::string cookie;  // "parkhub_session=..."
  std::string csrf;
  std::string bearer;
};

class TestApp {
 public:
  // `clock`, when given, is every service's clock (it must outlive the TestApp); `driver`, when
  // given, names the database (default: DefaultDriver(), SQLite in the temp dir unless the run
  // asks for PostgreSQL).
  explicit TestApp(Config overrides = {}, const Clock* clock = nullptr,
                   const StoreDriver* driver = nullptr);
  ~TestApp();

  app::Application& app() { return *app_; }
  api::Api& api() { return *api_; }
  const Config& config() const { return config_; }

  http::HttpResponse Call(const std::string& method, const std::string& target,
                          const std::string& body = "", const Caller& as = {},
                          std::string content_type = "application/json",
                          bool send_csrf = true);
  nlohmann::json CallJson(const std::string& method, const std::string& target,
                          const std::string& body = "", const Caller& as = {});

  // Creates a user (password "password-123") with an optional role and logs in.
  Caller UserWith(const std::string& username, const std::string& role = "",
                  const std::string& scope = "");
  Caller Login(const std::string& username, const std::string& password);
  // The same user as a service sees them: created with the role scoped to ids[scope_key] (no
  // role when empty), logged in, and authenticated.
  identity::Principal PrincipalWith(const std::string& username, const std::string& role = "",
                                    const std::string& scope_key = "");
  // An instrument of the organisation ids[owner_key]: 30-minute slots of 30 minutes to 4 hours,
  // bookable ten years ahead, in Shanghai time, priced for bookers of the owner.
  facilities::NewResource Instrument(const std::string& owner_key, const std::string& name_zh,
                                     const std::string& name_en);
  // A one-hour booking of `resource_id` for ids[org_key], from midnight UTC two days ahead.
  facilities::BookingRequest HourBooking(const std::string& resource_id, const std::string& org_key,
                                         const std::string& idempotency_key);

  // A small network: a park "Demo Park" with universities A (settled) and B (applied), an
  // enterprise E, and an alliance with A and B. Ids in `ids` by those names.
  void LoadFixture();
  // A research institute under the organisation ids[parent_key], stored as ids[key].
  void AddInstitute(const std::string& key, const std::string& parent_key);
  std::map<std::string, std::string> ids;

 private:
  std::string dir_;
  Config config_;
  std::unique_ptr<app::Application> app_;
  std::unique_ptr<api::Api> api_;
};

}  // namespace parkhub::testing
