// A compute pool booked from the other side of the border is a data flow, decided by the
// cross-border policy with its whitelists (app/cross_border_gate.h behind
// facilities::CrossBorderGate).
#include <gtest/gtest.h>

#include "support/test_app.h"

namespace parkhub::governance {
namespace {

using testing::TestApp;

class CrossBorderBookingTest : public ::testing::Test {
 protected:
  CrossBorderBookingTest() {
    env_.LoadFixture();
    registry::OrganizationInput hong_kong;
    hong_kong.type = "university";
    hong_kong.name_zh_hans = "香港某大学";
    hong_kong.name_en = "A Hong Kong University";
    hong_kong.region = "hong_kong";
    auto org = env_.app().registry().CreateOrganization(
        registry::RegistryService::SystemPrincipal(), hong_kong);
    EXPECT_TRUE(org.ok()) << org.status().ToString();
    env_.ids["HK"] = org->id;
    auto manager = env_.PrincipalWith("manager", "facility_manager", "B");
    auto pool = env_.Instrument("B", "深圳算力池", "Shenzhen compute pool");
    pool.kind = "compute_pool";
    pool_ = env_.app().facilities().CreateResource(manager, pool)->resource.id;
    instrument_ = env_.app()
                      .facilities()
                      .CreateResource(manager, env_.Instrument("B", "质谱仪", "Mass spectrometer"))
                      ->resource.id;
  }

  // An hour `day` days after the fixture's first bookable day.
  Result<facilities::Booking> Book(const std::string& user, const std::string& org_key,
                                   const std::string& resource, const std::string& key,
                                   int day = 0) {
    auto booker = env_.PrincipalWith(user, "member", org_key);
    auto request = env_.HourBooking(resource, org_key, key);
    request.starts_at += int64_t{day} * 86400;
    request.ends_at += int64_t{day} * 86400;
    return env_.app().facilities().CreateBooking(booker, request);
  }

  TestApp env_;
  std::string pool_, instrument_;
};

TEST_F(CrossBorderBookingTest, AComputePoolAcrossTheBorderNeedsTheBookerWhitelistedForData) {
  auto refused = Book("hk_researcher", "HK", pool_, "first");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(refused.status().reason(), "flow_not_permitted");
  EXPECT_NE(refused.status().message().find("not_permitted"), std::string::npos)
      << refused.status().message();
  auto quote = env_.app().facilities().QuoteBooking(env_.PrincipalWith("hk_quoter", "member", "HK"),
                                                    env_.HourBooking(pool_, "HK", "quote"));
  EXPECT_EQ(quote.status().reason(), "flow_not_permitted") << "a quote says so before booking";
  // An instrument used on site is not data crossing the border; a mainland booker of the pool
  // crosses nothing.
  EXPECT_TRUE(Book("hk_visitor", "HK", instrument_, "instrument").ok());
  EXPECT_TRUE(Book("mainland_engineer", "E", pool_, "mainland").ok());

  auto officer = env_.PrincipalWith("officer", "compliance_officer", "park");
  NewWhitelistEntry entry{"organisation",
                          env_.ids["HK"],
                          {"data"},
                          {},
                          {},
                          {},
                          "2026-01-01T00:00:00Z",
                          "2036-01-01T00:00:00Z",
                          "深圳海关",
                          "深关〔2026〕示例9号"};
  ASSERT_TRUE(env_.app().governance().AddWhitelistEntry(officer, entry).ok());
  auto booked = Book("hk_researcher2", "HK", pool_, "second", 1);
  EXPECT_TRUE(booked.ok()) << booked.status().ToString();
}

}  // namespace
}  // namespace parkhub::governance
