// IdleConnections: the connections a driver's pool keeps for the next Acquire, up to a capacity
// (more are closed on return). Each driver decides what a returned connection must be (rolled
// back, still connected) before it puts it here. Thread-safe.
#pragma once

#include <memory>
#include <vector>

#include "core/mutex.h"
#include "db/database.h"

namespace parkhub::db {

class IdleConnections {
 public:
  explicit IdleConnections(size_t capacity) : capacity_(capacity) {}

  // An idle connection, or nullptr when there is none (the driver opens a new one).
  std::unique_ptr<Connection> Take() {
    MutexLock lock(mutex_);
    if (idle_.empty()) return nullptr;
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return connection;
  }
  // Keeps `connection` for later, or closes it when `capacity` are already kept.
  void Put(std::unique_ptr<Connection> connection) {
    MutexLock lock(mutex_);
    if (idle_.size() < capacity_) idle_.push_back(std::move(connection));
  }

 private:
  const size_t capacity_;
  Mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_ GUARDED_BY(mutex_);
};

}  // namespace parkhub::db
