#include "matching/analyzer.h"

#include <libstemmer.h>
#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

namespace parkhub::matching {
namespace {

enum class CharacterKind { kSeparator, kHan, kWord };

// Han, a letter or digit of another script, or a separator; the common blocks without a
// property lookup.
CharacterKind Classify(UChar32 c) {
  if (c < 0x80) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
    return alnum ? CharacterKind::kWord : CharacterKind::kSeparator;
  }
  if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)) return CharacterKind::kHan;
  UErrorCode status = U_ZERO_ERROR;
  if (uscript_getScript(c, &status) == USCRIPT_HAN) return CharacterKind::kHan;
  return u_isalnum(c) ? CharacterKind::kWord : CharacterKind::kSeparator;
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

  // A run of Han characters: the dictionary's words, plus every adjacent pair. Cut from the
  // run's UTF-8 by character offsets, so no piece is converted twice.
  void AddHan(const icu::UnicodeString& run, std::vector<std::string>& out) const {
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
    int32_t start = words->first();
    for (int32_t end = words->next(); end != icu::BreakIterator::DONE;
         start = end, end = words->next()) {
      uint32_t from = utf8_at[static_cast<size_t>(start)], to = utf8_at[static_cast<size_t>(end)];
      out.emplace_back(utf8, from, to - from);
    }
    for (size_t i = 0; i + 2 < characters.size(); ++i) {
      out.emplace_back(utf8, characters[i], characters[i + 2] - characters[i]);
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
  // Runs of Han characters and runs of letters and digits; everything else (spaces,
  // punctuation, symbols, emoji) separates terms.
  const char16_t* buffer = folded.getBuffer();
  int32_t length = folded.length();
  CharacterKind run = CharacterKind::kSeparator;
  int32_t run_start = 0;
  auto flush = [&](int32_t end) {
    if (run == CharacterKind::kHan) impl_->AddHan(folded.tempSubString(run_start, end - run_start), out);
    if (run == CharacterKind::kWord) impl_->AddLatin(folded.tempSubString(run_start, end - run_start), out);
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
