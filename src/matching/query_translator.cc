#include "matching/query_translator.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <unicode/uscript.h>

#include "core/utf8.h"

namespace parkhub::matching {
namespace {

// The renderings of a word worth searching for: the dictionary's first senses.
constexpr size_t kRenderingsPerWord = 3;
// The longest English phrase looked up as one (CleanSense keeps renderings of up to four words).
constexpr size_t kLongestPhrase = 4;
// The Chinese words an English phrase is searched as (its main-sense words first).
constexpr size_t kChinesePerPhrase = 3;
// The weight of a phrase's words searched on their own (measured: 0.25, 0.5 and 1 give csl
// English → Chinese MRR@10 0.497, 0.501 and 0.507).
constexpr double kPhraseWordWeight = 1.0;

// English words too common to translate on their own (a phrase may still hold them): the
// function words, and the "using" and "based on" of titles.
bool NotTranslatedAlone(const std::string& word) {
  return EnglishFunctionWords().count(word) != 0 || word == "using" || word == "based";
}

bool IsHan(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  return c >= 0 && uscript_getScript(c, &status) == USCRIPT_HAN;
}

}  // namespace

std::string EnglishKey(const Analyzer& analyzer, std::string_view phrase) {
  std::string key;
  for (const auto& term : analyzer.Terms(phrase)) key += (key.empty() ? "" : " ") + term;
  return key;
}

Result<std::unique_ptr<BilingualLexicon>> LoadLexicon(const std::string& path,
                                                      const text::TextFolder& folder) {
  ASSIGN_OR_RETURN(auto analyzer, Analyzer::Create(folder));
  return BilingualLexicon::Load(path, folder, [&](std::string_view phrase) {
    return EnglishKey(*analyzer, phrase);
  });
}

std::vector<TranslatedTerm> QueryTranslator::Translate(std::string_view query) const {
  std::string folded = folder_.Fold(query);
  std::vector<TranslatedTerm> out;
  std::vector<std::string> english_words;
  std::string han, word;
  auto end_han = [&] {
    if (!han.empty()) ChineseToEnglish(han, out);
    han.clear();
  };
  auto end_word = [&] {
    if (!word.empty()) english_words.push_back(word);
    word.clear();
  };
  ForEachCodePoint(folded, [&](UChar32 c, size_t begin, size_t end) {
    if (IsHan(c)) {
      end_word();
      han.append(folded, begin, end - begin);
    } else if (c >= 0 && c < 0x80 && std::isalnum(static_cast<int>(c))) {
      end_han();
      word += static_cast<char>(c);
    } else {
      end_han();
      end_word();
    }
  });
  end_han();
  end_word();
  EnglishToChinese(english_words, out);
  return out;
}

void QueryTranslator::ChineseToEnglish(std::string_view han,
                                       std::vector<TranslatedTerm>& out) const {
  for (std::string_view chinese : lexicon_.LongestWords(han)) {
    const auto& renderings = lexicon_.ToEnglish(chinese);
    std::vector<std::string_view> first(
        renderings.begin(), renderings.begin() + std::min(renderings.size(), kRenderingsPerWord));
    AddGroup(chinese, first, out);
  }
}

void QueryTranslator::EnglishToChinese(const std::vector<std::string>& words,
                                       std::vector<TranslatedTerm>& out) const {
  for (size_t i = 0; i < words.size();) {
    size_t taken = 1;
    for (size_t length = std::min(kLongestPhrase, words.size() - i); length >= 1; --length) {
      std::string phrase = words[i];
      for (size_t j = i + 1; j < i + length; ++j) phrase += " " + words[j];
      if (length == 1 && NotTranslatedAlone(phrase)) break;
      const auto& chinese = lexicon_.ToChinese(EnglishKey(analyzer_, phrase));
      if (chinese.empty()) continue;
      std::vector<std::string_view> first(
          chinese.begin(), chinese.begin() + std::min(chinese.size(), kChinesePerPhrase));
      AddGroup(phrase, first, out);
      taken = length;
      break;
    }
    // The words of a phrase count on their own too: a phrase's dictionary
    // rendering is one way to say it, the document may say it word by word.
    for (size_t j = i; taken > 1 && j < i + taken; ++j) {
      if (NotTranslatedAlone(words[j])) continue;
      const auto& chinese = lexicon_.ToChinese(EnglishKey(analyzer_, words[j]));
      std::vector<std::string_view> first(
          chinese.begin(), chinese.begin() + std::min(chinese.size(), kChinesePerPhrase));
      AddGroup(words[j], first, out, kPhraseWordWeight);
    }
    i += taken;
  }
}

void QueryTranslator::AddGroup(std::string_view source,
                               const std::vector<std::string_view>& renderings,
                               std::vector<TranslatedTerm>& out, double weight) const {
  if (renderings.empty()) return;
  // Each rendering carries an equal share; all the terms of a phrase carry its share, and a
  // term several renderings share adds them up to the word's whole weight at most.
  double share = 1.0 / static_cast<double>(renderings.size());
  std::map<std::string, std::pair<double, std::string_view>> terms;
  for (std::string_view rendering : renderings) {
    std::set<std::string> own;
    for (auto& term : analyzer_.Terms(rendering)) own.insert(std::move(term));
    for (const auto& term : own) {
      auto& [weight, from] = terms[term];
      if (weight == 0) from = rendering;
      weight = std::min(1.0, weight + share);
    }
  }
  for (const auto& [term, weighted] : terms) {
    out.push_back(
        {term, weight * weighted.first, std::string(source), std::string(weighted.second)});
  }
}

}  // namespace parkhub::matching
