#include "app/housekeeper.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace parkhub::app {
namespace {

// A process that leads every job (SQLite's one server).
Result<bool> LeadsAll(const std::string&) { return true; }

TEST(HousekeeperTest, EveryJobRunsEachRoundAndAFailureIsReportedWithoutStoppingTheOthers) {
  std::atomic<int> reminders{0};
  std::atomic<int> snapshots{0};
  std::vector<std::string> failures;
  Housekeeper housekeeper(
      {{"reminders",
        [&] {
          ++reminders;
          return Status::Ok();
        }},
       {"expiry", [] { return Status::Internal("database is away"); }},
       {"snapshot",
        [&] {
          ++snapshots;
          return Status::Ok();
        }}},
      std::chrono::hours(1), [&](const std::string& failure) { failures.push_back(failure); },
      LeadsAll);
  housekeeper.RunOnce();
  housekeeper.RunOnce();
  EXPECT_EQ(reminders.load(), 2);
  EXPECT_EQ(snapshots.load(), 2);
  EXPECT_EQ(failures, (std::vector<std::string>{"expiry: database is away",
                                                "expiry: database is away"}));
}

TEST(HousekeeperTest, TheBackgroundThreadRunsRoundsUntilStopped) {
  std::promise<void> ran_twice;
  std::atomic<int> rounds{0};
  Housekeeper housekeeper(
      {{"count",
        [&] {
          if (++rounds == 2) ran_twice.set_value();
          return Status::Ok();
        }}},
      std::chrono::milliseconds(1), [](const std::string&) {}, LeadsAll);
  housekeeper.Start();
  ran_twice.get_future().wait();
  housekeeper.Stop();
  int after_stop = rounds.load();
  EXPECT_GE(after_stop, 2);
  housekeeper.Stop();  // a second stop is harmless
  EXPECT_EQ(rounds.load(), after_stop) << "no round runs after Stop returns";
}

TEST(HousekeeperTest, StopWithoutStartReturnsAtOnce) {
  Housekeeper housekeeper(
      {}, std::chrono::hours(1), [](const std::string&) {}, LeadsAll);
  housekeeper.Stop();
}

TEST(HousekeeperTest, AJobSharedAcrossInstancesRunsOnlyWhereThisProcessLeadsIt) {
  std::atomic<int> reminders{0};
  std::atomic<int> snapshots{0};
  std::vector<std::string> asked, failures;
  bool leads = false;
  Housekeeper housekeeper(
      {{"reminders",
        [&] {
          ++reminders;
          return Status::Ok();
        },
        true},
       {"snapshot",
        [&] {
          ++snapshots;
          return Status::Ok();
        },
        false}},
      std::chrono::hours(1), [&](const std::string& failure) { failures.push_back(failure); },
      [&](const std::string& job) -> Result<bool> {
        asked.push_back(job);
        return leads;
      });
  housekeeper.RunOnce();  // another instance leads the reminders
  leads = true;
  housekeeper.RunOnce();
  EXPECT_EQ(reminders.load(), 1);
  EXPECT_EQ(snapshots.load(), 2) << "each instance snapshots its own index";
  EXPECT_EQ(asked, (std::vector<std::string>{"reminders", "reminders"}));
  EXPECT_TRUE(failures.empty());
}

}  // namespace
}  // namespace parkhub::app
