// TextFolder: folds text so that one spelling finds the others.
//
// Fold() applies Unicode NFKC case folding (ICU: full-width to half-width, "ＭＩＴ" -> "mit",
// case) and then Traditional-to-Simplified conversion (OpenCC t2s), so "香港科技大學",
// "香港科技大学" and "HONG KONG" compare equal to their Simplified/lower-case forms.
// ToTraditional() derives a Hong Kong Traditional spelling (OpenCC s2hk) for records entered
// only in Simplified. Construction loads OpenCC's dictionaries (tens of ms): build one and share
// it. Thread-safe after construction (conversion only reads the dictionaries).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace parkhub::text {

class TextFolder {
 public:
  static Result<std::unique_ptr<TextFolder>> Create();
  ~TextFolder();

  std::string Fold(std::string_view text) const;
  std::string ToTraditional(std::string_view simplified) const;

 private:
  struct Impl;
  explicit TextFolder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace parkhub::text
