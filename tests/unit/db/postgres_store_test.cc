// What only the PostgreSQL driver has: placeholders rewritten, timestamps read as RFC 3339, its
// errors when the server is away, a pooled connection that died, and a schema with the same tables
// and columns as SQLite's. The contract every driver keeps is in store_test.cc. The tests that
// need a server skip without one (PARKHUB_TEST_POSTGRES_URL; scripts/test.sh starts one).
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <thread>

#include "app/application.h"
#include "core/clock.h"
#include "db/migrator.h"
#include "db/postgres/postgres_database.h"
#include "support/drivers.h"
#include "support/test_app.h"

namespace parkhub::db {
namespace {

TEST(PostgresSqlTest, PlaceholdersAreNumberedOutsideQuotesAndComments) {
  EXPECT_EQ(NumberPlaceholders("SELECT a FROM t WHERE b = ? AND c IN (?, ?)"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
  EXPECT_EQ(NumberPlaceholders("SELECT '?', \"odd?name\" FROM t -- why?\nWHERE x = ?"),
            "SELECT '?', \"odd?name\" FROM t -- why?\nWHERE x = $1");
  EXPECT_EQ(NumberPlaceholders("SELECT 'it''s ?' || ?"), "SELECT 'it''s ?' || $1");
}

TEST(PostgresSqlTest, TimestampsReadAsRfc3339InUtc) {
  EXPECT_EQ(TimestampToRfc3339("2026-11-29 14:01:16+00"), "2026-11-29T14:01:16Z");
  EXPECT_EQ(TimestampToRfc3339("2026-11-29 14:01:16.25+00"), "2026-11-29T14:01:16.25Z");
}

TEST(PostgresSqlTest, AServerThatIsNotThereIsUnavailable) {
  // Port 1 on loopback: nothing listens there.
  auto opened = Open("postgresql://parkhub@127.0.0.1:1/parkhub?connect_timeout=2");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(opened.status().reason(), "database_unavailable");
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const testing::StoreDriver& postgres = testing::StoreDrivers().back();
    if (!postgres.available()) GTEST_SKIP() << "no PostgreSQL server for this run";
    auto opened = Open(postgres.url(""));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    database_ = std::move(opened).value();
  }
  std::unique_ptr<Database> database_;
};

TEST_F(PostgresStoreTest, RecordTimesRoundTripAsTheyWereWritten) {
  auto c = database_->Acquire();
  ASSERT_TRUE((*c)->ExecuteScript("CREATE TABLE times (at timestamptz, doc jsonb)").ok());
  ASSERT_TRUE((*c)->Execute("INSERT INTO times VALUES (?, ?), (?, ?)",
                            {std::string("2026-11-29T14:01:16Z"), std::string(R"({"a":1})"),
                             nullptr, std::string("{}")})
                  .ok());
  auto rows = (*c)->Query("SELECT at, doc FROM times ORDER BY at");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].Text(0), "2026-11-29T14:01:16Z");
  EXPECT_EQ(nlohmann::json::parse((*rows)[0].Text(1)), nlohmann::json({{"a", 1}}));
  EXPECT_TRUE((*rows)[1].IsNull(0));
  auto earlier = (*c)->QueryInt("SELECT COUNT(*) FROM times WHERE at < ?",
                                {std::string("2026-11-30T00:00:00Z")});
  EXPECT_EQ(*earlier, 1);
}

TEST_F(PostgresStoreTest, FileBackupsAreRefusedWithTheToolToUse) {
  Status backup = database_->BackupTo("/tmp/never-written.db");
  EXPECT_EQ(backup.code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(backup.message().find("pg_basebackup"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists("/tmp/never-written.db"));
}

TEST_F(PostgresStoreTest, AConnectionTheServerDroppedIsUnavailableAndNotPooledAgain) {
  int64_t dropped_pid = 0;
  {
    auto c = database_->Acquire();
    dropped_pid = *(*c)->QueryInt("SELECT pg_backend_pid()");
    auto other = database_->Acquire();
    ASSERT_TRUE(
        (*other)->Query("SELECT pg_terminate_backend(CAST(? AS integer))", {dropped_pid}).ok());
    auto lost = (*c)->QueryInt("SELECT 1");
    ASSERT_FALSE(lost.ok());
    EXPECT_EQ(lost.status().code(), ErrorCode::kUnavailable);
  }
  for (int i = 0; i < 3; ++i) {  // the pool hands out only live connections
    auto c = database_->Acquire();
    auto pid = (*c)->QueryInt("SELECT pg_backend_pid()");
    ASSERT_TRUE(pid.ok()) << pid.status().ToString();
    EXPECT_NE(*pid, dropped_pid);
  }
}

TEST_F(PostgresStoreTest, InstancesMigratingTogetherApplyEachVersionOnce) {
  std::vector<std::thread> instances;
  std::vector<Result<int>> applied(4, 0);
  for (size_t i = 0; i < applied.size(); ++i) {
    instances.emplace_back([&, i] {
      Migrator migrator(*database_, app::SchemaMigrations("postgres"));
      applied[i] = migrator.Migrate();
    });
  }
  for (auto& instance : instances) instance.join();
  int total = 0;
  for (const auto& result : applied) {
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    total += *result;
  }
  Migrator migrator(*database_, app::SchemaMigrations("postgres"));
  EXPECT_EQ(total, static_cast<int>(app::SchemaMigrations("postgres").size()));
  EXPECT_TRUE(migrator.CheckUpToDate().ok());
}

// Table (or view) name to its columns' names.
using Schema = std::map<std::string, std::set<std::string>>;

Schema SqliteSchema(Database& database) {
  Schema schema;
  auto c = database.Acquire();
  auto tables = (*c)->Query(
      "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE "
      "'sqlite_%'");
  for (const Row& table : *tables) {
    auto columns = (*c)->Query("SELECT name FROM pragma_table_info(?)", {table.Text(0)});
    for (const Row& column : *columns) schema[table.Text(0)].insert(column.Text(0));
  }
  return schema;
}

Schema PostgresSchema(Database& database) {
  Schema schema;
  auto c = database.Acquire();
  auto columns = (*c)->Query(
      "SELECT table_name, column_name FROM information_schema.columns "
      "WHERE table_schema = current_schema()");
  for (const Row& column : *columns) {
    // The one column only PostgreSQL needs: an event's position (db/domain_events.h).
    if (column.Text(0) == "domain_events" && column.Text(1) == "txid") continue;
    schema[column.Text(0)].insert(column.Text(1));
  }
  return schema;
}

TEST_F(PostgresStoreTest, TheSchemaHasSQLitesTablesAndColumnsAtTheSameVersion) {
  Migrator postgres(*database_, app::SchemaMigrations("postgres"));
  ASSERT_TRUE(postgres.Migrate().ok());
  std::string dir = testing::MakeTempDir();
  auto sqlite = Open("sqlite:" + dir + "/schema.db");
  Migrator embedded(**sqlite, app::SchemaMigrations("sqlite"));
  ASSERT_TRUE(embedded.Migrate().ok());
  EXPECT_EQ(postgres.LatestVersion(), embedded.LatestVersion());
  EXPECT_EQ(PostgresSchema(*database_), SqliteSchema(**sqlite));
  std::filesystem::remove_all(dir);
}

// The second line of the booking guarantee: a row written past the service's checks (as a bug
// would) that overlaps an active booking of a single-unit resource is refused by the database.
TEST_F(PostgresStoreTest, TheDatabaseRefusesAnOverlapTheServiceDidNotCatch) {
  testing::TestApp env(Config{}, nullptr, &testing::StoreDrivers().back());
  env.LoadFixture();
  auto manager = env.PrincipalWith("manager", "facility_manager", "B");
  auto& facilities = env.app().facilities();
  auto single = facilities.CreateResource(manager, env.Instrument("B", "质谱仪", "MS"));
  auto pool_input = env.Instrument("B", "计算池", "Pool");
  pool_input.rules.capacity = 4;
  auto pool = facilities.CreateResource(manager, pool_input);
  ASSERT_TRUE(single.ok() && pool.ok());
  int64_t start = ToUnixSeconds(env.app().clock().Now()) / 86400 * 86400 + 2 * 86400;
  auto book = [&](const std::string& resource, const std::string& key) {
    facilities::BookingRequest request;
    request.resource_id = resource;
    request.organization_id = env.ids["B"];
    request.starts_at = start;
    request.ends_at = start + 3600;
    request.idempotency_key = key;
    return facilities.CreateBooking(manager, request);
  };
  ASSERT_TRUE(book(single->resource.id, "single").ok());
  ASSERT_TRUE(book(pool->resource.id, "pool").ok());

  auto c = env.app().database().Acquire();
  auto copy = [&](const std::string& key) {  // the same block again, under a new key
    return (*c)->Execute(
        "INSERT INTO bookings (public_id, resource_id, user_id, organization_id, state, "
        "starts_at, ends_at, block_start, block_end, units, category, price_minor, currency, "
        "idempotency_key, created_at, updated_at, single_unit) SELECT public_id || 'x', "
        "resource_id, user_id, organization_id, 'approved', starts_at, ends_at, block_start + 60, "
        "block_end + 60, units, category, price_minor, currency, 'copy', created_at, updated_at, "
        "single_unit FROM bookings WHERE idempotency_key = ?",
        {key});
  };
  auto overlapping = copy("single");
  ASSERT_FALSE(overlapping.ok());
  EXPECT_EQ(overlapping.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(overlapping.status().reason(), "overlap") << overlapping.status().ToString();
  EXPECT_TRUE(copy("pool").ok()) << "a pool takes several bookings at once";
}

}  // namespace
}  // namespace parkhub::db
