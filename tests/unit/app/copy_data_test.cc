// `parkhub copy-data` (app/copy_data.h): a SQLite deployment with every module's rows moves into
// an empty PostgreSQL database, verified table by table, and ParkHub then runs on the copy as it
// ran on the original. Skips without a PostgreSQL server (scripts/test.sh starts one).
#include "app/copy_data.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "registry/registry_service.h"
#include "support/drivers.h"
#include "support/test_app.h"

namespace parkhub::app {
namespace {

class CopyDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!Postgres().available()) GTEST_SKIP() << "no PostgreSQL server for this run";
    source_ = std::make_unique<testing::TestApp>(Config{}, nullptr, &testing::StoreDrivers()[0]);
    source_->LoadFixture();
    auto manager = source_->PrincipalWith("manager", "facility_manager", "B");
    auto resource = source_->app().facilities().CreateResource(
        manager, source_->Instrument("B", "质谱仪", "Mass spectrometer"));
    ASSERT_TRUE(resource.ok());
    facilities::BookingRequest request;
    request.resource_id = resource->resource.id;
    request.organization_id = source_->ids["B"];
    request.starts_at = ToUnixSeconds(source_->app().clock().Now()) / 86400 * 86400 + 2 * 86400;
    request.ends_at = request.starts_at + 3600;
    request.idempotency_key = "first";
    ASSERT_TRUE(source_->app().facilities().CreateBooking(manager, request).ok());
    auto alice = source_->PrincipalWith("alice", "member", "A");
    exchange::ListingInput listing;
    listing.kind = "result";
    listing.owner_id = source_->ids["A"];
    listing.visibility = "public";
    listing.title = "石墨烯散热膜";
    listing.summary = "高导热石墨烯薄膜，用于手机散热";
    listing.trl = 6;
    listing.details = nlohmann::json{{"ip_status", "granted"},
                                     {"patent_numbers", {"CN112345678A"}},
                                     {"transfer_modes", {"licence"}},
                                     {"negotiable", true}};
    auto created = source_->app().exchange().CreateListing(alice, listing);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    ASSERT_TRUE(source_->app().exchange().PublishListing(alice, created->id, "").ok());
    target_url_ = Postgres().url("");
  }
  static const testing::StoreDriver& Postgres() { return testing::StoreDrivers().back(); }

  std::unique_ptr<testing::TestApp> source_;
  std::string target_url_;
};

TEST_F(CopyDataTest, EveryTableArrivesVerifiedAndTheCopyServesAsTheOriginalDid) {
  auto target = db::Open(target_url_);
  ASSERT_TRUE(target.ok());
  int64_t last_done = -1, reported_total = 0;
  auto copied = CopyData(source_->app().database(), **target, [&](int64_t done, int64_t total) {
    EXPECT_GT(done, last_done);
    last_done = done;
    reported_total = total;
  });
  ASSERT_TRUE(copied.ok()) << copied.status().ToString();
  EXPECT_EQ(last_done, reported_total);
  std::map<std::string, int64_t> rows;
  for (const TableCopy& table : *copied) rows[table.table] = table.rows;
  EXPECT_EQ(rows["organizations"], 5);
  EXPECT_EQ(rows["bookings"], 1);
  EXPECT_EQ(rows["listings"], 1);
  EXPECT_FALSE(rows.contains("schema_migrations")) << "the target's own bookkeeping";
  target->reset();

  Config on_copy;
  on_copy.database_url = target_url_;
  testing::TestApp copy(on_copy);
  auto system = registry::RegistryService::SystemPrincipal();
  EXPECT_EQ(copy.app().registry().ListOrganizations({})->total, 5);
  registry::OrganizationInput added;  // new rows take ids after the copied ones
  added.type = "enterprise";
  added.region = "mainland";
  added.name_en = "Arrived After The Move";
  ASSERT_TRUE(copy.app().registry().CreateOrganization(system, added).ok());
  exchange::SearchRequest search;
  search.query = "石墨烯";
  auto found = copy.app().exchange().Search(copy.PrincipalWith("reader"), search);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->items.size(), 1u) << "the copy's own index, built from the copied listings";
}

TEST_F(CopyDataTest, ATargetThatHoldsDataIsRefusedAndKeptAsItWas) {
  auto target = db::Open(target_url_);
  ASSERT_TRUE(CopyData(source_->app().database(), **target, nullptr).ok());
  auto again = CopyData(source_->app().database(), **target, nullptr);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().reason(), "target_not_empty");
  auto c = (*target)->Acquire();
  EXPECT_EQ(*(*c)->QueryInt("SELECT COUNT(*) FROM organizations"), 5);
}

}  // namespace
}  // namespace parkhub::app
