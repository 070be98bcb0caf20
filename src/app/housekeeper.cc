#include "app/housekeeper.h"

namespace parkhub::app {

Housekeeper::Housekeeper(std::vector<PeriodicJob> jobs, std::chrono::milliseconds interval,
                         std::function<void(const std::string&)> report, JobLeadership leadership)
    : jobs_(std::move(jobs)),
      interval_(interval),
      report_(std::move(report)),
      leadership_(std::move(leadership)) {}

Housekeeper::~Housekeeper() { Stop(); }

void Housekeeper::Start() {
  MutexLock lock(mutex_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] {
    while (true) {
      {
        MutexLock lock(mutex_);
        wake_.wait_for(mutex_, interval_, [this]() REQUIRES(mutex_) { return stopping_; });
        if (stopping_) return;
      }
      RunOnce();
    }
  });
}

void Housekeeper::Stop() {
  std::thread thread;
  {
    MutexLock lock(mutex_);
    stopping_ = true;
    thread = std::move(thread_);
  }
  wake_.notify_all();
  if (thread.joinable()) thread.join();
}

void Housekeeper::RunOnce() {
  for (const auto& job : jobs_) {
    if (job.once_across_instances) {
      Result<bool> leads = leadership_(job.name);
      if (!leads.ok()) {
        report_(job.name + ": " + leads.status().message());
        continue;
      }
      if (!*leads) continue;  // another instance runs it
    }
    Status done = job.run();
    if (!done.ok()) report_(job.name + ": " + done.message());
  }
}

}  // namespace parkhub::app
