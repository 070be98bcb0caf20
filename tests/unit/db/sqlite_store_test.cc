// What only the SQLite driver has: its pragmas and file backup and restore. The contract every
// driver keeps is in store_test.cc.
#include <gtest/gtest.h>

#include <filesystem>

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

}  // namespace
}  // namespace parkhub::db
