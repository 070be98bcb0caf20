// GroupCommitter: many concurrent small write transactions share one commit (one fsync).
//
// A writer thread owns one connection. Submit(work, done) queues a job and returns at once;
// the writer takes every queued job, opens one write transaction, runs each job inside its own
// savepoint (a failing job rolls back only itself), commits once, and then calls each job's
// `done` with that job's result. `done` is called only after the shared commit is durable, so
// an acknowledged write is never lost; if the commit fails, every job of the batch fails.
// Jobs run one after another in one transaction, so each sees the writes of those before it
// (a check-then-insert stays exact). While a batch commits, new jobs gather for the next one,
// so callers that do not block (an asynchronous HTTP handler) make batches as large as the
// number of requests in flight.
//
// That is the embedded database's way (SQLite has one writer and one fsync per commit). A server
// database (PostgreSQL) writes concurrently and groups its own commits' flushes (commit_delay):
// there the committer runs kServerWriters writer threads, each taking one job at a time in a
// transaction of its own, so jobs on different keys (bookings of different resources) proceed
// in parallel and serialise only on their Connection::Lock; measured in docs/performance.md.
//
// `work` and `done` run on a writer thread: keep `done` short (hand the result back to the
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

  // Writer threads on a server database (a job each at a time).
  static constexpr int kServerWriters = 16;

  explicit GroupCommitter(Database& database)
      : database_(database), batching_(database.Dialect() == "sqlite") {}
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
  // Takes the queued jobs: all of them when batching, else the oldest. Empty when stopping.
  std::vector<Job> Take();
  // Runs `batch` in one transaction on `connection` (acquired when empty, dropped on failure).
  void ExecuteBatch(std::optional<PooledConnection>& connection, std::vector<Job>& batch);
  Status Execute(Connection& c, std::vector<Job>& batch);

  Database& database_;
  const bool batching_;
  Mutex mutex_;
  std::condition_variable_any queued_;
  std::vector<Job> queue_ GUARDED_BY(mutex_);
  bool stopping_ GUARDED_BY(mutex_) = false;
  std::vector<std::thread> writers_ GUARDED_BY(mutex_);  // started by the first Submit
};

}  // namespace parkhub::db
