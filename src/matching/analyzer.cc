#include "matching/analyzer.h"

#include <libstemmer.h>
#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

namespace parkhub::matching {
namespace {

bool IsHan(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(c, &status) == USCRIPT_HAN;
}

}  // namespace

struct Analyzer::Impl {
  const search::TextFolder& folder;
  std::unique_ptr<icu::BreakIterator> words;
  sb_stemmer* stemmer = nullptr;

  explicit Impl(const search::TextFolder& f) : folder(f) {}
  ~Impl() {
    if (stemmer != nullptr) sb_stemmer_delete(stemmer);
  }

  void AddLatin(const icu::UnicodeString& word, std::vector<std::string>& out) const {
    std::string text;
    word.toUTF8String(text);
    bool letters_only = true;
    for (unsigned char c : text) letters_only = letters_only && c >= 'a' && c <= 'z';
    if (letters_only && text.size() > 2) {
      const sb_symbol* stemmed = sb_stemmer_stem(
          stemmer, reinterpret_cast<const sb_symbol*>(text.data()), static_cast<int>(text.size()));
      if (stemmed != nullptr) {
        text.assign(reinterpret_cast<const char*>(stemmed), sb_stemmer_length(stemmer));
      }
    }
    out.push_back(std::move(text));
  }

  // A run of Han characters: the dictionary's words, plus every adjacent pair.
  void AddHan(const icu::UnicodeString& run, std::vector<std::string>& out) const {
    std::vector<icu::UnicodeString> characters;
    for (int32_t i = 0; i < run.length(); i = run.moveIndex32(i, 1)) {
      characters.push_back(run.tempSubString(i, run.moveIndex32(i, 1) - i));
    }
    words->setText(run);
    int32_t start = words->first();
    for (int32_t end = words->next(); end != icu::BreakIterator::DONE;
         start = end, end = words->next()) {
      std::string word;
      run.tempSubString(start, end - start).toUTF8String(word);
      out.push_back(std::move(word));
    }
    for (size_t i = 0; i + 1 < characters.size(); ++i) {
      std::string pair;
      (characters[i] + characters[i + 1]).toUTF8String(pair);
      out.push_back(std::move(pair));
    }
  }
};

Result<std::unique_ptr<Analyzer>> Analyzer::Create(const search::TextFolder& folder) {
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

std::vector<std::string> Analyzer::Terms(std::string_view text) const {
  icu::UnicodeString folded = icu::UnicodeString::fromUTF8(impl_->folder.Fold(text));
  std::vector<std::string> out;
  // Split into runs of Han characters and runs of letters and digits; everything else
  // (spaces, punctuation, symbols, emoji) separates terms.
  icu::UnicodeString han, latin;
  auto flush = [&] {
    if (!han.isEmpty()) impl_->AddHan(han, out);
    if (!latin.isEmpty()) impl_->AddLatin(latin, out);
    han.remove();
    latin.remove();
  };
  for (int32_t i = 0; i < folded.length(); i = folded.moveIndex32(i, 1)) {
    UChar32 c = folded.char32At(i);
    if (IsHan(c)) {
      if (!latin.isEmpty()) flush();
      han.append(c);
    } else if (u_isalnum(c)) {
      if (!han.isEmpty()) flush();
      latin.append(c);
    } else {
      flush();
    }
  }
  flush();
  return out;
}

AnalyzerPool::Lease::~Lease() {
  if (pool_ == nullptr || analyzer_ == nullptr) return;
  std::lock_guard lock(pool_->mutex_);
  pool_->idle_.push_back(std::move(analyzer_));
}

Result<AnalyzerPool::Lease> AnalyzerPool::Borrow() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto analyzer = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(analyzer));
    }
  }
  ASSIGN_OR_RETURN(auto analyzer, Analyzer::Create(folder_));
  return Lease(this, std::move(analyzer));
}

}  // namespace parkhub::matching
