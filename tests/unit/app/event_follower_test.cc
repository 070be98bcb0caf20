// EventFollower on the embedded database: without notifications it polls, and Stop ends even a
// long wait. (Notifications between instances on PostgreSQL: instances_test.cc.)
#include "app/event_follower.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "support/test_app.h"

namespace parkhub::app {
namespace {

TEST(EventFollowerTest, WithoutNotificationsItFollowsAtEveryPoll) {
  std::string dir = testing::MakeTempDir();
  auto database = db::Open("sqlite:" + dir + "/follow.db");
  std::atomic<int> follows{0};
  std::promise<void> thrice;
  EventFollower follower(
      **database, "parkhub_events.test",
      [&] {
        if (++follows == 3) thrice.set_value();
        return Status::Ok();
      },
      std::chrono::milliseconds(5), [](const std::string& failure) { ADD_FAILURE() << failure; });
  ASSERT_TRUE(follower.Start().ok());
  thrice.get_future().wait();
  follower.Stop();
  EXPECT_GE(follows.load(), 3);
  std::filesystem::remove_all(dir);
}

TEST(EventFollowerTest, StopEndsALongWaitAndAFailureIsReportedOncePerKind) {
  std::string dir = testing::MakeTempDir();
  auto database = db::Open("sqlite:" + dir + "/follow.db");
  std::vector<std::string> failures;
  std::promise<void> failed_twice;
  std::atomic<int> calls{0};
  {
    EventFollower fast(
        **database, "parkhub_events.test",
        [&] {
          if (++calls == 2) failed_twice.set_value();
          return Status(ErrorCode::kUnavailable, "database_unavailable", "the server is away");
        },
        std::chrono::milliseconds(1),
        [&](const std::string& failure) { failures.push_back(failure); });
    ASSERT_TRUE(fast.Start().ok());
    failed_twice.get_future().wait();
  }
  EXPECT_EQ(failures, std::vector<std::string>{"the server is away"}) << "not once a poll";
  EventFollower slow(
      **database, "parkhub_events.test", [] { return Status::Ok(); }, std::chrono::hours(1),
      [](const std::string&) {});
  ASSERT_TRUE(slow.Start().ok());
  slow.Stop();  // returns now, not in an hour
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace parkhub::app
