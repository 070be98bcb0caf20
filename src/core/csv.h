// RFC 4180 CSV: a reader that keeps the line number each record starts on (so an import can
// say "line 42, field name_en: ..."), and a writer that quotes only what needs quoting.
// Hand-written because Debian ships no maintained C++ CSV library; it is ~100 lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace parkhub {

struct CsvRecord {
  int line = 0;  // 1-based line where the record starts
  std::vector<std::string> fields;
};

// Parses the whole text. Fails on an unterminated quote or a stray quote inside a field.
// A field the writer neutralised ("'=SUM(A1)") is read back as it was ("=SUM(A1)").
Result<std::vector<CsvRecord>> ParseCsv(std::string_view text);
// One cell of a line. A cell a spreadsheet would run as a formula (it starts with = + - @, a
// tab or a carriage return; OWASP's CSV injection rule) is written with a leading apostrophe,
// which spreadsheets show as text; every export goes through here.
std::string CsvEscape(std::string_view field);
std::string CsvLine(const std::vector<std::string>& fields);

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
bool IsValidUtf8(std::string_view text);

}  // namespace parkhub
