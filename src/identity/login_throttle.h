// LoginThrottle: limits failed logins per account and per client address.
//
// After `max_failures` failures within `window` for a key (account or address), further
// attempts for that key are refused until the oldest failure leaves the window; the caller
// answers 429 with Retry-After. A success clears the account's record. State is in memory per
// process (a restart forgives, which is acceptable for throttling). Thread-safe.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace parkhub::identity {

class LoginThrottle {
 public:
  LoginThrottle(const Clock& clock, int max_failures, std::chrono::seconds window)
      : clock_(clock), max_failures_(max_failures), window_(window) {}

  // Seconds to wait before `account` or `address` may try again; nullopt when allowed.
  std::optional<int64_t> RetryAfter(const std::string& account, const std::string& address);
  void RecordFailure(const std::string& account, const std::string& address);
  void RecordSuccess(const std::string& account);

 private:
  std::optional<int64_t> RetryAfterLocked(const std::string& key, TimePoint now);
  void Prune(std::deque<TimePoint>& failures, TimePoint now) const;

  const Clock& clock_;
  const int max_failures_;
  const std::chrono::seconds window_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<TimePoint>> failures_;
};

}  // namespace parkhub::identity
