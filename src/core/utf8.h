// ForEachCodePoint: walks UTF-8 text one code point at a time (ICU's U8_NEXT, header-only).
//
// `visit(c, begin, end)` gets each code point and its byte range in `text`; `c` is negative for
// an ill-formed sequence, which counts as one code point of its bytes. A visitor that returns
// bool stops the walk by returning false; ForEachCodePoint then returns false, and true when it
// reached the end.
#pragma once

#include <unicode/utf8.h>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace parkhub {

template <typename Visit>
bool ForEachCodePoint(std::string_view text, Visit&& visit) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  auto length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    int32_t begin = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    auto from = static_cast<size_t>(begin), to = static_cast<size_t>(i);
    if constexpr (std::is_same_v<std::invoke_result_t<Visit, UChar32, size_t, size_t>, bool>) {
      if (!visit(c, from, to)) return false;
    } else {
      visit(c, from, to);
    }
  }
  return true;
}

}  // namespace parkhub
