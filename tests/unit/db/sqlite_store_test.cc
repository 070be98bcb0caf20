#include <gtest/gtest.h>

#include <filesystem>

#include "db/migrator.h"
#include "db/sqlite/sqlite_database.h"
#include "support/test_app.h"

namespace parkhub::db {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir();
    auto opened = SqliteDatabase::Open(dir_ + "/test.db");
    ASSERT_TRUE(opened.ok());
    database_ = std::move(opened).value();
    auto c = database_->Acquire();
    ASSERT_TRUE((*c)->ExecuteScript("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)").ok());
  }
  void TearDown() override {
    database_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string dir_;
  std::unique_ptr<SqliteDatabase> database_;
};

TEST_F(SqliteStoreTest, FailedTransactionWritesNothing) {
  auto result = InTransaction<bool>(*database_, TxMode::kWrite, [](Connection& c) -> Result<bool> {
    auto inserted = c.Execute("INSERT INTO t (v) VALUES (?)", {std::string("a")});
    EXPECT_TRUE(inserted.ok());
    return Status::Invalid("v", "refused after the write");
  });
  EXPECT_FALSE(result.ok());
  auto c = database_->Acquire();
  EXPECT_EQ(*(*c)->QueryInt("SELECT COUNT(*) FROM t"), 0);
}

TEST_F(SqliteStoreTest, UniqueViolationIsConflict) {
  auto c = database_->Acquire();
  ASSERT_TRUE((*c)->Execute("INSERT INTO t (v) VALUES (?)", {std::string("a")}).ok());
  auto again = (*c)->Execute("INSERT INTO t (v) VALUES (?)", {std::string("a")});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), ErrorCode::kConflict);
}

TEST_F(SqliteStoreTest, ParametersAreNeverSpliced) {
  auto c = database_->Acquire();
  std::string hostile = "x'); DROP TABLE t; --";
  ASSERT_TRUE((*c)->Execute("INSERT INTO t (v) VALUES (?)", {hostile}).ok());
  auto rows = (*c)->Query("SELECT v FROM t WHERE v = ?", {hostile});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Text(0), hostile);
}

TEST_F(SqliteStoreTest, RunsInWalWithForeignKeysAndFullSync) {
  auto c = database_->Acquire();
  EXPECT_EQ((*(*c)->QueryOne("PRAGMA journal_mode", {}, "mode")).Text(0), "wal");
  EXPECT_EQ(*(*c)->QueryInt("PRAGMA foreign_keys"), 1);
  EXPECT_EQ(*(*c)->QueryInt("PRAGMA synchronous"), 2);
}

TEST_F(SqliteStoreTest, BackupAndRestoreRoundTrip) {
  {
    auto c = database_->Acquire();
    ASSERT_TRUE((*c)->Execute("INSERT INTO t (v) VALUES (?)", {std::string("kept")}).ok());
  }
  std::string backup = dir_ + "/backup.db";
  ASSERT_TRUE(database_->BackupTo(backup).ok());
  {
    auto c = database_->Acquire();
    ASSERT_TRUE((*c)->Execute("DELETE FROM t").ok());
  }
  database_.reset();
  ASSERT_TRUE(RestoreSqlite(backup, dir_ + "/test.db").ok());
  auto reopened = SqliteDatabase::Open(dir_ + "/test.db");
  auto c = (*reopened)->Acquire();
  auto rows = (*c)->Query("SELECT v FROM t");
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Text(0), "kept");
}

TEST_F(SqliteStoreTest, RestoreRefusesAFileThatIsNotADatabase) {
  std::string junk = dir_ + "/junk.db";
  FILE* f = std::fopen(junk.c_str(), "w");
  std::fputs("this is not sqlite", f);
  std::fclose(f);
  EXPECT_FALSE(RestoreSqlite(junk, dir_ + "/other.db").ok());
}

TEST_F(SqliteStoreTest, MigratorAppliesOnceAndRefusesNewerSchema) {
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

TEST_F(SqliteStoreTest, BuiltInMigrationsApplyToAFreshDatabase) {
  Migrator migrator(*database_, BuiltInMigrations("sqlite"));
  auto applied = migrator.Migrate();
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_GE(*applied, 1);
}

}  // namespace
}  // namespace parkhub::db

#include <thread>

#include "db/group_commit.h"

namespace parkhub::db {
namespace {

TEST_F(SqliteStoreTest, GroupCommitIsolatesFailuresAndKeepsEveryAcknowledgedWrite) {
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
          if (j % 5 == 0) return Status::Invalid("v", "refused");
          return Status::Ok();
        });
        if (s.ok()) ++acknowledged;
      }
    });
  }
  for (auto& w : writers) w.join();
  EXPECT_EQ(acknowledged.load(), 16 * 16);
  auto c = database_->Acquire();
  EXPECT_EQ(*(*c)->QueryInt("SELECT COUNT(*) FROM t"), 16 * 16);
  EXPECT_EQ(*(*c)->QueryInt("SELECT COUNT(*) FROM t WHERE v LIKE '%:0' OR v LIKE '%:5' OR v LIKE "
                            "'%:10' OR v LIKE '%:15'"),
            0);
}

}  // namespace
}  // namespace parkhub::db
