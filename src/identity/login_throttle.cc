#include "identity/login_throttle.h"

#include <algorithm>
#include <set>

namespace parkhub::identity {

void LoginThrottle::Prune(std::deque<Failure>& failures, TimePoint now) const {
  while (!failures.empty() && failures.front().first + limits_.window <= now) failures.pop_front();
}

int64_t LoginThrottle::SecondsUntil(TimePoint then, TimePoint now) const {
  auto wait = std::chrono::duration_cast<std::chrono::seconds>(then - now);
  return std::max<int64_t>(1, wait.count());
}

std::optional<int64_t> LoginThrottle::AccountWait(const std::string& account, TimePoint now) {
  auto it = by_account_.find(account);
  if (it == by_account_.end()) return std::nullopt;
  Prune(it->second, now);
  if (static_cast<int>(it->second.size()) < limits_.account_failures) return std::nullopt;
  return SecondsUntil(it->second.front().first + limits_.window, now);
}

// Blocked while the failures in the window name `address_accounts` accounts; it opens again
// when the oldest failure of the earliest-seen account that completes the count leaves.
std::optional<int64_t> LoginThrottle::AddressWait(const std::string& address, TimePoint now) {
  auto it = by_address_.find(address);
  if (it == by_address_.end()) return std::nullopt;
  Prune(it->second, now);
  std::set<std::string> accounts;
  for (auto failure = it->second.rbegin(); failure != it->second.rend(); ++failure) {
    accounts.insert(failure->second);
    if (static_cast<int>(accounts.size()) == limits_.address_accounts) {
      return SecondsUntil(failure->first + limits_.window, now);
    }
  }
  return std::nullopt;
}

std::optional<int64_t> LoginThrottle::RetryAfter(const std::string& account,
                                                 const std::string& address) {
  MutexLock lock(mutex_);
  TimePoint now = clock_.Now();
  auto by_account = AccountWait(account, now);
  auto by_address = AddressWait(address, now);
  if (by_account && by_address) return std::max(*by_account, *by_address);
  return by_account ? by_account : by_address;
}

void LoginThrottle::RecordFailure(const std::string& account, const std::string& address) {
  MutexLock lock(mutex_);
  TimePoint now = clock_.Now();
  for (auto* records : {&by_account_[account], &by_address_[address]}) {
    Prune(*records, now);
    records->emplace_back(now, account);
  }
  BoundMemory(now);
}

void LoginThrottle::BoundMemory(TimePoint now) {
  for (auto* map : {&by_account_, &by_address_}) {
    if (map->size() <= 100'000) continue;  // a spray of random names or addresses
    for (auto it = map->begin(); it != map->end();) {
      Prune(it->second, now);
      it = it->second.empty() ? map->erase(it) : std::next(it);
    }
  }
}

void LoginThrottle::RecordSuccess(const std::string& account) {
  MutexLock lock(mutex_);
  by_account_.erase(account);
}

}  // namespace parkhub::identity
