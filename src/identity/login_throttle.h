// LoginThrottle: limits failed logins per account and per client address, each by its own rule.
//
// - An account: after `account_failures` failures within `window`, further attempts for it are
//   refused until the oldest failure leaves the window (guessing one account's password).
// - An address: refused only once its failures within `window` span `address_accounts`
//   different accounts (spraying one password over many accounts). Many people behind one
//   campus NAT or reverse proxy who mistype their own passwords never lock each other out.
// The caller answers 429 with Retry-After. A success clears the account's record. State is in
// memory per process (a restart forgives, which is acceptable for throttling) and bounded.
// Thread-safe.
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/clock.h"
#include "core/mutex.h"

namespace parkhub::identity {

struct ThrottleLimits {
  int account_failures = 5;
  int address_accounts = 20;
  std::chrono::seconds window{900};
};

class LoginThrottle {
 public:
  LoginThrottle(const Clock& clock, ThrottleLimits limits) : clock_(clock), limits_(limits) {}

  // Seconds to wait before `account` or `address` may try again; nullopt when allowed.
  std::optional<int64_t> RetryAfter(const std::string& account, const std::string& address);
  void RecordFailure(const std::string& account, const std::string& address);
  void RecordSuccess(const std::string& account);

 private:
  using Failure = std::pair<TimePoint, std::string>;  // when, and which account
  void Prune(std::deque<Failure>& failures, TimePoint now) const;
  std::optional<int64_t> AccountWait(const std::string& account, TimePoint now) REQUIRES(mutex_);
  std::optional<int64_t> AddressWait(const std::string& address, TimePoint now) REQUIRES(mutex_);
  int64_t SecondsUntil(TimePoint then, TimePoint now) const;
  void BoundMemory(TimePoint now) REQUIRES(mutex_);

  const Clock& clock_;
  const ThrottleLimits limits_;
  Mutex mutex_;
  std::unordered_map<std::string, std::deque<Failure>> by_account_ GUARDED_BY(mutex_);
  std::unordered_map<std::string, std::deque<Failure>> by_address_ GUARDED_BY(mutex_);
};

}  // namespace parkhub::identity
