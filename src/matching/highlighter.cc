#include "matching/highlighter.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>

namespace parkhub::matching {
namespace {

struct Segment {
  std::string text;
  int32_t length = 0;  // UTF-16 units, near enough to characters for a window
  bool hit = false;
};

bool HasWordCharacter(const icu::UnicodeString& segment) {
  for (int32_t i = 0; i < segment.length(); i = segment.moveIndex32(i, 1)) {
    if (u_isalnum(segment.char32At(i))) return true;
  }
  return false;
}

// The run of segments within `max_chars` holding the most hits (the earliest of equals):
// [first, last).
std::pair<size_t, size_t> BestWindow(const std::vector<Segment>& segments, size_t max_chars) {
  size_t best_first = 0, best_last = 0, best_hits = 0;
  bool found = false;
  size_t last = 0, hits = 0;
  int64_t length = 0;
  for (size_t first = 0; first < segments.size(); ++first) {
    if (last < first) {
      last = first;
      hits = 0;
      length = 0;
    }
    while (last < segments.size() &&
           length + segments[last].length <= static_cast<int64_t>(max_chars)) {
      length += segments[last].length;
      hits += segments[last].hit ? 1 : 0;
      ++last;
    }
    if (!found || hits > best_hits) {
      best_first = first;
      best_last = last;
      best_hits = hits;
      found = true;
    }
    if (last > first) {
      length -= segments[first].length;
      hits -= segments[first].hit ? 1 : 0;
    }
  }
  return {best_first, best_last};
}

// The first `max_chars` UTF-16 units of `text`, never splitting a character.
std::string Truncate(const std::string& text, size_t max_chars) {
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(text);
  int32_t cut = unicode.moveIndex32(0, static_cast<int32_t>(max_chars));
  std::string out;
  unicode.tempSubString(0, cut).toUTF8String(out);
  return out;
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

Highlighter::Highlighter() {
  UErrorCode status = U_ZERO_ERROR;
  words_.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status)) words_.reset();
}

Highlighter::~Highlighter() = default;

Highlight Highlighter::Snippet(const Analyzer& analyzer, std::string_view text,
                               const std::set<std::string>& query_terms, size_t max_chars) const {
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  Highlight out;
  if (words_ == nullptr) {
    out.html = EscapeHtml(Truncate(std::string(text), max_chars));
    return out;
  }
  std::unique_ptr<icu::BreakIterator> words(words_->clone());
  words->setText(unicode);
  std::vector<Segment> segments;
  int32_t start = words->first();
  for (int32_t end = words->next(); end != icu::BreakIterator::DONE; start = end, end = words->next()) {
    icu::UnicodeString piece = unicode.tempSubString(start, end - start);
    Segment segment;
    piece.toUTF8String(segment.text);
    segment.length = piece.length();
    if (!query_terms.empty() && HasWordCharacter(piece)) {
      for (const auto& term : analyzer.Terms(segment.text)) {
        if (query_terms.count(term) != 0) {
          segment.hit = true;
          break;
        }
      }
    }
    // Adjacent hits read as one word ("石墨" + "烯" is "石墨烯").
    if (segment.hit && !segments.empty() && segments.back().hit) {
      segments.back().text += segment.text;
      segments.back().length += segment.length;
    } else {
      segments.push_back(std::move(segment));
    }
  }
  for (const auto& segment : segments) {
    if (segment.hit &&
        std::find(out.matched.begin(), out.matched.end(), segment.text) == out.matched.end()) {
      out.matched.push_back(segment.text);
    }
  }
  auto [first, last] = BestWindow(segments, max_chars);
  if (first == last && first < segments.size()) {  // one word longer than the whole window
    std::string escaped = EscapeHtml(Truncate(segments[first].text, max_chars));
    out.html = (first > 0 ? "…" : "") + (segments[first].hit ? "<mark>" + escaped + "</mark>" : escaped) + "…";
    return out;
  }
  if (first > 0) out.html += "…";
  for (size_t i = first; i < last; ++i) {
    std::string escaped = EscapeHtml(segments[i].text);
    out.html += segments[i].hit ? "<mark>" + escaped + "</mark>" : escaped;
  }
  if (last < segments.size()) out.html += "…";
  return out;
}

}  // namespace parkhub::matching
