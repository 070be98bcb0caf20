// Several ParkHub instances on one PostgreSQL database: notifications wake the others, a shared
// job has one leader, and each instance's search index follows the outbox after its own cursor,
// catching up in place when it fell behind the retention window. Skips without a server.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <future>
#include <thread>

#include "app/event_follower.h"
#include "db/domain_events.h"
#include "support/drivers.h"
#include "support/settled_events.h"
#include "support/test_app.h"

namespace parkhub::app {
namespace {

const testing::StoreDriver& Postgres() { return testing::StoreDrivers().back(); }

class InstancesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!Postgres().available()) GTEST_SKIP() << "no PostgreSQL server for this run";
    url_ = Postgres().url("");
  }
  std::unique_ptr<testing::TestApp> Instance(const std::string& name,
                                             const Clock* clock = nullptr) {
    Config config;
    config.database_url = url_;
    config.instance_name = name;
    return std::make_unique<testing::TestApp>(config, clock);
  }
  // A public result listing of organisation A, published through `on`.
  static std::string Publish(testing::TestApp& on, const std::string& title) {
    static int authors = 0;
    auto alice = on.PrincipalWith("author" + std::to_string(++authors), "member", "A");
    exchange::ListingInput listing;
    listing.kind = "result";
    listing.owner_id = on.ids.at("A");
    listing.visibility = "public";
    listing.title = title;
    listing.summary = "高导热薄膜，用于手机散热";
    listing.trl = 6;
    listing.details = nlohmann::json{{"ip_status", "granted"},
                                     {"patent_numbers", {"CN112345678A"}},
                                     {"transfer_modes", {"licence"}},
                                     {"negotiable", true}};
    auto created = on.app().exchange().CreateListing(alice, listing);
    if (!created.ok()) throw std::runtime_error(created.status().ToString());
    if (!on.app().exchange().PublishListing(alice, created->id, "").ok()) {
      throw std::runtime_error("publish failed");
    }
    return created->id;
  }
  static size_t Found(testing::TestApp& on, const std::string& query) {
    exchange::SearchRequest search;
    search.query = query;
    auto found = on.app().exchange().Search(identity::Principal{}, search);
    return found.ok() ? found->items.size() : 0;
  }
  std::string url_;
};

TEST_F(InstancesTest, AListenerWakesWhenAnotherConnectionCommitsNotBefore) {
  auto database = db::Open(url_);
  auto listener = (*database)->Listen("parkhub_test_channel");
  ASSERT_TRUE(listener.ok()) << listener.status().ToString();
  auto c = (*database)->Acquire();
  auto tx = db::Transaction::Begin(**c, db::TxMode::kWrite);
  ASSERT_TRUE((*c)->Notify("parkhub_test_channel").ok());
  EXPECT_FALSE((*listener)->Wait(std::chrono::milliseconds(200))) << "not before the commit";
  ASSERT_TRUE(tx->Commit().ok());
  EXPECT_TRUE((*listener)->Wait(std::chrono::seconds(30)));
}

TEST_F(InstancesTest, OneInstanceLeadsAJobUntilItIsGone) {
  auto first = db::Open(url_);
  auto second = db::Open(url_);
  EXPECT_TRUE(*(*first)->TryLead("booking reminders"));
  EXPECT_TRUE(*(*first)->TryLead("booking reminders")) << "it keeps leading";
  EXPECT_FALSE(*(*second)->TryLead("booking reminders"));
  EXPECT_TRUE(*(*second)->TryLead("listing expiry")) << "each job has its own leader";
  first->reset();  // the process exits: its session, and its lock, end
  EXPECT_TRUE(*(*second)->TryLead("booking reminders"));
}

TEST_F(InstancesTest, APublishOnOneInstanceWakesTheOthersIndex) {
  auto a = Instance("a");
  a->LoadFixture();
  auto b = Instance("b");
  b->ids = a->ids;
  std::promise<void> found;
  std::atomic<bool> done{false};
  // An hour between polls: only the notification can wake B in time.
  EventFollower follower(
      b->app().database(), db::DomainEvents::ChannelOf("listing.changed"),
      [&]() -> Status {
        ASSIGN_OR_RETURN(int applied, b->app().exchange().indexer().CatchUp());
        if (applied > 0 && Found(*b, "石墨烯") == 1 && !done.exchange(true)) found.set_value();
        return Status::Ok();
      },
      std::chrono::hours(1), [](const std::string& failure) { ADD_FAILURE() << failure; });
  ASSERT_TRUE(follower.Start().ok());
  EXPECT_EQ(Found(*b, "石墨烯"), 0u);
  Publish(*a, "石墨烯散热膜");
  EXPECT_EQ(found.get_future().wait_for(std::chrono::seconds(60)), std::future_status::ready);
  follower.Stop();
}

TEST_F(InstancesTest, AnIndexBehindTheRetentionWindowCatchesUpInPlace) {
  ManualClock clock(std::chrono::system_clock::now());
  auto a = Instance("a", &clock);
  a->LoadFixture();
  auto b = Instance("b");  // its cursor now holds the outbox for it
  b->ids = a->ids;
  Publish(*a, "石墨烯散热膜");
  Publish(*a, "钙钛矿电池");
  clock.Advance(std::chrono::hours(24 * 8));  // B was gone longer than the week's retention
  auto c = b->app().database().Acquire();
  testing::AwaitSettledEvents(**c);  // only settled events are ever pruned
  ASSERT_TRUE(a->app().exchange().indexer().Checkpoint().ok());
  EXPECT_GT(*db::DomainEvents::PrunedThrough(**c), b->app().search_index().LastAppliedSeq());
  ASSERT_TRUE(b->app().exchange().indexer().CatchUp().ok());
  EXPECT_EQ(Found(*b, "石墨烯"), 1u);
  EXPECT_EQ(Found(*b, "钙钛矿"), 1u);
}

// While an older transaction still runs, a publish is committed but not settled: it is
// searchable on the other instance at once, and applied there once, not at every catch-up.
TEST_F(InstancesTest, AnUnsettledPublishIsSearchableAtOnceAndAppliedOnce) {
  auto a = Instance("a");
  a->LoadFixture();
  auto b = Instance("b");
  b->ids = a->ids;
  auto holder = b->app().database().Acquire();
  ASSERT_TRUE(holder.ok());
  auto older = db::Transaction::Begin(**holder, db::TxMode::kWrite);
  ASSERT_TRUE(older.ok());
  ASSERT_TRUE((*holder)->QueryInt("SELECT pg_current_xact_id()::text::bigint").ok());
  Publish(*a, "石墨烯散热膜");
  auto first = b->app().exchange().indexer().CatchUp();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_GT(*first, 0);
  EXPECT_EQ(Found(*b, "石墨烯"), 1u) << "searchable before it settles";
  EXPECT_EQ(*b->app().exchange().indexer().CatchUp(), 0) << "applied once, not at every catch-up";
  ASSERT_TRUE(older->Commit().ok());
  testing::AwaitSettledEvents(**holder);
  EXPECT_EQ(*b->app().exchange().indexer().CatchUp(), 0) << "passed, not applied again";
  EXPECT_EQ(Found(*b, "石墨烯"), 1u);
}

TEST_F(InstancesTest, AnInstancesCursorKeepsTheEventsItHasNotSnapshotted) {
  auto a = Instance("a");
  a->LoadFixture();
  auto b = Instance("b");
  b->ids = a->ids;
  Publish(*a, "石墨烯散热膜");
  ASSERT_TRUE(a->app().exchange().indexer().Checkpoint().ok());
  ASSERT_TRUE(b->app().exchange().indexer().CatchUp().ok());
  EXPECT_EQ(Found(*b, "石墨烯"), 1u) << "read from the outbox, not rebuilt";
  auto c = b->app().database().Acquire();
  EXPECT_LE(*db::DomainEvents::PrunedThrough(**c), b->app().search_index().DurableSeq());
}

// Waits until the standby has replayed everything the primary has written so far.
void AwaitReplayed(db::Database& primary, db::Database& standby) {
  auto p = primary.Acquire();
  auto s = standby.Acquire();
  ASSERT_TRUE(p.ok() && s.ok());
  // The insert position, not the write position: the test clusters run with synchronous_commit
  // off, so a commit already acknowledged may not be written yet, and waiting for the write
  // position could return before the standby has replayed it.
  auto written = (*p)->QueryOne("SELECT pg_current_wal_insert_lsn()::text", {}, "position");
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  for (int i = 0; i < 2000; ++i) {
    auto replayed = (*s)->QueryInt(
        "SELECT CASE WHEN pg_last_wal_replay_lsn() >= ?::pg_lsn THEN 1 "
        "ELSE 0 END",
        {std::string(written->Text(0))});
    ASSERT_TRUE(replayed.ok()) << replayed.status().ToString();
    if (*replayed == 1) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  FAIL() << "the standby never replayed " << written->Text(0);
}

// database_read_url: reports read the hot standby (they lag with it), and a new instance's index
// is rebuilt from the standby and then caught up from the primary's outbox.
TEST_F(InstancesTest, AStandbyServesReportsAndRebuildsThatCatchUpOnThePrimary) {
  const char* standby_server = std::getenv("PARKHUB_TEST_POSTGRES_STANDBY_URL");
  if (standby_server == nullptr) GTEST_SKIP() << "no standby for this run";
  const std::string standby_url = standby_server + url_.substr(url_.find('?'));  // same schema
  auto a = Instance("a");
  a->LoadFixture();
  auto manager = a->PrincipalWith("manager", "facility_manager", "B");
  auto resource = a->app().facilities().CreateResource(manager, a->Instrument("B", "质谱仪", "MS"));
  ASSERT_TRUE(resource.ok()) << resource.status().ToString();
  Publish(*a, "石墨烯散热膜");
  auto standby = db::Open(standby_url);
  ASSERT_TRUE(standby.ok()) << standby.status().ToString();
  AwaitReplayed(a->app().database(), **standby);

  auto pause = (*(*standby)->Acquire())->Execute("SELECT pg_wal_replay_pause()");
  ASSERT_TRUE(pause.ok()) << pause.status().ToString();
  struct Resume {
    db::Database& standby;
    ~Resume() { (void)(*standby.Acquire())->Execute("SELECT pg_wal_replay_resume()"); }
  } resume{**standby};
  Publish(*a, "钙钛矿电池");  // on the primary only, for now
  auto request = a->HourBooking(resource->resource.id, "B", "standby");
  int64_t start = request.starts_at;
  auto booked = a->app().facilities().CreateBooking(manager, request);
  ASSERT_TRUE(booked.ok()) << booked.status().ToString();
  if (booked->state != facilities::BookingState::kApproved) {
    ASSERT_TRUE(a->app()
                    .facilities()
                    .Act(manager, booked->id, facilities::BookingAction::kApprove, "")
                    .ok());
  }

  Config config;
  config.database_url = url_;
  config.database_read_url = standby_url;
  config.instance_name = "b";
  testing::TestApp b(config);
  b.ids = a->ids;
  EXPECT_EQ(Found(b, "石墨烯"), 1u) << "rebuilt from the standby";
  EXPECT_EQ(Found(b, "钙钛矿"), 1u) << "caught up from the primary's outbox";
  auto report = [&] {
    auto used = b.app().facility_reports().ResourceUtilisation(manager, resource->resource.id,
                                                               start - 86400, start + 86400);
    EXPECT_TRUE(used.ok()) << used.status().ToString();
    return used.ok() ? used->bookings : -1;
  };
  EXPECT_EQ(report(), 0) << "the report reads the paused standby";
  ASSERT_TRUE((*(*standby)->Acquire())->Execute("SELECT pg_wal_replay_resume()").ok());
  AwaitReplayed(a->app().database(), **standby);
  EXPECT_EQ(report(), 1);
}

TEST(ReadDatabaseTest, OnlyAPostgreSQLPrimaryHasAStandby) {
  Config config;
  config.data_dir = testing::MakeTempDir();
  config.database_read_url = "postgresql://parkhub@127.0.0.1:1/parkhub";
  auto app = Application::Open(config, SchemaPolicy::kMigrate);
  ASSERT_FALSE(app.ok());
  EXPECT_EQ(app.status().field_errors().at(0).field, "database_read_url");
  std::filesystem::remove_all(config.data_dir);
}

}  // namespace
}  // namespace parkhub::app
