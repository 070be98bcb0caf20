// Internal to matching/: the pieces SearchIndex ranks with, header-only so they inline into
// its loops: a top-k heap of scored candidates, a query term's cursor over its posting list
// (skips, block maxima and all), the window of documents ranking scores at a time, and a
// query's boost over a stored document's values. Not an interface.
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
  double bound;   // the most this term adds to a document: in its list, then in a window
  bool fragment = false;  // IndexQuery::fragment_terms: scores only documents others found
  uint32_t Doc() const { return at < list->docs.size() ? list->docs[at] : UINT32_MAX; }
  double Score() const { return weight * list->impacts[at]; }
  // The most this term adds to a document from where it stands up to (not including) `end`:
  // the highest impact of the blocks that hold those postings.
  double BoundBefore(uint32_t end) const {
    const auto& skips = list->skips;
    if (at >= list->docs.size()) return 0;
    uint8_t most = 0;
    for (size_t block = at / kSkipStep; block < skips.size() && skips[block] < end; ++block) {
      most = std::max(most, list->block_max[block]);
    }
    return weight * most;
  }
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

// One window of ranking, the documents [first, first + width): the essential terms'
// scores summed per document, a term at a time (as Lucene's MaxScoreBulkScorer does, instead of
// merging every essential cursor at every document); then the candidates among the documents
// they found, completed from the other terms one term at a time and dropped as soon as they
// cannot make it. Each document also records whether a word (not a fragment) found it.
// Windows grow from the first to the widest: the threshold rises at the end of each window, so
// narrow ones first let it rise early; wide ones later cost less per document.
inline constexpr uint32_t kFirstWindowDocs = 1 << 10;
inline constexpr uint32_t kWindowDocs = 1 << 16;
// A term's postings in a window are read in full, rather than each candidate probed, when they
// are fewer than this many times the candidates (a probe costs a gallop through the skips).
inline constexpr size_t kProbeCostInPostings = 64;

class WindowScores {
 public:
  // For an index of `documents` documents: no window holds more.
  explicit WindowScores(size_t documents)
      : scores_(std::min<size_t>(kWindowDocs, (documents + 63) / 64 * 64), 0.0),
        found_(scores_.size() / 64, 0),
        found_by_word_(found_.size(), 0) {}
  // The next window starts at `first` (a multiple of 64), each wider than the last.
  void Start(uint32_t first) {
    first_ = first;
    width_ = width_ == 0 ? kFirstWindowDocs : std::min(kWindowDocs, width_ * 2);
  }
  uint32_t Width() const { return width_; }
  uint32_t End() const { return first_ > UINT32_MAX - width_ ? UINT32_MAX : first_ + width_; }

  // An essential term: adds the cursor's scores of the window's documents and moves it past them.
  void Add(Cursor& cursor) {
    const uint32_t end = End();
    for (uint32_t doc; (doc = cursor.Doc()) < end; ++cursor.at) {
      const uint32_t slot = doc - first_;
      scores_[slot] += cursor.Score();
      found_[slot / 64] |= Bit(slot);
      if (!cursor.fragment) found_by_word_[slot / 64] |= Bit(slot);
    }
  }

  // The candidates: the documents found that `allowed` has (bit i: the window's i-th document;
  // null: all) and keep(doc, score) accepts, in document order. The others are forgotten.
  template <typename Keep>
  void Select(const uint64_t* allowed, Keep&& keep) {
    candidates_.clear();
    for (size_t word = 0; word < std::min<size_t>(width_ / 64, found_.size()); ++word) {
      uint64_t kept = 0;
      for (uint64_t bits = found_[word]; bits != 0; bits &= bits - 1) {
        const uint32_t slot = static_cast<uint32_t>(word * 64) + static_cast<uint32_t>(__builtin_ctzll(bits));
        if ((allowed == nullptr || (allowed[word] & Bit(slot)) != 0) && keep(first_ + slot, scores_[slot])) {
          candidates_.push_back(slot);
          kept |= Bit(slot);
        } else {
          scores_[slot] = 0;
        }
      }
      found_[word] = kept;
      found_by_word_[word] &= kept;
    }
  }
  bool Empty() const { return candidates_.empty(); }

  // A non-essential term: adds its scores to the candidates that hold it, reading its
  // postings in the window or probing it at each candidate, whichever reads less.
  void Complete(Cursor& cursor) {
    const uint32_t end = End();
    if (PostingsBefore(cursor, end) < candidates_.size() * kProbeCostInPostings) {
      for (uint32_t doc; (doc = cursor.Doc()) < end; ++cursor.at) Credit(cursor, doc - first_);
      return;
    }
    for (uint32_t slot : candidates_) {
      cursor.Advance(first_ + slot);
      if (cursor.Doc() == first_ + slot) Credit(cursor, slot);
    }
  }

  // Forgets the candidates whose score plus `still_to_come` is not above `threshold`; true when
  // there were some.
  bool Prune(double still_to_come, double threshold) {
    size_t kept = 0;
    for (uint32_t slot : candidates_) {
      if (scores_[slot] + still_to_come > threshold) {
        candidates_[kept++] = slot;
      } else {
        Forget(slot);
      }
    }
    bool pruned = kept != candidates_.size();
    candidates_.resize(kept);
    return pruned;
  }

  // Calls visit(doc, score, found_by_word) for each candidate, in document order, and empties
  // the window.
  template <typename Visit>
  void Finish(Visit&& visit) {
    for (uint32_t slot : candidates_) {
      visit(first_ + slot, scores_[slot], (found_by_word_[slot / 64] & Bit(slot)) != 0);
      Forget(slot);
    }
    candidates_.clear();
  }

 private:
  static uint64_t Bit(uint32_t slot) { return uint64_t{1} << (slot % 64); }

  void Credit(const Cursor& cursor, uint32_t slot) {
    if ((found_[slot / 64] & Bit(slot)) == 0) return;  // not a candidate
    scores_[slot] += cursor.Score();
    if (!cursor.fragment) found_by_word_[slot / 64] |= Bit(slot);
  }
  void Forget(uint32_t slot) {
    scores_[slot] = 0;
    found_[slot / 64] &= ~Bit(slot);
    found_by_word_[slot / 64] &= ~Bit(slot);
  }
  // About how many of the cursor's postings lie before `end`, counted in whole blocks.
  static size_t PostingsBefore(const Cursor& cursor, uint32_t end) {
    const auto& skips = cursor.list->skips;
    size_t block = cursor.at / kSkipStep;
    size_t last = static_cast<size_t>(std::lower_bound(skips.begin() + static_cast<std::ptrdiff_t>(std::min(block, skips.size())), skips.end(), end) - skips.begin());
    return (last > block ? last - block : 0) * kSkipStep;
  }

  uint32_t first_ = 0;
  uint32_t width_ = 0;
  std::vector<double> scores_;            // by slot: found documents' scores so far
  std::vector<uint64_t> found_;           // by slot: found by an essential term; then candidates
  std::vector<uint64_t> found_by_word_;   // by slot: ... and a word among the terms that hold it
  std::vector<uint32_t> candidates_;      // slots, ascending
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
