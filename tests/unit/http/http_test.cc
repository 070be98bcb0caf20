#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "http/client_address.h"
#include "http/access_log.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/static_files.h"
#include "support/test_app.h"

namespace parkhub::http {
namespace {

TEST(RouterTest, MatchesPatternsAndReportsAllowedMethods) {
  Router router;
  router.Add("GET", "/api/v1/organizations/{id}", 1);
  router.Add("PATCH", "/api/v1/organizations/{id}", 2);
  HttpRequest request;
  request.method = "GET";
  request.path = "/api/v1/organizations/org_abc";
  auto match = router.Match(request);
  ASSERT_EQ(match.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(match.id, 1u);
  EXPECT_EQ(request.Param("id"), "org_abc");
  request.method = "DELETE";
  match = router.Match(request);
  EXPECT_EQ(match.kind, RouteMatch::Kind::kMethodNotAllowed);
  EXPECT_EQ(match.allowed_methods, (std::vector<std::string>{"GET", "PATCH"}));
  request.path = "/api/v1/nothing";
  EXPECT_EQ(router.Match(request).kind, RouteMatch::Kind::kNotFound);
}

TEST(QueryTest, DecodesAndRejectsMalformedEscapes) {
  std::map<std::string, std::string> query;
  ASSERT_TRUE(ParseQuery("q=%E9%A6%99%E6%B8%AF&limit=20&x=a+b", query));
  EXPECT_EQ(query["q"], "香港");
  EXPECT_EQ(query["x"], "a b");
  std::map<std::string, std::string> bad;
  EXPECT_FALSE(ParseQuery("q=%ZZ", bad));
}

TEST(StaticFilesTest, ServesInsideTheRootOnly) {
  std::string dir = testing::MakeTempDir();
  std::filesystem::create_directories(dir + "/web/assets");
  std::ofstream(dir + "/web/index.html") << "<html>app</html>";
  std::ofstream(dir + "/web/assets/app.js") << "console.log(1)";
  std::ofstream(dir + "/secret.txt") << "secret";
  StaticFiles files(dir + "/web");
  HttpRequest request;
  request.method = "GET";
  request.path = "/assets/app.js";
  auto js = files.Serve(request);
  ASSERT_TRUE(js.has_value());
  EXPECT_EQ(js->Header("Content-Type"), "text/javascript; charset=utf-8");
  request.path = "/organizations/org_1";  // an app route
  EXPECT_EQ(files.Serve(request)->body, "<html>app</html>");
  for (const char* hostile : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                              "/..\\secret.txt"}) {
    request.path = hostile;
    auto served = files.Serve(request);
    EXPECT_TRUE(!served.has_value() || served->body.find("secret") == std::string::npos) << hostile;
  }
  std::filesystem::remove_all(dir);
}

TEST(MetricsTest, RendersCountersAndHistograms) {
  Metrics metrics;
  metrics.Record("/api/v1/organizations", "GET", 200, 0.002);
  metrics.Record("/api/v1/organizations", "GET", 200, 0.02);
  std::string text = metrics.RenderPrometheus();
  EXPECT_NE(text.find("parkhub_http_requests_total{route=\"/api/v1/organizations\",method=\"GET\","
                      "status=\"200\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("parkhub_http_request_duration_seconds_count{route=\"/api/v1/organizations\","
                      "method=\"GET\"} 2"),
            std::string::npos);
}

TEST(AccessLogTest, WritesOneJsonObjectPerLine) {
  std::string dir = testing::MakeTempDir();
  {
    auto log = AccessLog::Open(dir + "/access.log");
    ASSERT_TRUE(log.ok());
    (*log)->Write({"2026-11-21T08:00:00Z", "GET", "/api/v1/organizations", "/api/v1/organizations",
                   200, 1.5, 512, "127.0.0.1", "alice"});
    (*log)->Write({"2026-11-21T08:00:01Z", "POST", "/x\n\"y", "unmatched", 404, 0.1, 10, "", ""});
  }
  std::ifstream in(dir + "/access.log");
  std::string first, second;
  std::getline(in, first);
  std::getline(in, second);
  auto a = nlohmann::json::parse(first);
  EXPECT_EQ(a["route"], "/api/v1/organizations");
  EXPECT_EQ(a["status"], 200);
  EXPECT_EQ(a["user"], "alice");
  EXPECT_EQ(nlohmann::json::parse(second)["status"], 404);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace parkhub::http

namespace parkhub::http {
namespace {

TEST(ClientAddressTest, OnlyATrustedProxyIsBelievedAboutTheClient) {
  std::vector<std::string> proxies = *ParseTrustedProxies("10.0.0.2, ::1");
  // A client that writes its own header is still itself.
  EXPECT_EQ(ClientAddress("203.0.113.7", "198.51.100.1", proxies), "203.0.113.7");
  // Behind the proxy: the rightmost address the proxy did not vouch for itself.
  EXPECT_EQ(ClientAddress("10.0.0.2", "198.51.100.1, 203.0.113.7", proxies), "203.0.113.7");
  EXPECT_EQ(ClientAddress("::1", "203.0.113.7, 10.0.0.2", proxies), "203.0.113.7");
  EXPECT_EQ(ClientAddress("10.0.0.2", "", proxies), "10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.2", "not-an-address", proxies), "10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.2", "203.0.113.7", {}), "10.0.0.2");
  EXPECT_FALSE(ParseTrustedProxies("10.0.0.2, proxy.example").ok());
  EXPECT_TRUE(ParseTrustedProxies("")->empty());
}

}  // namespace
}  // namespace parkhub::http
