// SearchIndex: the exchange's full-text index, our own: an in-memory inverted index fed with
// terms from our Analyzer, made durable by snapshots, kept in step by its owner's outbox.
//
// Ranking is BM25F: each field's terms count with the field's weight in a document's term
// frequencies and length, then BM25 (k1 = 1.2, b = 0.75, idf log(1 + (N - n + 0.5) / (n + 0.5)))
// scores the weighted sums; a query term said c times weighs 2c / (c + 1). BM25's frequency
// factor is kept per posting as a byte (an impact, see index_store.h). Queries are OR of their
// terms, evaluated a window of documents at a time with MaxScore pruning on block-max bounds,
// so common words cost little once the best documents are known; a query's boost (the match
// signals) multiplies each document's text score inside that evaluation, so the order is exact
// without re-ranking. Filters are boolean terms (AND across groups, OR within a group) and numeric
// value ranges; facets count values of chosen slots over the best `examine_at_least` matches.
//
// Why not Xapian (the recommended library): measured on the exchange bench, Xapian 1.4 glass
// indexed about 1,900 listings/s and answered slower as the corpus grew; this index builds at the
// speed of analysis and keeps p50 well under the target (docs/performance.md).
//
// Durability: Apply() changes memory only and records the caller's outbox sequence number;
// Checkpoint() writes a snapshot (temp file, fsync, rename) holding that number, so after a
// crash the owner replays its outbox from DurableSeq(). Deleted documents still count in term
// statistics until a checkpoint compacts them away (as in Lucene's segments).
//
// Thread-safety: Search() runs on many threads at once; Apply() and Checkpoint() exclude it
// briefly (a shared mutex). One process opens a directory at a time (an advisory lock).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace parkhub::matching {

inline constexpr unsigned kValueSlots = 16;

// The field weights of listings and evaluated documents: a title word counts three times, a
// keyword twice, a word of the text once.
constexpr unsigned kTitleWeight = 3;
constexpr unsigned kKeywordsWeight = 2;
constexpr unsigned kTextWeight = 1;

struct IndexField {
  std::vector<std::string> terms;
  unsigned weight = 1;  // added to the term's frequency per occurrence
  // False for a field of identifiers rather than words (people, see people.h): its terms
  // score, but add nothing to the document's length, so the words score as without it.
  bool in_length = true;
};

struct IndexDocument {
  std::string id;
  std::vector<IndexField> fields;
  std::vector<std::string> filter_terms;   // boolean terms: no effect on the score
  std::map<unsigned, std::string> values;  // slot (below kValueSlots) → value
};

struct ValueRange {
  unsigned slot = 0;
  double low = 0;
  double high = 0;
};

// One document's value slots, as a Boost reads them.
class SlotValues {
 public:
  virtual ~SlotValues() = default;
  virtual std::string_view Text(unsigned slot) const = 0;  // "" when the slot has no value
  virtual double Number(unsigned slot) const = 0;          // the value as a number; 0 when none
};

// A factor for a document's text score, from its values (the exchange's match signals).
using Boost = std::function<double(const SlotValues&)>;

// A term with a weight of its own; a fragment (a single Han character, a pair across a word
// boundary) scores only documents a real word found, as IndexQuery::fragment_terms.
struct WeightedTerm {
  std::string term;
  double weight = 1;
  bool fragment = false;
};

struct IndexQuery {
  std::vector<std::string> terms;  // as the Analyzer produced them; repeats raise the weight
  // Terms with a weight of their own (a translation's share of its source word's), added to
  // any weight the same term has from `terms`.
  std::vector<WeightedTerm> weighted_terms;
  // Every group must match one of its terms (AND of ORs).
  std::vector<std::vector<std::string>> filter_groups;
  std::vector<ValueRange> ranges;  // slots written with NumericValue()
  std::vector<std::string> exclude_ids;
  // The occurrences of `terms` that were pieces rather than words (Analyzer::Terms'
  // fragments). A term all of whose occurrences here and in `weighted_terms` were is a
  // fragment: when the query has another known term, it scores only documents that match one.
  std::vector<std::string> fragment_terms;
  // Terms that say little about the subject (see WeakQueryTerms()): they weigh a third.
  const std::set<std::string>* weak_terms = nullptr;
  // Keep only the `max_terms` distinct terms that weigh most (wqf × idf); 0 keeps all.
  size_t max_terms = 0;
  size_t offset = 0;
  size_t limit = 10;
  std::vector<unsigned> facet_slots;  // '|'-separated values count once each
  // The best this many matches are kept for facets (at least offset + limit).
  size_t examine_at_least = 0;
  // Only documents scoring above this are wanted. Pruning starts from it at once, so a search
  // for "everything that could still matter" costs little; the total is then a lower bound.
  double min_score = 0;
  // With no terms, the order: this slot's number, highest first (e.g. publication time).
  std::optional<unsigned> browse_sort_slot;
  std::vector<unsigned> return_slots;  // values each hit carries back
  // When set, documents rank by text score × boost(values), exactly, in one pass: pruning
  // bounds each text bound by `highest_boost`, which no boost may exceed. Scores, min_score
  // and the facets' best matches are then boosted ones.
  Boost boost;
  double highest_boost = 1.0;
};

struct IndexHit {
  std::string id;
  double score = 0;       // the text score times the boost, when the query has one
  double text_score = 0;  // BM25F alone (0 when browsing)
  std::map<unsigned, std::string> values;  // the query's return_slots that have a value
};

struct IndexResult {
  std::vector<IndexHit> hits;
  size_t total = 0;         // matches found; a lower bound when pruning skipped some
  bool total_exact = true;
  std::map<unsigned, std::map<std::string, size_t>> facets;
  // The query terms that searched (after max_terms) and tell documents apart: those in at most
  // half of the documents, neither fragments nor weak, or all of them when none is. For
  // highlighting and "why this matched".
  std::vector<std::string> telling_terms;
};

struct IndexChange {
  std::string id;
  std::optional<IndexDocument> document;  // nullopt: remove
};

// Terms a query says whatever its subject, as stems:
// - English function words ("of", "the", "and", ...). In a corpus mostly in Chinese they are
//   rare, so their idf alone would make the few English documents win any English query
//   (measured: csl English → Chinese MRR@10 0.507 → 0.686 once they weigh a third; the English
//   sets move by 0.001 at most);
// - the words of patent and requirement drafting ("method", "system", "apparatus",
//   "comprising", "wherein", "plurality", ...): in a corpus of papers and results they are rare
//   enough to look telling, yet a need or claim says them whatever its subject.
const std::set<std::string>& WeakQueryTerms();

class SearchIndex {
 public:
  // Opens the index in directory `path` (created if missing), loading its snapshot if any.
  static Result<std::unique_ptr<SearchIndex>> Open(const std::string& path);
  ~SearchIndex();

  // Applies `changes` in order (a document replaces one with the same id) and records
  // `last_seq` as the position applied (the caller's outbox position, db/domain_events.h; it may
  // move back when the caller re-applies everything, as after a copy to another database).
  Status Apply(const std::vector<IndexChange>& changes, int64_t last_seq);
  // Writes a snapshot of what is applied, if anything changed since the last one.
  Status Checkpoint();
  int64_t LastAppliedSeq() const;
  int64_t DurableSeq() const;  // the sequence number of the last snapshot
  size_t DocumentCount() const;
  Result<IndexResult> Search(const IndexQuery& query) const;

  // Unavailable when a process has the index in `path` open (for tools that replace it).
  static Status EnsureNotInUse(const std::string& path);

  // A number as a value string (for ranges and sorting), and back.
  static std::string NumericValue(double value);
  static double ParseNumericValue(const std::string& value);

 private:
  struct Impl;
  explicit SearchIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace parkhub::matching
