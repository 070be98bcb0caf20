// SearchIndex: the persistent full-text index of the exchange, on Xapian, fed with terms from
// our own Analyzer (Xapian's own parser segments Chinese poorly and throws on some mixed text).
//
// Ranking is BM25F: each field's terms are added with the field's weight as their within-
// document frequency, so one BM25 (k1 = 1.2, b = 0.75) runs over the weighted sums; a query term
// said c times weighs 2c / (c + 1). Filters are boolean terms (AND across groups, OR within a
// group) and value ranges; facets count values of chosen slots over the matches examined.
//
// The index is derived data. It remembers the last outbox sequence number applied with each
// commit (metadata "last_seq"), so its owner can replay what came after a crash.
//
// Thread-safety: Search() may run on many threads at once (each borrows its own reader);
// Apply() calls are serialised internally. One process opens an index for writing at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace parkhub::matching {

struct IndexField {
  std::vector<std::string> terms;
  unsigned weight = 1;  // within-document frequency added per occurrence
};

struct IndexDocument {
  std::string id;
  std::vector<IndexField> fields;
  std::vector<std::string> filter_terms;  // boolean terms: no effect on the score
  std::map<unsigned, std::string> values;  // slot (1 and up; 0 holds the id) → value
  std::string data;                        // returned with each hit
};

struct ValueRange {
  unsigned slot = 0;
  double low = 0;
  double high = 0;
};

struct IndexQuery {
  std::vector<std::string> terms;  // as the Analyzer produced them; repeats raise the weight
  // Every group must match one of its terms (AND of ORs).
  std::vector<std::vector<std::string>> filter_groups;
  std::vector<ValueRange> ranges;  // slots written with NumericValue()
  std::vector<std::string> exclude_ids;
  // Keep only the `max_terms` distinct terms that weigh most (wqf × idf); 0 keeps all.
  size_t max_terms = 0;
  size_t offset = 0;
  size_t limit = 10;
  std::vector<unsigned> facet_slots;  // '|'-separated values count once each
  // How many matches to examine at least (facet counts and the total are exact below this).
  size_t examine_at_least = 0;
  // With no terms, the order: this slot descending (e.g. the publication time).
  std::optional<unsigned> browse_sort_slot;
};

struct IndexHit {
  std::string id;
  double score = 0;
  std::string data;
};

struct IndexResult {
  std::vector<IndexHit> hits;
  size_t total = 0;       // an estimate when more matched than were examined
  bool total_exact = true;
  std::map<unsigned, std::map<std::string, size_t>> facets;
  // The query terms that searched (after max_terms) and tell documents apart: those in at most
  // half of the documents, or all of them when every one is that common. For highlighting.
  std::vector<std::string> telling_terms;
};

struct IndexChange {
  std::string id;
  std::optional<IndexDocument> document;  // nullopt: remove
};

class SearchIndex {
 public:
  // Opens (creating if missing) the index in directory `path`.
  static Result<std::unique_ptr<SearchIndex>> Open(const std::string& path);
  ~SearchIndex();

  // Applies `changes` in order and records `last_seq`, in one commit.
  Status Apply(const std::vector<IndexChange>& changes, int64_t last_seq);
  int64_t LastAppliedSeq() const;
  size_t DocumentCount() const;
  Result<IndexResult> Search(const IndexQuery& query) const;

  // A number as a sortable value string (for ranges and sorting).
  static std::string NumericValue(double value);
  static double ParseNumericValue(const std::string& value);

 private:
  struct Impl;
  explicit SearchIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace parkhub::matching
