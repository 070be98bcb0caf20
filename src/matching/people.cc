#include "matching/people.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "core/utf8.h"

namespace parkhub::matching {
namespace {

bool IsHan(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(c, &status) == USCRIPT_HAN;
}

// The runs of letters of `text` (its words), and the Han characters in order.
struct NameParts {
  std::vector<std::string> words;
  std::string han;
};

NameParts Split(std::string_view text) {
  NameParts parts;
  std::string word;
  auto end_word = [&] {
    if (!word.empty()) parts.words.push_back(std::move(word));
    word.clear();
  };
  ForEachCodePoint(text, [&](UChar32 c, size_t begin, size_t end) {
    std::string_view character = text.substr(begin, end - begin);
    if (c >= 0 && IsHan(c)) {
      end_word();
      parts.han.append(character);
    } else if (c >= 0 && u_isalpha(c)) {
      word.append(character);
    } else {
      end_word();
    }
  });
  end_word();
  return parts;
}

// The first character of a word, whole (a word's letters may take several bytes).
std::string Initial(const std::string& word) {
  size_t first_end = 0;
  ForEachCodePoint(word, [&](UChar32, size_t, size_t end) {
    first_end = end;
    return false;
  });
  return word.substr(0, first_end);
}

}  // namespace

std::string PersonTerm(const text::TextFolder& folder, std::string_view name) {
  std::string folded = folder.Fold(name);
  NameParts whole = Split(folded);
  if (!whole.han.empty()) return "@" + whole.han;
  if (whole.words.empty()) return "";
  std::string surname, given;
  if (size_t comma = folded.find(','); comma != std::string::npos) {
    NameParts before = Split(std::string_view(folded).substr(0, comma));
    NameParts after = Split(std::string_view(folded).substr(comma + 1));
    if (!before.words.empty()) surname = before.words.back();
    if (!after.words.empty()) given = after.words.front();
  }
  if (surname.empty()) {
    surname = whole.words.back();
    given = whole.words.size() > 1 ? whole.words.front() : "";
  }
  return given.empty() ? "@" + surname : "@" + surname + " " + Initial(given);
}

std::vector<std::string> PersonTerms(const text::TextFolder& folder, const std::vector<std::string>& names) {
  std::vector<std::string> terms;
  for (const auto& name : names) {
    std::string term = PersonTerm(folder, name);
    if (!term.empty()) terms.push_back(std::move(term));
  }
  return terms;
}

}  // namespace parkhub::matching
