// NameCollation: the order a reader expects names in, as keys a database can sort by.
//
// A list of organisations is sorted in the reader's language: under Simplified Chinese by
// pinyin (ICU's "zh" collation), under Traditional Chinese by stroke count (ICU's "zh-Hant",
// the order of Hong Kong and Taiwan directories, 筆劃), under English alphabetically with case
// ignored. The keys are ICU sort keys written as lowercase hex, so comparing two keys byte by
// byte (SQLite BINARY, PostgreSQL COLLATE "C") orders their names as the collator would; a
// stored key lets a database page through a sorted list without knowing any collation.
// Thread-safe: each call clones its collator.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace parkhub::text {

enum class NameOrder { kPinyin, kStroke, kEnglish };

class NameCollation {
 public:
  static Result<std::unique_ptr<NameCollation>> Create();
  ~NameCollation();

  // Never empty: an empty name has a key too, so "" in a stored key means "not computed yet".
  std::string SortKey(std::string_view name, NameOrder order) const;

 private:
  struct Impl;
  explicit NameCollation(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace parkhub::text
