// Housekeeper: the periodic jobs of every module (booking reminders, listings past their
// expiry, a snapshot of the search index...), run one after another on one background thread,
// every `interval`, until Stop() or destruction. Each module's jobs are listed by the
// composition root (Application::PeriodicJobs); a failing job is reported through `report` and
// the others still run. Thread-safe.
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
};

class Housekeeper {
 public:
  Housekeeper(std::vector<PeriodicJob> jobs, std::chrono::milliseconds interval,
              std::function<void(const std::string&)> report);
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
  Mutex mutex_;
  std::condition_variable_any wake_;
  bool stopping_ GUARDED_BY(mutex_) = false;
  std::thread thread_ GUARDED_BY(mutex_);
};

}  // namespace parkhub::app
