// TermDictionary: strings numbered 0, 1, 2, ... in the order they were first seen: the index's
// terms, and the words of the analyser's stem cache
// (module-internal).
//
// Built for a million documents of a few hundred terms each: the terms' bytes live in one
// arena and the lookup table is open addressing over (hash tag, id) pairs, so a lookup costs
// one hash and, usually, one cache line, and the dictionary holds no allocation per term.
// Callers that look a term up more than once hash it once with Hash() and pass the hash.
// Not thread-safe: SearchIndex guards it with its own lock.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parkhub::matching {

class TermDictionary {
 public:
  static constexpr uint32_t kNotFound = UINT32_MAX;

  static uint64_t Hash(std::string_view term);

  // The term's id, or kNotFound. `hash` must be Hash(term).
  uint32_t Find(std::string_view term, uint64_t hash) const;
  uint32_t Find(std::string_view term) const { return Find(term, Hash(term)); }
  // The term's id, adding it with the next id if it is new. `hash` must be Hash(term).
  uint32_t Intern(std::string_view term, uint64_t hash);
  uint32_t Intern(std::string_view term) { return Intern(term, Hash(term)); }

  // The term of an id below size().
  std::string_view Term(uint32_t id) const {
    return std::string_view(arena_).substr(starts_[id], starts_[id + 1] - starts_[id]);
  }
  size_t size() const { return starts_.size() - 1; }

 private:
  struct Slot {
    uint32_t tag = 0;  // the hash's upper half
    uint32_t id_plus_one = 0;  // 0: empty
  };
  size_t Probe(std::string_view term, uint64_t hash) const;  // the term's slot, or an empty one
  void Grow();

  std::string arena_;
  std::vector<uint64_t> starts_{0};  // term i is arena_[starts_[i], starts_[i + 1])
  std::vector<Slot> slots_;
};

}  // namespace parkhub::matching
