#include "db/group_commit.h"

namespace parkhub::db {

Status GroupCommitter::Run(const std::function<Status(Connection&)>& work) {
  Job job{&work, Status::Ok(), false};
  std::unique_lock lock(mutex_);
  queue_.push_back(&job);
  while (!job.done) {
    if (leader_active_) {
      finished_.wait(lock);
      continue;
    }
    leader_active_ = true;
    std::deque<Job*> batch;
    batch.swap(queue_);
    lock.unlock();
    ExecuteBatch(batch);
    lock.lock();
    for (Job* j : batch) j->done = true;
    leader_active_ = false;
    finished_.notify_all();
  }
  return job.result;
}

void GroupCommitter::ExecuteBatch(const std::deque<Job*>& batch) {
  auto fail_all = [&](const Status& status) {
    for (Job* j : batch) j->result = status;
  };
  auto connection = database_.Acquire();
  if (!connection.ok()) return fail_all(connection.status());
  auto tx = Transaction::Begin(**connection, TxMode::kWrite);
  if (!tx.ok()) return fail_all(tx.status());
  Connection& c = **connection;
  for (Job* job : batch) {
    auto savepoint = c.Execute("SAVEPOINT job");
    if (!savepoint.ok()) {
      job->result = savepoint.status();
      continue;
    }
    job->result = (*job->work)(c);
    if (!job->result.ok()) (void)c.Execute("ROLLBACK TO job");
    (void)c.Execute("RELEASE job");
  }
  Status committed = tx->Commit();
  if (!committed.ok()) {
    for (Job* j : batch) {
      if (j->result.ok()) j->result = committed;
    }
  }
}

}  // namespace parkhub::db
