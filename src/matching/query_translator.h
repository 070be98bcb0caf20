// QueryTranslator: a query's words in the other language, through the BilingualLexicon, so a
// Chinese need meets an English result and the other way round.
//
//   Chinese → English: each run of Han text is cut into the longest dictionary words; each word
//   gives its first renderings (the dictionary's most common senses first), analysed as English.
//   English → Chinese: the query's words, longest phrase first (up to four words, by their
//   analysed key), give the Chinese words whose rendering they are, analysed as Chinese.
//
// The lexicons are the park's vocabulary (its glossary and bilingual names) first, then CC-CEDICT.
//
// One synonym group per source word (Pirkola's structured query, approximated): a word's
// translations share the word's weight, so a word with ten renderings does not outweigh a word
// with one. The groups come back as terms with weights for IndexQuery. Thread-compatible: one
// per thread, like the Analyzer it uses.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "matching/analyzer.h"
#include "matching/bilingual_lexicon.h"

namespace parkhub::matching {

struct TranslatedTerm {
  std::string term;       // an index term (Analyzer output) in the other language
  double weight = 1;      // the share of its source word's weight
  std::string
      source;  // the query word it translates, as the query wrote it ("合成氣", "oxidation")
  std::string rendering;  // the dictionary's word for it ("synthesis", "氧化")
  // A single Han character or a pair across a word boundary of a Chinese rendering: it scores,
  // but does not match a document on its own (IndexQuery::fragment_terms).
  bool fragment = false;
};

class QueryTranslator {
 public:
  // `lexicons` in order of authority: the park's own vocabulary before the dictionary. A word's
  // renderings are the first lexicon's, then the next's, up to the few the group keeps; the
  // longest word any of them knows wins when cutting Chinese text.
  QueryTranslator(std::vector<const BilingualLexicon*> lexicons, const Analyzer& analyzer,
                  const text::TextFolder& folder)
      : lexicons_(std::move(lexicons)), analyzer_(analyzer), folder_(folder) {}

  std::vector<TranslatedTerm> Translate(std::string_view query) const;

 private:
  // `han` is a folded run of Han characters; `as_written` the same run in the query.
  void ChineseToEnglish(std::string_view han, std::string_view as_written,
                        std::vector<TranslatedTerm>& out) const;
  void EnglishToChinese(const std::vector<std::string>& words,
                        std::vector<TranslatedTerm>& out) const;
  // One source word's translations as one group: each rendering's terms share its weight.
  void AddGroup(std::string_view source, const std::vector<std::string_view>& renderings,
                std::vector<TranslatedTerm>& out, double weight = 1) const;

  // The first `limit` renderings of a Chinese word (ToEnglish) or English key (ToChinese),
  // across the lexicons in order, each once.
  std::vector<std::string_view> Renderings(bool to_english, std::string_view word,
                                           size_t limit) const;

  const std::vector<const BilingualLexicon*> lexicons_;
  const Analyzer& analyzer_;
  const text::TextFolder& folder_;
};

// The key BilingualLexicon indexes an English phrase by: its analysed terms joined by spaces.
std::string EnglishKey(const Analyzer& analyzer, std::string_view phrase);
// The dictionary at `path`, its English side keyed by EnglishKey.
Result<std::unique_ptr<BilingualLexicon>> LoadLexicon(const std::string& path,
                                                      const text::TextFolder& folder);

}  // namespace parkhub::matching
