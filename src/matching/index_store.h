// IndexStore: the arrays behind SearchIndex, and their snapshot file (module-internal).
//
// Documents are numbered in the order they were added; postings list them in that order, so a
// posting list is sorted by construction. A removed document stays in the arrays, marked dead,
// until Compact() renumbers the live ones.
//
// Snapshot file: "PHIX1\n", then little-endian fields: last_seq (i64); the term dictionary with
// each term's postings (document numbers, weighted frequencies; impacts are derived on loading); the filter dictionary; each
// value slot's strings; and per document its id, length, filter ids and value ids. Written to a
// temporary file, flushed to disk, then renamed over the old one.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "matching/search_index.h"
#include "matching/term_dictionary.h"

namespace parkhub::matching {

// BM25's usual k1 of 1.2 is for an occurrence counting 1; weighted fields add their weight per
// occurrence before saturation (BM25F), so k1 is scaled by the title's weight: a title word then
// saturates as a plain one would. Measured on the dev sets: English titles MRR@10 0.928 → 0.939,
// claims 0.805 → 0.814, Chinese unchanged.
constexpr double kK1 = 1.2 * kTitleWeight;
constexpr double kB = 0.75;
// A posting's impact: BM25's frequency factor tf·(k1 + 1) / (tf + k1·(1 − b + b·length/average))
// in steps of kImpactStep, rounded up (1 to 255). A score is then idf × query weight × impact ×
// kImpactStep: no document length is read while ranking, and a term's bound is its exact best.
constexpr double kImpactStep = (kK1 + 1.0) / 255.0;
uint8_t Impact(unsigned frequency, float length, double average_length);

// A search that skips far ahead in a posting list binary-searches `skips` (small enough to stay
// in cache for the common terms) and then one block of this many postings, instead of the
// whole list: a few cache misses instead of a score of them.
constexpr size_t kSkipStep = 64;

struct PostingList {
  std::vector<uint32_t> docs;
  std::vector<uint8_t> frequencies;  // weighted, capped at 255
  std::vector<uint8_t> impacts;      // derived from frequencies and lengths
  std::vector<uint32_t> skips;       // docs[0], docs[kSkipStep], docs[2 × kSkipStep], ...
  // The highest impact of each block of kSkipStep postings (block-max bounds: ranking skips a
  // stretch of documents where the blocks of a query's terms cannot reach its threshold).
  std::vector<uint8_t> block_max;
  uint8_t max_impact = 0;

  // Appends a document above all those listed, keeping `skips` in step.
  void Append(uint32_t doc, uint8_t frequency, uint8_t impact);
  // Derives `skips` from `docs`, after they were filled by other means.
  void IndexSkips();
};

// The distinct values of one slot, interned; id 0 is "no value".
struct SlotTable {
  std::vector<std::string> strings{""};
  std::vector<double> numbers{0.0};  // each string read as a number (0 when it is not one)
  std::unordered_map<std::string, uint32_t> ids;
  uint32_t Intern(const std::string& value);
};

// The documents that carry one filter term: a sorted list while the term is rare, a bit per
// document once it is common (on a fifth or more of them). A bit test is what a filtered search
// does for every candidate, so a common term must not cost a binary search.
class FilterPostings {
 public:
  bool Has(uint32_t doc) const;
  // ORs into `mask` (bit i: document first + i; first a multiple of 64) the documents of
  // [first, first + 64 × mask.size()) that carry the term.
  void MarkRange(uint32_t first, std::vector<uint64_t>& mask) const;
  // `doc` is above every document added before; `documents` is how many the index holds.
  void Add(uint32_t doc, size_t documents);
  size_t count() const { return count_; }

 private:
  std::vector<uint32_t> docs_;
  std::vector<uint64_t> bits_;
  size_t count_ = 0;
};

struct IndexStore {
  TermDictionary terms;
  std::vector<PostingList> postings;  // by term id
  std::unordered_map<std::string, uint32_t> filter_ids;
  std::vector<std::string> filter_names;
  std::vector<FilterPostings> filter_docs;  // by filter id, dead documents too
  std::array<SlotTable, kValueSlots> slots;
  std::vector<std::string> ids;
  std::vector<float> lengths;
  std::vector<uint8_t> alive;
  std::vector<std::vector<uint32_t>> filters;  // sorted filter ids per document
  std::vector<std::array<uint32_t, kValueSlots>> values;
  double total_length = 0;  // of every document, dead ones too (their terms still count)
  double impact_average = 0;  // the average length the impacts were computed with

  // The term's id, with an empty posting list if it is new. `hash` is TermDictionary::Hash(term).
  uint32_t TermId(std::string_view term, uint64_t hash);
  uint32_t FilterId(const std::string& term);
  void IndexFilters();  // sets filter_docs from filters
  double AverageLength() const;
  // Appends a posting (above every document in `list`), its impact taken at impact_average.
  void AddPosting(PostingList& list, uint32_t doc, uint8_t frequency) const;
  // Recomputes every impact at the current average length (after loading or compacting, or
  // once the average has drifted from impact_average).
  void IndexImpacts();
  // Drops dead documents, renumbering the rest, and terms left without postings.
  void Compact();
};

// Returns the snapshot's last_seq.
Result<int64_t> ReadSnapshot(const std::string& path, IndexStore& store);
Status WriteSnapshot(const std::string& path, const IndexStore& store, int64_t last_seq);

}  // namespace parkhub::matching
