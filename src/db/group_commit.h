// GroupCommitter: many concurrent small write transactions share one commit (one fsync).
//
// One writer thread owns one connection. Submit(work, done) queues a job and returns at once;
// the writer takes every queued job, opens one write transaction, runs each job inside its own
// savepoint (a failing job rolls back only itself), commits once, and then calls each job's
// `done` with that job's result. `done` is called only after the shared commit is durable, so
// an acknowledged write is never lost; if the commit fails, every job of the batch fails.
// Jobs run one after another in one transaction, so each sees the writes of those before it
// (a check-then-insert stays exact). While a batch commits, new jobs gather for the next one,
// so callers that do not block (an asynchronous HTTP handler) make batches as large as the
// number of requests in flight.
//
// `work` and `done` run on the writer thread: keep `done` short (hand the result back to the
// caller's own executor). Run() is the blocking form for callers that have a thread to spare.
// Thread-safe. The destructor finishes every queued job before it returns.
#pragma once

#include <condition_variable>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

#include "core/mutex.h"
#include "db/database.h"

namespace parkhub::db {

class GroupCommitter {
 public:
  using Work = std::function<Status(Connection&)>;
  using Done = std::function<void(const Status&)>;

  explicit GroupCommitter(Database& database) : database_(database) {}
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  void Submit(Work work, Done done);
  Status Run(Work work);

 private:
  struct Job {
    Work work;
    Done done;
    Status result;
  };
  void WriterLoop();
  void ExecuteBatch(std::vector<Job>& batch);
  Status Execute(Connection& c, std::vector<Job>& batch);

  Database& database_;
  std::optional<PooledConnection> connection_;  // the writer's own; its page cache stays warm
  Mutex mutex_;
  std::condition_variable_any queued_;
  std::vector<Job> queue_ GUARDED_BY(mutex_);
  bool stopping_ GUARDED_BY(mutex_) = false;
  std::thread writer_ GUARDED_BY(mutex_);  // started by the first Submit
};

}  // namespace parkhub::db
