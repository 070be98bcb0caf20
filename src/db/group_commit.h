// GroupCommitter: many concurrent small write transactions share one commit (one fsync).
//
// Run(work) queues `work`; the first caller that finds no batch in progress becomes the leader,
// takes every queued job, opens one write transaction, runs each job inside its own savepoint
// (a failing job rolls back only itself) and commits once; then each caller returns its own
// job's result. A result is returned only after the shared commit is durable, so an
// acknowledged write is never lost; if the commit fails, every job of the batch fails.
// Jobs run one after another in one transaction, so each sees the writes of those before it
// (a check-then-insert stays exact). Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

#include "db/database.h"

namespace parkhub::db {

class GroupCommitter {
 public:
  explicit GroupCommitter(Database& database) : database_(database) {}
  Status Run(const std::function<Status(Connection&)>& work);

 private:
  struct Job {
    const std::function<Status(Connection&)>* work;
    Status result;
    bool done = false;
  };
  void ExecuteBatch(const std::deque<Job*>& batch);

  Database& database_;
  std::mutex mutex_;
  std::condition_variable finished_;
  std::deque<Job*> queue_;
  bool leader_active_ = false;
};

}  // namespace parkhub::db
