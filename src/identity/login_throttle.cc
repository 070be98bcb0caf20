#include "identity/login_throttle.h"

#include <algorithm>

namespace parkhub::identity {

void LoginThrottle::Prune(std::deque<TimePoint>& failures, TimePoint now) const {
  while (!failures.empty() && failures.front() + window_ <= now) failures.pop_front();
}

std::optional<int64_t> LoginThrottle::RetryAfterLocked(const std::string& key, TimePoint now) {
  auto it = failures_.find(key);
  if (it == failures_.end()) return std::nullopt;
  Prune(it->second, now);
  if (static_cast<int>(it->second.size()) < max_failures_) return std::nullopt;
  auto wait = std::chrono::duration_cast<std::chrono::seconds>(it->second.front() + window_ - now);
  return std::max<int64_t>(1, wait.count());
}

std::optional<int64_t> LoginThrottle::RetryAfter(const std::string& account,
                                                 const std::string& address) {
  std::lock_guard lock(mutex_);
  TimePoint now = clock_.Now();
  auto by_account = RetryAfterLocked("account:" + account, now);
  auto by_address = RetryAfterLocked("address:" + address, now);
  if (by_account && by_address) return std::max(*by_account, *by_address);
  return by_account ? by_account : by_address;
}

void LoginThrottle::RecordFailure(const std::string& account, const std::string& address) {
  std::lock_guard lock(mutex_);
  TimePoint now = clock_.Now();
  for (const std::string& key : {"account:" + account, "address:" + address}) {
    auto& failures = failures_[key];
    Prune(failures, now);
    failures.push_back(now);
  }
  if (failures_.size() > 100'000) {  // bound memory under a spray of random names
    for (auto it = failures_.begin(); it != failures_.end();) {
      Prune(it->second, now);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
  }
}

void LoginThrottle::RecordSuccess(const std::string& account) {
  std::lock_guard lock(mutex_);
  failures_.erase("account:" + account);
}

}  // namespace parkhub::identity
