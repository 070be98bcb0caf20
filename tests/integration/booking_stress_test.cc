// 64 concurrent clients booking 5 resources over HTTP: the store must end with zero overlaps.
#include <gtest/gtest.h>

#include <utility>
#include <boost/asio.hpp>
#include <random>
#include <thread>

#include "http/server.h"
#include "support/http_client.h"
#include "support/test_app.h"

namespace parkhub {
namespace {

using nlohmann::json;

TEST(BookingStressTest, SixtyFourClientsFiveResourcesZeroOverlaps) {
  testing::TestApp env;
  env.LoadFixture();
  env.UserWith("manager", "facility_manager", env.ids["B"]);
  env.UserWith("ellen", "member", env.ids["E"]);
  auto login = env.app().identity().Login("ellen", "password-123", "127.0.0.1");
  auto token = env.app().identity().IssueApiToken(login->principal, "stress");
  auto manager_login = env.app().identity().Login("manager", "password-123", "127.0.0.1");
  auto manager = *env.app().identity().AuthenticateSession(manager_login->session_token);

  std::vector<std::string> resources;
  for (int i = 0; i < 5; ++i) {
    facilities::NewResource r;
    r.owner_id = env.ids["B"];
    r.kind = "instrument";
    r.name_en = "Instrument " + std::to_string(i);
    r.time_zone = "Asia/Hong_Kong";
    r.rules.setup_minutes = 10;
    r.rules.cleanup_minutes = 20;
    auto created = env.app().facilities().CreateResource(manager, r);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    resources.push_back(created->resource.id);
  }

  http::ServerOptions options;
  options.address = "127.0.0.1";
  options.workers = 4;
  http::HttpServer server(options, [&](http::HttpRequest& r, http::Responder reply) { env.api().HandleAsync(r, reply); },
                          &api::Api::LimitResponse);
  ASSERT_TRUE(server.Start().ok());

  // Two days from now at 00:00 UTC (08:00 in Hong Kong), on the 30-minute grid.
  int64_t base = (ToUnixSeconds(std::chrono::system_clock::now()) / 86400 + 2) * 86400;
  std::atomic<int> created{0}, conflicts{0}, other{0};
  std::vector<std::thread> clients;
  for (int client = 0; client < 64; ++client) {
    clients.emplace_back([&, client] {
      std::mt19937 random(client);
      for (int attempt = 0; attempt < 15; ++attempt) {
        int64_t start = base + 1800 * static_cast<int64_t>(random() % 24);
        int64_t length = 1800 * static_cast<int64_t>(1 + random() % 4);
        json body = {{"resource_id", resources[random() % resources.size()]},
                     {"organization_id", env.ids["E"]},
                     {"starts_at", FormatUtc(FromUnixSeconds(start))},
                     {"ends_at", FormatUtc(FromUnixSeconds(start + length))},
                     {"idempotency_key", std::to_string(client) + "-" + std::to_string(attempt)}};
        auto response = testing::HttpCall(server.port(), "POST", "/api/v1/bookings", body.dump(),
                                          {{"Authorization", "Bearer " + token->token},
                                           {"Content-Type", "application/json"}});
        if (response.status == 201) {
          ++created;
        } else if (response.status == 409) {
          ++conflicts;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& client : clients) client.join();
  server.Shutdown();

  EXPECT_EQ(other.load(), 0);
  EXPECT_GT(created.load(), 0);
  EXPECT_GT(conflicts.load(), 0);  // the contention was real
  auto c = env.app().database().Acquire();
  auto overlaps = (*c)->QueryInt(
      "SELECT COUNT(*) FROM bookings a JOIN bookings b ON a.resource_id = b.resource_id AND a.id < "
      "b.id WHERE a.state IN ('pending', 'approved', 'checked_in') AND b.state IN ('pending', "
      "'approved', 'checked_in') AND a.block_start < b.block_end AND b.block_start < a.block_end");
  EXPECT_EQ(*overlaps, 0);
  EXPECT_EQ(*(*c)->QueryInt("SELECT COUNT(*) FROM bookings"), created.load());
}

}  // namespace
}  // namespace parkhub
