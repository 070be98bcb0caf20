// The database contract every driver keeps, written against db::Database and run once per
// driver (TEST_P): transactions, errors, parameters, locks, migrations and group commit. A new
// driver (PostgreSQL) is added to testing::StoreDrivers() and must pass the same suite; what only one driver
// has (SQLite's pragmas, file backup) is tested beside it in sqlite_store_test.cc.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "db/domain_events.h"
#include "db/group_commit.h"
#include "db/migrator.h"
#include "support/drivers.h"
#include "support/test_app.h"

namespace parkhub::db {
namespace {

class StoreTest : public ::testing::TestWithParam<testing::StoreDriver> {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir();
    auto opened = Open(GetParam().url(dir_));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    database_ = std::move(opened).value();
    auto c = database_->Acquire();
    ASSERT_TRUE((*c)->ExecuteScript("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE, "
                                    "parent INTEGER REFERENCES t (id))")
                    .ok());
  }
  void TearDown() override {
    database_.reset();
    std::filesystem::remove_all(dir_);
  }
  int64_t Rows() {
    auto c = database_->Acquire();
    return *(*c)->QueryInt("SELECT COUNT(*) FROM t");
  }

  std::string dir_;
  std::unique_ptr<Database> database_;
};

TEST_P(StoreTest, AFailedTransactionWritesNothing) {
  auto result = InTransaction<bool>(*database_, TxMode::kWrite, [](Connection& c) -> Result<bool> {
    EXPECT_TRUE(c.Execute("INSERT INTO t (v) VALUES (?)", {std::string("a")}).ok());
    return Status::Invalid("v", "refused after the write", "required");
  });
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(Rows(), 0);
}

TEST_P(StoreTest, ConstraintsBecomeStableErrors) {
  auto c = database_->Acquire();
  ASSERT_TRUE((*c)->Execute("INSERT INTO t (v) VALUES (?)", {std::string("a")}).ok());
  auto again = (*c)->Execute("INSERT INTO t (v) VALUES (?)", {std::string("a")});
  EXPECT_EQ(again.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(again.status().reason(), "duplicate");
  auto orphan = (*c)->Execute("INSERT INTO t (v, parent) VALUES (?, ?)",
                              {std::string("b"), int64_t{999}});
  EXPECT_EQ(orphan.status().reason(), "reference_missing");
}

TEST_P(StoreTest, ParametersAreNeverSpliced) {
  auto c = database_->Acquire();
  std::string hostile = "x'); DROP TABLE t; --";
  ASSERT_TRUE((*c)->Execute("INSERT INTO t (v) VALUES (?)", {hostile}).ok());
  auto rows = (*c)->Query("SELECT v FROM t WHERE v = ?", {hostile});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Text(0), hostile);
}

TEST_P(StoreTest, ReturningAndOnConflictAreUnderstood) {
  auto c = database_->Acquire();
  auto id = (*c)->QueryInt("INSERT INTO t (v) VALUES (?) RETURNING id", {std::string("a")});
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto ignored = (*c)->Execute("INSERT INTO t (v) VALUES (?) ON CONFLICT DO NOTHING",
                               {std::string("a")});
  ASSERT_TRUE(ignored.ok()) << ignored.status().ToString();
  EXPECT_EQ(*ignored, 0);
  db::Params params;
  std::string nothing = InList(std::vector<int64_t>{}, params);
  EXPECT_EQ(*(*c)->QueryInt("SELECT COUNT(*) FROM t WHERE id IN (" + nothing + ")", params), 0)
      << "an empty IN list matches nothing";
}

TEST_P(StoreTest, LocksAreTakenOnlyInsideWriteTransactions) {
  auto c = database_->Acquire();
  EXPECT_EQ((*c)->Lock("resource", "r1").code(), ErrorCode::kInternal) << "outside a transaction";
  {
    auto read = Transaction::Begin(**c, TxMode::kRead);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ((*c)->Lock("resource", "r1").code(), ErrorCode::kInternal) << "in a read snapshot";
  }
  auto written = InTransaction<bool>(*database_, TxMode::kWrite, [](Connection& tx) -> Result<bool> {
    RETURN_IF_ERROR(tx.Lock("resource", "r1"));
    RETURN_IF_ERROR(tx.Lock("resource", "r1"));  // a second lock of the same key is harmless
    RETURN_IF_ERROR(tx.Execute("INSERT INTO t (v) VALUES ('locked')").status());
    return true;
  });
  EXPECT_TRUE(written.ok()) << written.status().ToString();
}

// Check-then-insert under a lock never interleaves: every writer counts, then inserts the next
// number; the numbers come out unique and gapless.
TEST_P(StoreTest, LockedCheckThenWriteNeverInterleaves) {
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    writers.emplace_back([&] {
      for (int j = 0; j < 10; ++j) {
        auto done = InTransaction<bool>(*database_, TxMode::kWrite, [](Connection& c) -> Result<bool> {
          RETURN_IF_ERROR(c.Lock("counter", "t"));
          ASSIGN_OR_RETURN(int64_t n, c.QueryInt("SELECT COUNT(*) FROM t"));
          RETURN_IF_ERROR(c.Execute("INSERT INTO t (v) VALUES (?)", {std::to_string(n)}).status());
          return true;
        });
        if (!done.ok()) ++failures;
      }
    });
  }
  for (auto& w : writers) w.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Rows(), 40);
}

TEST_P(StoreTest, MigratorAppliesOnceAndRefusesANewerSchema) {
  std::vector<Migration> migrations = {{1, "0001_a.sql", "CREATE TABLE a (x INTEGER);"},
                                       {2, "0002_b.sql", "CREATE TABLE b (x INTEGER);"}};
  Migrator migrator(*database_, migrations);
  EXPECT_EQ(*migrator.Migrate(), 2);
  EXPECT_EQ(*migrator.Migrate(), 0);
  EXPECT_TRUE(migrator.CheckUpToDate().ok());
  Migrator older(*database_, {migrations[0]});
  auto refused = older.Migrate();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().reason(), "schema_too_new");
  EXPECT_FALSE(older.CheckUpToDate().ok());
}

TEST_P(StoreTest, DomainEventsAreReadInOrderByKindAndPrunedBehindEveryConsumer) {
  ASSERT_TRUE(Migrator(*database_, SchemaMigrations(database_->Dialect())).Migrate().ok());
  auto c = database_->Acquire();
  for (const char* kind : {"listing.changed", "booking.approved", "listing.changed", "deal.signed"}) {
    DomainEvent event;
    event.kind = kind;
    event.subject_row = 7;
    ASSERT_TRUE(DomainEvents::Append(**c, event).ok());
  }
  auto listings = DomainEvents::ReadAfter(**c, 0, {"listing."}, 10);
  ASSERT_TRUE(listings.ok());
  ASSERT_EQ(listings->size(), 2u);
  EXPECT_LT((*listings)[0].seq, (*listings)[1].seq);
  auto after_first = DomainEvents::ReadAfter(**c, (*listings)[0].seq, {"listing.", "deal."}, 10);
  ASSERT_EQ(after_first->size(), 2u);
  EXPECT_EQ((*after_first)[1].kind, "deal.signed");
  EXPECT_EQ(DomainEvents::ReadAfter(**c, 0, {}, 2)->size(), 2u) << "no prefix: every kind";

  int64_t last = *DomainEvents::LastSeq(**c);
  EXPECT_EQ(*DomainEvents::Prune(**c), 0) << "nobody has consumed anything yet";
  ASSERT_TRUE(DomainEvents::SaveCursor(**c, "index", last).ok());
  ASSERT_TRUE(DomainEvents::SaveCursor(**c, "statistics", last - 2).ok());
  EXPECT_EQ(*DomainEvents::Prune(**c), 2) << "only what both consumers have passed";
  ASSERT_TRUE(DomainEvents::SaveCursor(**c, "statistics", last).ok());
  EXPECT_EQ(*DomainEvents::Prune(**c), 1) << "the newest event stays";
  EXPECT_EQ(*DomainEvents::LastSeq(**c), last);
}

TEST(MigrationsTest, ModulesPartsOfOneVersionApplyTogetherInModuleOrder) {
  std::vector<Migration> identity = {{1, "0001_identity.sql", "A"}, {3, "0003_identity.sql", "C"}};
  std::vector<Migration> registry = {{1, "0001_registry.sql", "B"}, {2, "0002_registry.sql", "D"}};
  auto merged = MergeModuleMigrations({identity, registry});
  ASSERT_EQ(merged.size(), 3u);
  EXPECT_EQ(merged[0].version, 1);
  EXPECT_EQ(merged[0].name, "0001_identity.sql+0001_registry.sql");
  EXPECT_EQ(merged[0].sql, "A\nB");
  EXPECT_EQ(merged[1].name, "0002_registry.sql");
  EXPECT_EQ(merged[2].name, "0003_identity.sql");
}

TEST_P(StoreTest, TheBuiltInSchemaAppliesToAFreshDatabase) {
  Migrator migrator(*database_, app::SchemaMigrations(database_->Dialect()));
  auto applied = migrator.Migrate();
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_GE(*applied, 1);
}

TEST_P(StoreTest, GroupCommitIsolatesFailuresAndKeepsEveryAcknowledgedWrite) {
  GroupCommitter committer(*database_);
  std::atomic<int> acknowledged{0};
  std::vector<std::thread> writers;
  for (int i = 0; i < 16; ++i) {
    writers.emplace_back([&, i] {
      for (int j = 0; j < 20; ++j) {
        std::string value = std::to_string(i) + ":" + std::to_string(j);
        Status s = committer.Run([&](Connection& c) -> Status {
          RETURN_IF_ERROR(c.Execute("INSERT INTO t (v) VALUES (?)", {value}).status());
          // Every fifth job fails after writing: only its own row must disappear.
          if (j % 5 == 0) return Status::Invalid("v", "refused", "required");
          return Status::Ok();
        });
        if (s.ok()) ++acknowledged;
      }
    });
  }
  for (auto& w : writers) w.join();
  EXPECT_EQ(acknowledged.load(), 16 * 16);
  EXPECT_EQ(Rows(), 16 * 16);
  auto c = database_->Acquire();
  EXPECT_EQ(*(*c)->QueryInt("SELECT COUNT(*) FROM t WHERE v LIKE '%:0' OR v LIKE '%:5' OR v LIKE "
                            "'%:10' OR v LIKE '%:15'"),
            0);
}

TEST_P(StoreTest, ARowReaderNoticesAColumnItDidNotRead) {
  auto c = database_->Acquire();
  ASSERT_TRUE((*c)->Execute("INSERT INTO t (v) VALUES ('a')").ok());
  auto row = (*c)->QueryOne("SELECT id, v, parent FROM t", {}, "row");
  ASSERT_TRUE(row.ok());
  RowReader all(*row);
  EXPECT_EQ(all.Int(), 1);
  EXPECT_EQ(all.Text(), "a");
  EXPECT_EQ(all.OptionalInt(), std::nullopt);
  EXPECT_TRUE(all.Done().ok());
  RowReader short_of_one(*row);
  short_of_one.Int();
  short_of_one.Text();
  EXPECT_EQ(short_of_one.Done().code(), ErrorCode::kInternal);
}

INSTANTIATE_TEST_SUITE_P(Drivers, StoreTest, ::testing::ValuesIn(testing::StoreDrivers()),
                         [](const auto& info) { return info.param.name; });

TEST(OpenTest, AnUnknownSchemeIsRefusedByName) {
  auto refused = Open("mysql://localhost/parkhub");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused.status().reason(), "database_url");
  EXPECT_FALSE(Open("sqlite:").ok()) << "a path is required";
}

}  // namespace
}  // namespace parkhub::db
