// The real server on a loopback port chosen by the OS, speaking HTTP.
#include <gtest/gtest.h>

#include <utility>
#include <boost/asio.hpp>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "db/sqlite/sqlite_database.h"
#include "http/server.h"
#include "support/http_client.h"
#include "support/test_app.h"

namespace parkhub {
namespace {

using nlohmann::json;
using testing::HttpCall;
using testing::RawExchange;

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(http::ServerOptions options = {}) {
    options.address = "127.0.0.1";
    options.port = 0;
    options.workers = 2;
    server_ = std::make_unique<http::HttpServer>(
        options,
        [this](http::HttpRequest& r, http::Responder reply) { env_->api().HandleAsync(r, reply); },
        &api::Api::LimitResponse);
    ASSERT_TRUE(server_->Start().ok());
    port_ = server_->port();
  }
  void SetUp() override {
    Config config;
    web_dir_ = testing::MakeTempDir();
    std::ofstream(web_dir_ + "/index.html") << "<html>ParkHub</html>";
    config.web_root = web_dir_;
    env_ = std::make_unique<testing::TestApp>(config);
    env_->LoadFixture();
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
    server_.reset();
    env_.reset();
    std::filesystem::remove_all(web_dir_);
  }
  std::map<std::string, std::string> LoginHeaders(const std::string& user) {
    auto login = HttpCall(port_, "POST", "/api/v1/auth/login",
                          json{{"username", user}, {"password", "password-123"}}.dump(),
                          {{"Content-Type", "application/json"}});
    EXPECT_EQ(login.status, 200) << login.body;
    std::string cookie = login.headers["set-cookie"];
    return {{"Cookie", cookie.substr(0, cookie.find(';'))},
            {"X-CSRF-Token", json::parse(login.body)["csrf_token"]},
            {"Content-Type", "application/json"}};
  }
  int64_t Organizations() {
    auto c = env_->app().database().Acquire();
    return *(*c)->QueryInt("SELECT COUNT(*) FROM organizations");
  }

  std::string web_dir_;
  std::unique_ptr<testing::TestApp> env_;
  std::unique_ptr<http::HttpServer> server_;
  int port_ = 0;
};

TEST_F(ServerTest, LogsInAndWritesWithCookieAndCsrf) {
  StartServer();
  env_->UserWith("platform", "platform_admin");
  auto headers = LoginHeaders("platform");
  auto created = HttpCall(port_, "POST", "/api/v1/organizations",
                          R"({"type":"enterprise","region":"mainland","name_en":"Over HTTP"})",
                          headers);
  EXPECT_EQ(created.status, 201) << created.body;
  auto found = HttpCall(port_, "GET", "/api/v1/organizations?q=over%20http");
  EXPECT_EQ(json::parse(found.body)["total"], 1);
  EXPECT_EQ(found.headers["content-type"], "application/json");
}

TEST_F(ServerTest, OversizedBodyIs413AndWritesNothing) {
  http::ServerOptions options;
  options.max_body_bytes = 1024;
  StartServer(options);
  env_->UserWith("platform", "platform_admin");
  auto headers = LoginHeaders("platform");
  int64_t before = Organizations();
  std::string big = R"({"type":"enterprise","region":"mainland","name_en":")" +
                    std::string(4096, 'x') + "\"}";
  auto response = HttpCall(port_, "POST", "/api/v1/organizations", big, headers);
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(response.headers["content-type"], "application/problem+json");
  EXPECT_EQ(Organizations(), before);
}

TEST_F(ServerTest, OversizedHeadersAre431) {
  http::ServerOptions options;
  options.max_header_bytes = 2048;
  StartServer(options);
  auto response = HttpCall(port_, "GET", "/healthz", "", {{"X-Padding", std::string(8192, 'a')}});
  EXPECT_EQ(response.status, 431);
}

TEST_F(ServerTest, MalformedRequestLineIs400) {
  StartServer();
  std::string answer = RawExchange(port_, "GARBAGE\r\n\r\n");
  EXPECT_NE(answer.find("HTTP/1.1 400"), std::string::npos) << answer;
}

// RFC 9112: a transfer coding the server does not understand is 501, not ignored; every
// answer, refusals included, carries the Content-Security-Policy.
TEST_F(ServerTest, UnknownTransferCodingsAre501) {
  StartServer();
  int64_t before = Organizations();
  std::string body = "5\r\nhello\r\n0\r\n\r\n";
  std::string answer = RawExchange(port_, "POST /api/v1/organizations HTTP/1.1\r\nHost: x\r\n"
                                          "Content-Type: application/json\r\n"
                                          "Transfer-Encoding: gzip, chunked\r\n\r\n" + body);
  EXPECT_NE(answer.find("HTTP/1.1 501"), std::string::npos) << answer;
  EXPECT_NE(answer.find("Content-Security-Policy: default-src 'self'"), std::string::npos) << answer;
  EXPECT_NE(answer.find("\"title\":\"Not Implemented\""), std::string::npos) << answer;
  EXPECT_EQ(Organizations(), before);
  std::string chunked = RawExchange(port_, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                                           "Content-Type: application/json\r\nConnection: close\r\n"
                                           "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.find("HTTP/1.1 501"), std::string::npos) << chunked;
}

// Behind a trusted proxy, the throttle sees each client's own address: a spray of failures from
// one client blocks that client, not the proxy's other clients. From an untrusted peer the
// header is ignored, so a client cannot pick a fresh address per attempt.
TEST_F(ServerTest, TheThrottleSeesClientsBehindATrustedProxy) {
  for (int i = 0; i < 20; ++i) env_->UserWith("user" + std::to_string(i));
  http::ServerOptions options;
  options.trusted_proxies = {"127.0.0.1"};
  StartServer(options);
  auto login = [this](const std::string& user, const std::string& password, const std::string& client) {
    return HttpCall(port_, "POST", "/api/v1/auth/login",
                    json{{"username", user}, {"password", password}}.dump(),
                    {{"Content-Type", "application/json"}, {"X-Forwarded-For", client}});
  };
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(login("user" + std::to_string(i), "wrong-password", "203.0.113.66").status, 401);
  }
  EXPECT_EQ(login("user0", "password-123", "203.0.113.66").status, 429);
  EXPECT_EQ(login("user0", "password-123", "198.51.100.7").status, 200);
}

TEST_F(ServerTest, AnUntrustedPeerCannotChooseItsAddress) {
  for (int i = 0; i < 20; ++i) env_->UserWith("user" + std::to_string(i));
  StartServer();
  for (int i = 0; i < 20; ++i) {
    auto failed = HttpCall(port_, "POST", "/api/v1/auth/login",
                           json{{"username", "user" + std::to_string(i)}, {"password", "wrong-password"}}.dump(),
                           {{"Content-Type", "application/json"},
                            {"X-Forwarded-For", "198.51.100." + std::to_string(i)}});
    EXPECT_EQ(failed.status, 401);
  }
  auto blocked = HttpCall(port_, "POST", "/api/v1/auth/login",
                          json{{"username", "user0"}, {"password", "password-123"}}.dump(),
                          {{"Content-Type", "application/json"}, {"X-Forwarded-For", "192.0.2.1"}});
  EXPECT_EQ(blocked.status, 429);
}

TEST_F(ServerTest, SlowClientIsCutOffByTheReadTimeout) {
  http::ServerOptions options;
  options.read_timeout = std::chrono::seconds(1);
  StartServer(options);
  // Half a request line, then silence: the server must close the connection by itself.
  auto started = std::chrono::steady_clock::now();
  std::string answer = RawExchange(port_, "GET /api/v1/organ", 10'000);
  auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(answer.empty());
  EXPECT_LT(waited, std::chrono::seconds(9));  // closed by the server, not by our own time-out
  EXPECT_EQ(HttpCall(port_, "GET", "/healthz").status, 200);
}

TEST_F(ServerTest, ConnectionCapAnswers503) {
  http::ServerOptions options;
  options.max_connections = 1;
  StartServer(options);
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket holder(ioc);
  holder.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)});
  // Wait until the server has accepted the held connection.
  while (server_->active_connections() < 1) std::this_thread::yield();
  std::string answer = RawExchange(port_, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(answer.find("HTTP/1.1 503"), std::string::npos) << answer;
}

TEST_F(ServerTest, PathTraversalFindsNothing) {
  StartServer();
  for (const char* target : {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2fetc%2fpasswd"}) {
    std::string answer =
        RawExchange(port_, std::string("GET ") + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(answer.find("root:"), std::string::npos) << target;
    EXPECT_NE(answer.find("HTTP/1.1 404"), std::string::npos) << target << answer;
  }
  auto app_route = HttpCall(port_, "GET", "/organizations");
  EXPECT_EQ(app_route.body, "<html>ParkHub</html>");
}

TEST_F(ServerTest, ShutdownDrainsInFlightRequests) {
  std::promise<void> entered;
  std::promise<void> release;
  auto release_future = release.get_future().share();
  http::ServerOptions options;
  options.address = "127.0.0.1";
  options.workers = 2;
  server_ = std::make_unique<http::HttpServer>(
      options,
      [&](http::HttpRequest& r, http::Responder reply) {
        if (r.path == "/api/v1/organizations" && r.method == "POST") {
          entered.set_value();
          release_future.wait();
        }
        env_->api().HandleAsync(r, reply);
      },
      &api::Api::LimitResponse);
  ASSERT_TRUE(server_->Start().ok());
  port_ = server_->port();
  env_->UserWith("platform", "platform_admin");
  auto headers = LoginHeaders("platform");
  int64_t before = Organizations();
  auto in_flight = std::async(std::launch::async, [&] {
    return HttpCall(port_, "POST", "/api/v1/organizations",
                    R"({"type":"enterprise","region":"mainland","name_en":"Drained"})", headers);
  });
  entered.get_future().wait();
  auto stopping = std::async(std::launch::async, [&] { server_->Shutdown(); });
  release.set_value();
  auto response = in_flight.get();
  stopping.get();
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(Organizations(), before + 1);
}

TEST_F(ServerTest, OnlineBackupWhileServingRestoresEverything) {
  if (env_->app().database().Dialect() != "sqlite") {
    GTEST_SKIP() << "file backups are SQLite's; PostgreSQL is backed up with its own tools";
  }
  StartServer();
  env_->UserWith("platform", "platform_admin");
  auto headers = LoginHeaders("platform");
  for (int i = 0; i < 5; ++i) {
    auto r = HttpCall(port_, "POST", "/api/v1/organizations",
                      json{{"type", "enterprise"}, {"region", "mainland"},
                           {"name_en", "Backup Co " + std::to_string(i)}}.dump(),
                      headers);
    ASSERT_EQ(r.status, 201);
  }
  std::string backup = web_dir_ + "/backup.db";
  ASSERT_TRUE(env_->app().database().BackupTo(backup).ok());
  int64_t expected = Organizations();
  std::string restored_dir = testing::MakeTempDir();
  ASSERT_TRUE(db::RestoreSqlite(backup, restored_dir + "/parkhub.db").ok());
  auto restored = db::SqliteDatabase::Open(restored_dir + "/parkhub.db");
  auto c = (*restored)->Acquire();
  EXPECT_EQ(*(*c)->QueryInt("SELECT COUNT(*) FROM organizations"), expected);
  std::filesystem::remove_all(restored_dir);
}

TEST_F(ServerTest, HealthReadinessAndMetrics) {
  StartServer();
  EXPECT_EQ(HttpCall(port_, "GET", "/healthz").status, 200);
  EXPECT_EQ(HttpCall(port_, "GET", "/readyz").status, 200);
  HttpCall(port_, "GET", "/api/v1/organizations");
  auto metrics = HttpCall(port_, "GET", "/metrics");
  EXPECT_NE(metrics.body.find("parkhub_http_request_duration_seconds_bucket{route=\"/api/v1/organizations\""),
            std::string::npos);
}

// Hostile recurrence rules, from someone with no role and from a real booker, arrive together
// on a server with two workers: each gets its answer and /healthz keeps answering.
TEST_F(ServerTest, HostileRecurrenceRulesNeverStallTheServer) {
  env_->UserWith("manager", "facility_manager", env_->ids["B"]);
  env_->UserWith("nobody");
  env_->UserWith("ellen", "member", env_->ids["E"]);
  StartServer();
  auto manager = LoginHeaders("manager");
  auto resource = HttpCall(port_, "POST", "/api/v1/resources",
                           json{{"owner_id", env_->ids["B"]}, {"kind", "instrument"},
                                {"name_en", "Cryo-EM"}, {"time_zone", "Asia/Shanghai"}}.dump(),
                           manager);
  ASSERT_EQ(resource.status, 201) << resource.body;
  std::string resource_id = json::parse(resource.body)["id"];
  auto series = [&](const std::string& user, const std::string& rule) {
    return std::async(std::launch::async, [this, user, rule, resource_id] {
      json body = {{"resource_id", resource_id}, {"organization_id", env_->ids["E"]},
                   {"starts_at", "2030-01-07T02:00:00Z"}, {"ends_at", "2030-01-07T03:00:00Z"},
                   {"idempotency_key", user + rule}, {"rrule", rule}};
      return HttpCall(port_, "POST", "/api/v1/bookings/series", body.dump(), LoginHeaders(user));
    });
  };
  std::vector<std::future<testing::ClientResponse>> nobody, booker;
  for (const char* rule : {"FREQ=MINUTELY;COUNT=3;BYDAY=-53SU", "FREQ=SECONDLY;COUNT=3;BYMONTH=2;BYMONTHDAY=30"}) {
    nobody.push_back(series("nobody", rule));
    booker.push_back(series("ellen", rule));
  }
  EXPECT_EQ(HttpCall(port_, "GET", "/healthz").status, 200);
  for (auto& answer : nobody) EXPECT_EQ(answer.get().status, 403);
  for (auto& answer : booker) {
    auto refused = answer.get();
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(json::parse(refused.body)["errors"][0]["field"], "rrule") << refused.body;
  }
  EXPECT_EQ(HttpCall(port_, "GET", "/healthz").status, 200);
}

}  // namespace
}  // namespace parkhub
