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
// The longest English phrase looked up as one (CleanSense keeps renderings of up to four words;
// a park's vocabulary may hold longer ones, and then they are looked up too).
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

bool IsSingleHanCharacter(std::string_view text) {
  size_t characters = 0;
  bool han = true;
  ForEachCodePoint(text, [&](UChar32 c, size_t, size_t) {
    ++characters;
    han = han && IsHan(c);
  });
  return characters == 1 && han;
}

// Each code point's first byte in `text`, then the end.
std::vector<size_t> CodePointStarts(std::string_view text) {
  std::vector<size_t> starts;
  ForEachCodePoint(text, [&](UChar32, size_t begin, size_t) { starts.push_back(begin); });
  starts.push_back(text.size());
  return starts;
}

// The runs of Han characters in `text`, in order.
std::vector<std::string> HanRuns(std::string_view text) {
  std::vector<std::string> runs;
  bool in_run = false;
  ForEachCodePoint(text, [&](UChar32 c, size_t begin, size_t end) {
    if (!IsHan(c)) {
      in_run = false;
      return;
    }
    if (!in_run) runs.emplace_back();
    in_run = true;
    runs.back().append(text, begin, end - begin);
  });
  return runs;
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
  std::vector<std::string> as_written = HanRuns(query);
  size_t runs = 0;
  std::string han, word;
  auto end_han = [&] {
    if (han.empty()) return;
    ChineseToEnglish(han, runs < as_written.size() ? as_written[runs] : han, out);
    ++runs;
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

void QueryTranslator::ChineseToEnglish(std::string_view han, std::string_view as_written,
                                       std::vector<TranslatedTerm>& out) const {
  std::vector<size_t> folded_at = CodePointStarts(han), written_at = CodePointStarts(as_written);
  bool aligned = folded_at.size() == written_at.size();  // folding kept one character per character
  size_t character = 0;
  for (std::string_view chinese : LongestWords(lexicons_, han)) {
    size_t length = CodePointStarts(chinese).size() - 1;
    std::string_view source =
        aligned ? as_written.substr(written_at[character],
                                    written_at[character + length] - written_at[character])
                : chinese;
    character += length;
    if (IsChineseFunctionWord(chinese)) continue;  // 的 is not "taxi", 及其 not "his"
    AddGroup(source, Renderings(true, chinese, kRenderingsPerWord), out);
  }
}

std::vector<std::string_view> QueryTranslator::Renderings(bool to_english, std::string_view word,
                                                          size_t limit) const {
  std::vector<std::string_view> out;
  for (const auto* lexicon : lexicons_) {
    for (std::string_view rendering :
         to_english ? lexicon->ToEnglish(word) : lexicon->ToChinese(word)) {
      if (out.size() == limit) return out;
      if (std::find(out.begin(), out.end(), rendering) == out.end()) out.push_back(rendering);
    }
  }
  return out;
}

void QueryTranslator::EnglishToChinese(const std::vector<std::string>& words,
                                       std::vector<TranslatedTerm>& out) const {
  size_t longest = kLongestPhrase;
  for (const auto* lexicon : lexicons_)
    longest = std::max(longest, lexicon->longest_phrase_words());
  for (size_t i = 0; i < words.size();) {
    size_t taken = 1;
    for (size_t length = std::min(longest, words.size() - i); length >= 1; --length) {
      std::string phrase = words[i];
      for (size_t j = i + 1; j < i + length; ++j) phrase += " " + words[j];
      if (length == 1 && NotTranslatedAlone(phrase)) break;
      auto chinese = Renderings(false, EnglishKey(analyzer_, phrase), kChinesePerPhrase);
      if (chinese.empty()) continue;
      AddGroup(phrase, chinese, out);
      taken = length;
      break;
    }
    // The words of a phrase count on their own too: a phrase's dictionary
    // rendering is one way to say it, the document may say it word by word.
    for (size_t j = i; taken > 1 && j < i + taken; ++j) {
      if (NotTranslatedAlone(words[j])) continue;
      AddGroup(words[j], Renderings(false, EnglishKey(analyzer_, words[j]), kChinesePerPhrase), out,
               kPhraseWordWeight);
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
  struct Gathered {
    double weight = 0;
    std::string_view from;
    bool fragment = true;  // in every rendering that has it
  };
  std::map<std::string, Gathered> terms;
  for (std::string_view rendering : renderings) {
    std::vector<std::string> fragments;
    std::set<std::string> own;
    for (auto& term : analyzer_.Terms(rendering, &fragments)) {
      if (!EnglishFunctionWords().count(term)) own.insert(std::move(term));  // "to use in"
    }
    for (const auto& term : own) {
      auto& gathered = terms[term];
      if (gathered.weight == 0) gathered.from = rendering;
      gathered.weight = std::min(1.0, gathered.weight + share);
      bool piece = std::find(fragments.begin(), fragments.end(), term) != fragments.end() ||
                   IsSingleHanCharacter(term);
      gathered.fragment = gathered.fragment && piece;
    }
  }
  for (const auto& [term, gathered] : terms) {
    out.push_back({term, weight * gathered.weight, std::string(source), std::string(gathered.from),
                   gathered.fragment});
  }
}

}  // namespace parkhub::matching
