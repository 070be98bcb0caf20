#include "db/group_commit.h"

#include <future>

namespace parkhub::db {

GroupCommitter::~GroupCommitter() {
  std::thread writer;
  {
    MutexLock lock(mutex_);
    stopping_ = true;
    writer = std::move(writer_);
  }
  queued_.notify_one();
  if (writer.joinable()) writer.join();
}

void GroupCommitter::Submit(Work work, Done done) {
  {
    MutexLock lock(mutex_);
    if (!writer_.joinable()) writer_ = std::thread([this] { WriterLoop(); });
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

void GroupCommitter::WriterLoop() {
  std::vector<Job> batch;
  while (true) {
    {
      MutexLock lock(mutex_);
      queued_.wait(mutex_, [this]() REQUIRES(mutex_) { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to write
      batch.swap(queue_);
    }
    ExecuteBatch(batch);
    for (Job& job : batch) job.done(job.result);
    batch.clear();
  }
}

void GroupCommitter::ExecuteBatch(std::vector<Job>& batch) {
  if (!connection_) {
    auto acquired = database_.Acquire();
    if (!acquired.ok()) {
      for (Job& job : batch) job.result = acquired.status();
      return;
    }
    connection_.emplace(std::move(acquired).value());
  }
  Status committed = Execute(**connection_, batch);
  if (committed.ok()) return;
  for (Job& job : batch) {
    if (job.result.ok()) job.result = committed;
  }
  // A connection that failed to commit may be in any state: the next batch starts afresh.
  connection_.reset();
}

Status GroupCommitter::Execute(Connection& c, std::vector<Job>& batch) {
  ASSIGN_OR_RETURN(auto tx, Transaction::Begin(c, TxMode::kWrite));
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
