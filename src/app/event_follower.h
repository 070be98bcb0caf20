// EventFollower: keeps this instance in step with what other processes commit to the same
// database. A background thread waits on a notification channel of the outbox
// (db::DomainEvents::ChannelOf a subject, PostgreSQL LISTEN/NOTIFY) and runs `follow` after each
// notification and at least every `poll` (the fallback when a notification is lost or the
// driver has none), so a listing published through instance A is searchable on instance B within
// a second. A failing `follow` is reported and retried on the next wake. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "core/status.h"
#include "db/database.h"

namespace parkhub::app {

class EventFollower {
 public:
  EventFollower(db::Database& database, std::string channel, std::function<Status()> follow,
                std::chrono::milliseconds poll, std::function<void(const std::string&)> report);
  ~EventFollower();
  EventFollower(const EventFollower&) = delete;
  EventFollower& operator=(const EventFollower&) = delete;

  // Starts listening; fails when the database refuses a listener.
  Status Start();
  // Stops the thread at once (after the `follow` in progress, if any).
  void Stop();

 private:
  void Run();

  db::Database& database_;
  const std::string channel_;
  const std::function<Status()> follow_;
  const std::chrono::milliseconds poll_;
  const std::function<void(const std::string&)> report_;
  std::unique_ptr<db::Listener> listener_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace parkhub::app
