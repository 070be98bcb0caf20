#include "matching/analyzer.h"

#include <libstemmer.h>
#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "core/utf8.h"
#include "matching/term_dictionary.h"

namespace parkhub::matching {
namespace {

constexpr size_t kStemCacheSize = 50000;  // words; about 4 MB per analyser at most

enum class CharacterKind { kSeparator, kHan, kWord };

// Han, a letter or digit of another script, or a separator; the common blocks without a
// property lookup.
// The unified ideographs and extension A: Han, and without case.
bool IsCommonHan(UChar32 c) { return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF); }

CharacterKind Classify(UChar32 c) {
  if (c < 0x80) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
    return alnum ? CharacterKind::kWord : CharacterKind::kSeparator;
  }
  if (IsCommonHan(c)) return CharacterKind::kHan;
  UErrorCode status = U_ZERO_ERROR;
  if (uscript_getScript(c, &status) == USCRIPT_HAN) return CharacterKind::kHan;
  return u_isalnum(c) ? CharacterKind::kWord : CharacterKind::kSeparator;
}

// Classify() of the character's case folding; ASCII and the common Han blocks fold to their own
// kind, so only other characters pay for folding.
CharacterKind ClassifyFolded(UChar32 c) {
  if (c < 0x80 || IsCommonHan(c)) return Classify(c);
  return Classify(u_foldCase(c, U_FOLD_CASE_DEFAULT));
}

}  // namespace

struct Analyzer::Impl {
  const text::TextFolder& folder;
  std::unique_ptr<icu::BreakIterator> words;
  sb_stemmer* stemmer = nullptr;
  // Words recur across texts: a stem is computed once, until the cache is full and starts over.
  // Word i of `stemmed_words` has the stem stems[i]; the dictionary's open addressing finds a
  // word in about one cache line, where a node-based map walked a chain (10% of analysis).
  mutable TermDictionary stemmed_words;
  mutable std::vector<std::string> stems;

  explicit Impl(const text::TextFolder& f) : folder(f) {}

  // `word`: lower-case ASCII letters, more than two.
  std::string Stem(const std::string& word) const {
    uint64_t hash = TermDictionary::Hash(word);
    uint32_t known = stemmed_words.Find(word, hash);
    if (known != TermDictionary::kNotFound) return stems[known];
    if (stems.size() >= kStemCacheSize) {
      stemmed_words = TermDictionary();
      stems.clear();
    }
    const sb_symbol* stemmed = sb_stemmer_stem(
        stemmer, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
    std::string stem = stemmed == nullptr ? word
                                          : std::string(reinterpret_cast<const char*>(stemmed),
                                                        sb_stemmer_length(stemmer));
    stemmed_words.Intern(word, hash);
    stems.push_back(stem);
    return stem;
  }
  ~Impl() {
    if (stemmer != nullptr) sb_stemmer_delete(stemmer);
  }

  // The term of a folded word of letters and digits: stemmed when it is English letters only.
  std::string LatinTerm(std::string folded) const {
    bool letters_only = std::all_of(folded.begin(), folded.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    return letters_only && folded.size() > 2 ? Stem(folded) : folded;
  }

  void AddLatin(const icu::UnicodeString& word, std::vector<std::string>& out) const {
    std::string text;
    word.toUTF8String(text);
    out.push_back(LatinTerm(std::move(text)));
  }

  // The term of one word of letters and digits; plain ASCII skips the folding machinery.
  std::string WordTerm(std::string_view word) const {
    bool ascii = std::all_of(word.begin(), word.end(), [](char c) { return (c & 0x80) == 0; });
    if (!ascii) return LatinTerm(folder.Fold(word));
    std::string lower(word);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return LatinTerm(std::move(lower));
  }

  // A run of Han characters: the dictionary's words, plus every adjacent pair. Cut from the
  // run's UTF-8 by character offsets, so no piece is converted twice.
  // `fragments`, when given, gets the single characters the segmentation left alone and the
  // pairs across a word boundary.
  void AddHan(const icu::UnicodeString& run, std::vector<std::string>& out,
              std::vector<std::string>* fragments) const {
    std::string utf8;
    run.toUTF8String(utf8);
    // utf8_at[i]: the byte offset of UTF-16 unit i (and of the end, at run.length()).
    std::vector<uint32_t> utf8_at(static_cast<size_t>(run.length()) + 1, 0);
    std::vector<uint32_t> characters;  // byte offsets where each character starts, then the end
    uint32_t bytes = 0;
    const char16_t* buffer = run.getBuffer();
    for (int32_t i = 0; i < run.length();) {
      UChar32 c;
      U16_GET(buffer, 0, i, run.length(), c);
      int32_t units = U16_LENGTH(c);
      characters.push_back(bytes);
      for (int32_t u = 0; u < units; ++u) utf8_at[static_cast<size_t>(i + u)] = bytes;
      bytes += static_cast<uint32_t>(U8_LENGTH(c));
      i += units;
    }
    utf8_at[static_cast<size_t>(run.length())] = bytes;
    characters.push_back(bytes);
    words->setText(run);
    // By byte offset: where a word starts; and whether the character there is a word of its
    // own that says something (not a function character).
    std::vector<bool> word_starts(bytes + 1, false), telling_single(bytes + 1, false);
    int32_t start = words->first();
    for (int32_t end = words->next(); end != icu::BreakIterator::DONE;
         start = end, end = words->next()) {
      uint32_t from = utf8_at[static_cast<size_t>(start)], to = utf8_at[static_cast<size_t>(end)];
      out.emplace_back(utf8, from, to - from);
      word_starts[from] = true;
      if (to - from != static_cast<uint32_t>(U8_LENGTH(run.char32At(start)))) continue;
      bool function = IsChineseFunctionWord(out.back());
      telling_single[from] = !function;
      if (fragments != nullptr && function) fragments->push_back(out.back());
    }
    for (size_t i = 0; i + 2 < characters.size(); ++i) {
      out.emplace_back(utf8, characters[i], characters[i + 2] - characters[i]);
      // A pair across a word boundary, unless both are telling characters on their own: the
      // pieces of a word the dictionary does not know (a name, a new compound).
      bool across = word_starts[characters[i + 1]];
      bool unknown_word = telling_single[characters[i]] && telling_single[characters[i + 1]];
      if (fragments != nullptr && across && !unknown_word) fragments->push_back(out.back());
    }
  }
};

Result<std::unique_ptr<Analyzer>> Analyzer::Create(const text::TextFolder& folder) {
  auto impl = std::make_unique<Impl>(folder);
  UErrorCode status = U_ZERO_ERROR;
  impl->words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status)) return Status::Internal("ICU word segmentation is unavailable");
  impl->stemmer = sb_stemmer_new("english", "UTF_8");
  if (impl->stemmer == nullptr) return Status::Internal("the Snowball English stemmer is unavailable");
  return std::unique_ptr<Analyzer>(new Analyzer(std::move(impl)));
}

Analyzer::Analyzer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Analyzer::~Analyzer() = default;

std::vector<std::string> Analyzer::Terms(std::string_view text,
                                         std::vector<std::string>* fragments) const {
  icu::UnicodeString folded = icu::UnicodeString::fromUTF8(impl_->folder.Fold(text));
  std::vector<std::string> out;
  // Runs of Han characters and runs of letters and digits; everything else (spaces,
  // punctuation, symbols, emoji) separates terms.
  const char16_t* buffer = folded.getBuffer();
  int32_t length = folded.length();
  CharacterKind run = CharacterKind::kSeparator;
  int32_t run_start = 0;
  auto flush = [&](int32_t end) {
    if (run == CharacterKind::kHan)
      impl_->AddHan(folded.tempSubString(run_start, end - run_start), out, fragments);
    if (run == CharacterKind::kWord)
      impl_->AddLatin(folded.tempSubString(run_start, end - run_start), out);
  };
  for (int32_t i = 0; i < length;) {
    int32_t at = i;
    UChar32 c;
    U16_NEXT(buffer, i, length, c);
    CharacterKind kind = Classify(c);
    if (kind == run) continue;
    flush(at);
    run = kind;
    run_start = at;
  }
  flush(length);
  return out;
}

namespace {

uint16_t Lead(char first, char second) {
  auto lower = [](char c) { return static_cast<uint16_t>(std::tolower(static_cast<unsigned char>(c))); };
  return static_cast<uint16_t>(lower(first) << 8 | lower(second));
}

}  // namespace

MatchTerms::MatchTerms(const std::vector<std::string>& terms) : terms_(terms.begin(), terms.end()) {
  for (const auto& term : terms_) {
    if (!term.empty()) leads_.push_back(Lead(term[0], term.size() > 1 ? term[1] : '\0'));
  }
  std::sort(leads_.begin(), leads_.end());
}

bool MatchTerms::CouldMatch(std::string_view word) const {
  if (word.empty()) return false;
  if (std::any_of(word.begin(), word.end(), [](char c) { return (c & 0x80) != 0; })) return true;
  char second = word.size() > 1 ? word[1] : '\0';
  bool y_to_i = std::tolower(static_cast<unsigned char>(second)) == 'y';
  return std::binary_search(leads_.begin(), leads_.end(), Lead(word[0], second)) ||
         (y_to_i && std::binary_search(leads_.begin(), leads_.end(), Lead(word[0], 'i')));
}

std::vector<std::pair<size_t, size_t>> Analyzer::MatchSpans(std::string_view text,
                                                            const MatchTerms& match_terms) const {
  std::vector<std::pair<size_t, size_t>> spans;
  if (match_terms.empty()) return spans;
  auto add = [&](size_t begin, size_t end) {
    if (!spans.empty() && spans.back().second >= begin) {
      spans.back().second = std::max(spans.back().second, end);
    } else {
      spans.emplace_back(begin, end);
    }
  };
  // A run of Han characters: fold it whole; when folding kept one character per character,
  // mark each pair (and the whole run) that is a term.
  auto han_run = [&](const std::vector<size_t>& starts, size_t end) {
    std::string folded = impl_->folder.Fold(text.substr(starts.front(), end - starts.front()));
    std::vector<size_t> at;
    for (size_t i = 0; i < folded.size(); ++i) {
      if ((static_cast<unsigned char>(folded[i]) & 0xC0) != 0x80) at.push_back(i);
    }
    if (at.size() != starts.size()) return;
    at.push_back(folded.size());
    if (match_terms.Has(folded)) return add(starts.front(), end);
    std::string_view pairs = folded;
    for (size_t i = 0; i + 2 < at.size(); ++i) {
      if (match_terms.Has(pairs.substr(at[i], at[i + 2] - at[i]))) {
        add(starts[i], i + 2 < starts.size() ? starts[i + 2] : end);
      }
    }
  };
  auto word_run = [&](size_t begin, size_t end) {
    std::string_view word = text.substr(begin, end - begin);
    if (match_terms.CouldMatch(word) && match_terms.Has(impl_->WordTerm(word))) add(begin, end);
  };
  CharacterKind run = CharacterKind::kSeparator;
  std::vector<size_t> starts;  // of the current run's characters
  auto flush = [&](size_t end) {
    if (run == CharacterKind::kHan) han_run(starts, end);
    if (run == CharacterKind::kWord) word_run(starts.front(), end);
    starts.clear();
  };
  ForEachCodePoint(text, [&](UChar32 c, size_t at, size_t) {
    CharacterKind kind = c < 0 ? CharacterKind::kSeparator : ClassifyFolded(c);
    if (kind != run) {
      flush(at);
      run = kind;
    }
    starts.push_back(at);
  });
  flush(text.size());
  return spans;
}

AnalyzerPool::Lease::~Lease() {
  if (pool_ == nullptr || analyzer_ == nullptr) return;
  MutexLock lock(pool_->mutex_);
  pool_->idle_.push_back(std::move(analyzer_));
}

Result<AnalyzerPool::Lease> AnalyzerPool::Borrow() {
  {
    MutexLock lock(mutex_);
    if (!idle_.empty()) {
      auto analyzer = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(analyzer));
    }
  }
  ASSIGN_OR_RETURN(auto analyzer, Analyzer::Create(folder_));
  return Lease(this, std::move(analyzer));
}

bool IsChineseFunctionWord(std::string_view word) {
  static const std::set<std::string_view> kWords = {
      "的",   "地",   "得",   "了",   "着",   "过",   "和",   "与",  "及", "或",   "在",   "于",
      "为",   "是",   "把",   "被",   "对",   "从",   "向",   "以",  "之", "其",   "而",   "并",
      "等",   "将",   "由",   "用",   "中",   "上",   "下",   "一",  "个", "也",   "就",   "都",
      "又",   "很",   "再",   "这",   "那",   "该",   "此",   "所",  "则", "一种", "及其", "以及",
      "其中", "对于", "关于", "通过", "进行", "基于", "用于", "之间"};
  return kWords.count(word) != 0;
}

const std::set<std::string>& EnglishFunctionWords() {
  static const std::set<std::string> kWords = {
      "a",    "an", "the", "of", "for", "and", "or", "in",  "on",   "to",   "with", "by",
      "from", "at", "as",  "is", "are", "be",  "it", "its", "this", "that", "via",  "into"};
  return kWords;
}

}  // namespace parkhub::matching
