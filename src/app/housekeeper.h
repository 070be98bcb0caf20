// Housekeeper: the periodic jobs of every module (booking reminders, listings past their
// expiry, a snapshot of the search index...), run one after another on one background thread,
// every `interval`, until Stop() or destruction. Each module's jobs are listed by the
// composition root (Application::PeriodicJobs); a failing job is reported through `report` and
// the others still run. A job marked once_across_instances runs only where `leadership` says this
// process leads it (an advisory-lock leader per job on PostgreSQL), so N instances send one
// reminder, not N. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "core/mutex.h"
#include "core/status.h"

namespace parkhub::app {

struct PeriodicJob {
  std::string name;
  std::function<Status()> run;
  // Runs in one instance only among several serving one database (reminders, expiry); false for
  // a job about this instance's own state (its search index's snapshot).
  bool once_across_instances = false;
};

// Whether this process leads the named job (db::Database::TryLead).
using JobLeadership = std::function<Result<bool>(const std::string& job)>;

class Housekeeper {
 public:
  Housekeeper(std::vector<PeriodicJob> jobs, std::chrono::milliseconds interval,
              std::function<void(const std::string&)> report, JobLeadership leadership);
  ~Housekeeper();
  Housekeeper(const Housekeeper&) = delete;
  Housekeeper& operator=(const Housekeeper&) = delete;

  // Starts the background thread; the first round runs one interval from now.
  void Start();
  // Wakes the thread and waits for the round in progress, if any, to finish.
  void Stop();
  // One round of every job, on the caller's thread.
  void RunOnce();

 private:
  const std::vector<PeriodicJob> jobs_;
  const std::chrono::milliseconds interval_;
  const std::function<void(const std::string&)> report_;
  const JobLeadership leadership_;
  Mutex mutex_;
  std::condition_variable_any wake_;
  bool stopping_ GUARDED_BY(mutex_) = false;
  std::thread thread_ GUARDED_BY(mutex_);
};

}  // namespace parkhub::app
