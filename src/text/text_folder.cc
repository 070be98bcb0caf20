#include "text/text_folder.h"

#include <opencc/SimpleConverter.hpp>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <filesystem>
#include <vector>

#include "core/utf8.h"

namespace parkhub::text {
namespace {

// OpenCC resolves bare names against its install prefix; fall back to Debian's path explicitly.
std::string ConfigPath(const std::string& name) {
  for (const char* dir : {"/usr/share/opencc/", "/usr/local/share/opencc/"}) {
    std::string path = std::string(dir) + name;
    if (std::filesystem::exists(path)) return path;
  }
  return name;
}

}  // namespace

// The CJK characters of the Basic Multilingual Plane (extension A and the unified block).
constexpr UChar32 kFirstHan = 0x3400;
constexpr UChar32 kLastHan = 0x9FFF;

struct TextFolder::Impl {
  Impl() : to_simplified(ConfigPath("t2s.json")), to_traditional(ConfigPath("s2hk.json")) {
    // Which characters OpenCC's t2s changes on their own. Text with none of them (all
    // Simplified or Latin text) skips the converter, which costs far more than the rest of
    // folding; text with one goes through it whole, so its phrase rules still apply.
    traditional.resize(kLastHan - kFirstHan + 1);
    for (UChar32 c = kFirstHan; c <= kLastHan; ++c) {
      std::string utf8;
      icu::UnicodeString(c).toUTF8String(utf8);
      traditional[c - kFirstHan] = to_simplified.Convert(utf8) != utf8;
    }
  }
  // NFKC_Casefold of text made only of printable ASCII, tabs, line ends and BMP Han characters,
  // without ICU: it lowers A-Z and leaves the rest as it is (unified ideographs have no
  // decomposition and no case). `may_convert` as MayConvert() would say. False for other text.
  bool FoldSimple(std::string_view text, std::string& out, bool& may_convert) const {
    out.reserve(text.size());
    bool simple = ForEachCodePoint(text, [&](UChar32 c, size_t begin, size_t end) {
      if ((c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r') {
        out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      } else if (c >= kFirstHan && c <= kLastHan) {
        may_convert = may_convert || traditional[c - kFirstHan];
        out.append(text, begin, end - begin);
      } else {
        return false;
      }
      return true;
    });
    if (!simple) {
      out.clear();
      may_convert = false;
    }
    return simple;
  }
  // True when t2s might change something in `text`.
  bool MayConvert(const icu::UnicodeString& text) const {
    const char16_t* buffer = text.getBuffer();
    for (int32_t i = 0, length = text.length(); i < length;) {
      UChar32 c;
      U16_NEXT(buffer, i, length, c);
      if (c >= kFirstHan && c <= kLastHan ? traditional[c - kFirstHan] : c > 0xFFFF) return true;
    }
    return false;
  }
  opencc::SimpleConverter to_simplified;
  opencc::SimpleConverter to_traditional;
  const icu::Normalizer2* nfkc_casefold = nullptr;
  std::vector<bool> traditional;
};

TextFolder::TextFolder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TextFolder::~TextFolder() = default;

Result<std::unique_ptr<TextFolder>> TextFolder::Create() {
  std::unique_ptr<Impl> impl;
  try {
    impl = std::make_unique<Impl>();
  } catch (const std::exception& error) {
    return Status::Internal(std::string("OpenCC dictionaries could not be loaded: ") + error.what());
  }
  UErrorCode status = U_ZERO_ERROR;
  impl->nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) return Status::Internal("ICU NFKC_Casefold is unavailable");
  return std::unique_ptr<TextFolder>(new TextFolder(std::move(impl)));
}

std::string TextFolder::Fold(std::string_view text) const {
  std::string folded;
  bool may_convert = false;
  if (!impl_->FoldSimple(text, folded, may_convert)) {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString source = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    icu::UnicodeString normalized = impl_->nfkc_casefold->normalize(source, status);
    if (U_FAILURE(status)) {
      folded.assign(text);
      may_convert = true;
    } else {
      normalized.toUTF8String(folded);
      may_convert = impl_->MayConvert(normalized);
    }
  }
  if (!may_convert) return folded;
  try {
    return impl_->to_simplified.Convert(folded);
  } catch (const std::exception&) {
    return folded;
  }
}

std::string TextFolder::ToTraditional(std::string_view simplified) const {
  try {
    return impl_->to_traditional.Convert(std::string(simplified));
  } catch (const std::exception&) {
    return std::string(simplified);
  }
}

}  // namespace parkhub::text
