#include "text/name_collation.h"

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <vector>

namespace parkhub::text {

struct NameCollation::Impl {
  std::unique_ptr<icu::Collator> pinyin;
  std::unique_ptr<icu::Collator> stroke;
  std::unique_ptr<icu::Collator> english;

  const icu::Collator& For(NameOrder order) const {
    switch (order) {
      case NameOrder::kPinyin:
        return *pinyin;
      case NameOrder::kStroke:
        return *stroke;
      case NameOrder::kEnglish:
        break;
    }
    return *english;
  }
};

namespace {

Result<std::unique_ptr<icu::Collator>> Open(const char* locale, UColAttributeValue strength) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Collator> collator(
      icu::Collator::createInstance(icu::Locale(locale), status));
  if (U_FAILURE(status)) {
    return Status::Internal(std::string("no ICU collation for ") + locale + ": " +
                            u_errorName(status));
  }
  collator->setAttribute(UCOL_STRENGTH, strength, status);
  collator->setAttribute(UCOL_NUMERIC_COLLATION, UCOL_ON, status);  // "Lab 2" before "Lab 10"
  if (U_FAILURE(status))
    return Status::Internal(std::string("collator attributes: ") + u_errorName(status));
  return collator;
}

}  // namespace

Result<std::unique_ptr<NameCollation>> NameCollation::Create() {
  auto impl = std::make_unique<Impl>();
  ASSIGN_OR_RETURN(impl->pinyin, Open("zh", UCOL_TERTIARY));
  ASSIGN_OR_RETURN(impl->stroke, Open("zh-Hant", UCOL_TERTIARY));
  ASSIGN_OR_RETURN(impl->english, Open("en", UCOL_SECONDARY));  // case ignored
  return std::unique_ptr<NameCollation>(new NameCollation(std::move(impl)));
}

NameCollation::NameCollation(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
NameCollation::~NameCollation() = default;

std::string NameCollation::SortKey(std::string_view name, NameOrder order) const {
  // getSortKey is const but not documented as thread-safe on a shared instance; a clone is.
  std::unique_ptr<icu::Collator> collator(impl_->For(order).clone());
  icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), name.size()));
  std::vector<uint8_t> key(64);
  int32_t length = collator->getSortKey(text, key.data(), static_cast<int32_t>(key.size()));
  if (length > static_cast<int32_t>(key.size())) {
    key.resize(length);
    length = collator->getSortKey(text, key.data(), length);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  // The key ends in a zero byte, which adds nothing to its order.
  for (int32_t i = 0; i + 1 < length; ++i) {
    hex += kHex[key[i] >> 4];
    hex += kHex[key[i] & 0xF];
  }
  return hex;
}

}  // namespace parkhub::text
