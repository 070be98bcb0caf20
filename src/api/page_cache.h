// PageCache: serialised responses of public list endpoints, each valid for one value of the
// data's change counter (RegistryService::ListVersion). A lookup with a newer version misses,
// so a cached page is never served after a change committed by any process. Bounded: when full,
// the whole cache is dropped (entries are cheap to rebuild and the key space is small).
// Thread-safe (shared mutex: lookups run in parallel).
#pragma once

#include "core/mutex.h"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace parkhub::api {

class PageCache {
 public:
  explicit PageCache(size_t max_entries = 4096) : max_entries_(max_entries) {}

  std::optional<std::string> Get(const std::string& key, int64_t version) const {
    ReaderLock lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.version != version) return std::nullopt;
    return it->second.body;
  }

  void Put(const std::string& key, int64_t version, std::string body) {
    WriterLock lock(mutex_);
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_[key] = Entry{version, std::move(body)};
  }

 private:
  struct Entry {
    int64_t version;
    std::string body;
  };
  const size_t max_entries_;
  mutable SharedMutex mutex_;
  std::unordered_map<std::string, Entry> entries_ GUARDED_BY(mutex_);
};

}  // namespace parkhub::api
