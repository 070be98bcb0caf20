#include "matching/term_dictionary.h"

#include <functional>

namespace parkhub::matching {
namespace {

constexpr size_t kFirstCapacity = 1024;  // a power of two

uint32_t TagOf(uint64_t hash) { return static_cast<uint32_t>(hash >> 32); }

}  // namespace

uint64_t TermDictionary::Hash(std::string_view term) { return std::hash<std::string_view>()(term); }

size_t TermDictionary::Probe(std::string_view term, uint64_t hash) const {
  size_t mask = slots_.size() - 1;
  uint32_t tag = TagOf(hash);
  for (size_t at = hash & mask;; at = (at + 1) & mask) {
    const Slot& slot = slots_[at];
    if (slot.id_plus_one == 0) return at;
    if (slot.tag == tag && Term(slot.id_plus_one - 1) == term) return at;
  }
}

uint32_t TermDictionary::Find(std::string_view term, uint64_t hash) const {
  if (slots_.empty()) return kNotFound;
  const Slot& slot = slots_[Probe(term, hash)];
  return slot.id_plus_one == 0 ? kNotFound : slot.id_plus_one - 1;
}

uint32_t TermDictionary::Intern(std::string_view term, uint64_t hash) {
  if ((size() + 1) * 2 > slots_.size()) Grow();  // at most half full: probes stay short
  Slot& slot = slots_[Probe(term, hash)];
  if (slot.id_plus_one != 0) return slot.id_plus_one - 1;
  auto id = static_cast<uint32_t>(size());
  arena_.append(term);
  starts_.push_back(arena_.size());
  slot = {TagOf(hash), id + 1};
  return id;
}

void TermDictionary::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? kFirstCapacity : old.size() * 2, Slot{});
  for (const Slot& slot : old) {
    if (slot.id_plus_one == 0) continue;
    uint64_t hash = Hash(Term(slot.id_plus_one - 1));
    slots_[Probe(Term(slot.id_plus_one - 1), hash)] = slot;
  }
}

}  // namespace parkhub::matching
