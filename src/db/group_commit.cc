#include "db/group_commit.h"

#include <future>

namespace parkhub::db {

GroupCommitter::~GroupCommitter() {
  std::vector<std::thread> writers;
  {
    MutexLock lock(mutex_);
    stopping_ = true;
    writers.swap(writers_);
  }
  queued_.notify_all();
  for (std::thread& writer : writers) writer.join();
}

void GroupCommitter::Submit(Work work, Done done) {
  {
    MutexLock lock(mutex_);
    if (writers_.empty()) {
      int count = batching_ ? 1 : kServerWriters;
      for (int i = 0; i < count; ++i) writers_.emplace_back([this] { WriterLoop(); });
    }
    queue_.push_back(Job{std::move(work), std::move(done), Status::Ok()});
  }
  queued_.notify_one();
}

Status GroupCommitter::Run(Work work) {
  std::promise<Status> finished;
  auto result = finished.get_future();
  Submit(std::move(work), [&finished](const Status& status) { finished.set_value(status); });
  return result.get();
}

std::vector<GroupCommitter::Job> GroupCommitter::Take() {
  MutexLock lock(mutex_);
  queued_.wait(mutex_, [this]() REQUIRES(mutex_) { return stopping_ || !queue_.empty(); });
  std::vector<Job> batch;
  if (queue_.empty()) return batch;  // stopping, and nothing left to write
  if (batching_) {
    batch.swap(queue_);
  } else {
    batch.push_back(std::move(queue_.front()));
    queue_.erase(queue_.begin());
  }
  return batch;
}

void GroupCommitter::WriterLoop() {
  std::optional<PooledConnection> connection;  // this writer's own; its cache stays warm
  while (true) {
    std::vector<Job> batch = Take();
    if (batch.empty()) return;
    ExecuteBatch(connection, batch);
    for (Job& job : batch) job.done(job.result);
  }
}

void GroupCommitter::ExecuteBatch(std::optional<PooledConnection>& connection,
                                  std::vector<Job>& batch) {
  if (!connection) {
    auto acquired = database_.Acquire();
    if (!acquired.ok()) {
      for (Job& job : batch) job.result = acquired.status();
      return;
    }
    connection.emplace(std::move(acquired).value());
  }
  Status committed = Execute(**connection, batch);
  if (committed.ok()) return;
  for (Job& job : batch) {
    if (job.result.ok()) job.result = committed;
  }
  // A connection that failed to commit may be in any state: the next batch starts afresh.
  connection.reset();
}

Status GroupCommitter::Execute(Connection& c, std::vector<Job>& batch) {
  ASSIGN_OR_RETURN(auto tx, Transaction::Begin(c, TxMode::kWrite));
  if (!batching_) {  // one job, its own transaction: its failure rolls back only itself
    Job& job = batch.front();
    try {
      job.result = job.work(c);
    } catch (const std::exception& error) {
      job.result = Status::Internal(error.what());
    }
    return job.result.ok() ? tx.Commit() : Status::Ok();
  }
  for (Job& job : batch) {
    auto savepoint = c.Execute("SAVEPOINT job");
    if (!savepoint.ok()) {
      job.result = savepoint.status();
      continue;
    }
    try {
      job.result = job.work(c);
    } catch (const std::exception& error) {
      job.result = Status::Internal(error.what());
    }
    if (!job.result.ok()) (void)c.Execute("ROLLBACK TO job");
    (void)c.Execute("RELEASE job");
  }
  return tx.Commit();
}

}  // namespace parkhub::db
