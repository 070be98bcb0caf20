// Fuzz target: a CSV import file. What parses must come back the same through the writer
// (formula neutralising included), or the target aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto records = parkhub::ParseCsv(text);
  if (!records.ok()) return 0;
  for (const auto& record : *records) {
    auto again = parkhub::ParseCsv(parkhub::CsvLine(record.fields));
    bool blank = record.fields.size() == 1 && record.fields[0].empty();
    if (blank) continue;
    if (!again.ok() || again->size() != 1 || (*again)[0].fields != record.fields) std::abort();
  }
  return 0;
}
