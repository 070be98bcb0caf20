// Internal to matching/: the pieces SearchIndex ranks with, header-only so they inline into
// its loops: a top-k heap of scored candidates, a query term's cursor over its posting list
// (skips and all), and a query's boost over a stored document's values. Not an interface.
#pragma once

#include <algorithm>
#include <cstdint>
#include <queue>
#include <string_view>
#include <vector>

#include "matching/index_store.h"
#include "matching/search_index.h"

namespace parkhub::matching::ranking {

// Postings Cursor::Advance looks at one by one before it uses the skips.
inline constexpr size_t kNearPostings = 8;

// A candidate in a top-k heap: the worst kept candidate on top.
struct Scored {
  double score;  // boosted
  uint32_t doc;
  double text_score;
};
struct WorseFirst {
  bool operator()(const Scored& a, const Scored& b) const {
    return a.score != b.score ? a.score > b.score : a.doc < b.doc;
  }
};
using TopK = std::priority_queue<Scored, std::vector<Scored>, WorseFirst>;

inline void Offer(TopK& top, size_t k, Scored candidate) {
  if (top.size() < k) {
    top.push(candidate);
  } else if (WorseFirst()(candidate, top.top())) {
    top.pop();
    top.push(candidate);
  }
}

// A query term as ranking takes it: its id, its query weight, and whether it is a fragment.
struct QueryTerm {
  uint32_t id;
  double weight;
  bool fragment;
};

// One query term's walk through its posting list, in document order.
struct Cursor {
  const PostingList* list;
  size_t at = 0;
  double weight;  // query weight × idf × kImpactStep: a score per unit of impact
  double bound;   // the most this term adds to a document's score
  bool fragment = false;  // IndexQuery::fragment_terms: scores only documents others found
  uint32_t Doc() const { return at < list->docs.size() ? list->docs[at] : UINT32_MAX; }
  double Score() const { return weight * list->impacts[at]; }
  // To the first posting at or after doc. The target is usually near: the next few postings,
  // one cache line, are looked at first; beyond them, the skips find its block.
  void Advance(uint32_t doc) {
    const auto& docs = list->docs;
    if (Doc() >= doc) return;
    for (size_t near = std::min(docs.size(), at + kNearPostings); ++at < near;) {
      if (docs[at] >= doc) return;
    }
    if (at >= docs.size()) return;
    // Gallop over the skips (the target is usually a few blocks on) to the last block that
    // starts at or before doc; when at's own block already starts beyond it, docs[at] is the
    // answer.
    const auto& skips = list->skips;
    size_t block = at / kSkipStep;
    if (skips[block] > doc) return;
    size_t next = block + 1;
    for (size_t step = 1; next < skips.size() && skips[next] <= doc; step *= 2) {
      block = next;
      next = block + step;
    }
    auto after = std::upper_bound(skips.begin() + static_cast<std::ptrdiff_t>(block + 1),
                                  skips.begin() + static_cast<std::ptrdiff_t>(std::min(next, skips.size())), doc);
    block = static_cast<size_t>(after - skips.begin()) - 1;
    size_t low = std::max(at, block * kSkipStep);
    size_t high = std::min(docs.size(), (block + 1) * kSkipStep);
    at = static_cast<size_t>(std::lower_bound(docs.begin() + static_cast<std::ptrdiff_t>(low),
                                              docs.begin() + static_cast<std::ptrdiff_t>(high), doc) -
                             docs.begin());
  }
};

// A stored document's values, for a query's boost.
class StoredValues : public SlotValues {
 public:
  StoredValues(const IndexStore& store, uint32_t doc) : store_(store), doc_(doc) {}
  std::string_view Text(unsigned slot) const override {
    return slot < kValueSlots ? store_.slots[slot].strings[store_.values[doc_][slot]] : std::string_view();
  }
  double Number(unsigned slot) const override {
    return slot < kValueSlots ? store_.slots[slot].numbers[store_.values[doc_][slot]] : 0.0;
  }

 private:
  const IndexStore& store_;
  uint32_t doc_;
};

// A query's boost as ranking applies it: the factor of a document, and the most any can get.
struct Boosting {
  const Boost* boost = nullptr;  // none: text scores alone
  double highest = 1.0;

  double Factor(const IndexStore& store, uint32_t doc) const {
    return boost == nullptr ? 1.0 : (*boost)(StoredValues(store, doc));
  }
};

}  // namespace parkhub::matching::ranking
