// Small string helpers shared by the domain modules: lists stored as one delimited column,
// and escaping user text for SQL LIKE patterns (used with `ESCAPE '\'`). Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace parkhub {

// "a|b|c" -> {"a", "b", "c"}; "" -> {}.
std::vector<std::string> SplitJoined(const std::string& joined, char separator = '|');
std::string JoinWith(const std::vector<std::string>& items, char separator = '|');
// Escapes %, _ and \ so user text matches literally inside a LIKE pattern.
std::string EscapeLike(const std::string& text);
// The characters (code points) of UTF-8 text: bytes that do not continue a sequence.
size_t CountCharacters(std::string_view utf8);
// `text` without the spaces, tabs and line ends around it.
std::string_view Trim(std::string_view text);
// `text` with A-Z lowered (header names, keys, codes: ASCII by definition).
std::string AsciiLower(std::string_view text);

}  // namespace parkhub
