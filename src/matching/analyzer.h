// Analyzer: turns text in any mix of Simplified Chinese, Traditional Chinese and English into
// index terms, the same way for documents and for queries.
//
//   1. text::TextFolder: NFKC case folding and Traditional→Simplified, so either script finds
//      the other and full-width letters match half-width ones.
//   2. ICU word segmentation (dictionary-based for Chinese and Japanese). A Han word is kept
//      whole, and every pair of adjacent Han characters of the run it belongs to is added too,
//      so a query segmented differently from the document still meets it.
//   3. Letters and digits stay together ("mos2", "5g", "eu2"); words of letters only are stemmed
//      with Snowball English ("materials" and "material" meet).
// Terms come back in text order, repeated as often as they occur. Not thread-safe (it keeps an
// ICU word iterator and a stemmer): use one per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/mutex.h"
#include "core/status.h"
#include "text/text_folder.h"

namespace parkhub::matching {

// A query's terms prepared for Analyzer::MatchSpans, once per query: the terms, and the first
// two characters of each. Snowball English changes only a word's ending (its exceptions
// "dying", "lying" and "tying" become "die", "lie" and "tie"), so a term keeps its word's first
// two characters, folded: an ASCII word whose first two characters begin no term cannot be one
// and need not be stemmed to find out, which is most of highlighting's cost.
class MatchTerms {
 public:
  explicit MatchTerms(const std::vector<std::string>& terms);  // repeats count once
  bool empty() const { return terms_.empty(); }
  bool Has(std::string_view term) const { return terms_.find(term) != terms_.end(); }
  // False only when `word` (letters and digits) cannot have one of the terms as its term.
  bool CouldMatch(std::string_view word) const;

 private:
  // Looked up by string_view: highlighting asks for every Han pair of a text.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>()(text); }
  };
  std::unordered_set<std::string, Hash, std::equal_to<>> terms_;
  std::vector<uint16_t> leads_;  // sorted
};

class Analyzer {
 public:
  static Result<std::unique_ptr<Analyzer>> Create(const text::TextFolder& folder);
  ~Analyzer();

  // `fragments`, when given, also gets those Han terms of `text` that are pieces rather than
  // words: the function characters the segmentation left alone ("的", "于"), and the pairs
  // across a word boundary ("于制" in 用于|制氢) except between two other single characters (褚|伯
  // in 褚|伯|秀: a word the dictionary does not know). A query with real words does not match
  // a document on them alone (IndexQuery::fragment_terms).
  std::vector<std::string> Terms(std::string_view text,
                                 std::vector<std::string>* fragments = nullptr) const;
  // Where `text` says one of `terms`, as byte ranges [begin, end) of `text` in order, for
  // highlighting: a word of letters and digits whose term is among them, and the Han
  // characters of every pair (or whole run) whose folded form is. No dictionary segmentation,
  // so it is cheap; a one-character Han term alone is not marked.
  std::vector<std::pair<size_t, size_t>> MatchSpans(std::string_view text, const MatchTerms& terms) const;

 private:
  struct Impl;
  explicit Analyzer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The words of Chinese grammar, folded (Simplified): particles, prepositions, conjunctions, the
// copula, and a few compounds of them ("一种", "及其", "用于"). A single one is a fragment of a
// query (Analyzer::Terms); none is worth translating.
bool IsChineseFunctionWord(std::string_view word);

// English function words ("a", "the", "of", "and", ...), as the Analyzer's terms for them (they
// stem to themselves): words every English text says whatever its subject.
const std::set<std::string>& EnglishFunctionWords();

// Analyzers for many threads: Borrow() lends one (creating it when all are lent) and the lease
// gives it back when destroyed. Thread-safe.
class AnalyzerPool {
 public:
  explicit AnalyzerPool(const text::TextFolder& folder) : folder_(folder) {}

  class Lease {
   public:
    Lease(AnalyzerPool* pool, std::unique_ptr<Analyzer> analyzer)
        : pool_(pool), analyzer_(std::move(analyzer)) {}
    Lease(Lease&&) = default;
    ~Lease();
    const Analyzer& operator*() const { return *analyzer_; }
    const Analyzer* operator->() const { return analyzer_.get(); }

   private:
    AnalyzerPool* pool_;
    std::unique_ptr<Analyzer> analyzer_;
  };

  Result<Lease> Borrow();

 private:
  const text::TextFolder& folder_;
  Mutex mutex_;
  std::vector<std::unique_ptr<Analyzer>> idle_ GUARDED_BY(mutex_);
};

}  // namespace parkhub::matching
