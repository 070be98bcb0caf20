#include "matching/highlighter.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>

#include "core/strings.h"
#include "core/utf8.h"

namespace parkhub::matching {
namespace {

// A piece of the scanned text, as byte offsets into it.
struct Segment {
  size_t begin = 0;
  size_t end = 0;
  int32_t length = 0;  // characters
  bool hit = false;
  bool word = false;  // ASCII letters and digits, extended by the next such character
};

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

// The first `max_chars` characters (code points) of UTF-8 `text`, never splitting one.
std::string_view Truncate(std::string_view text, size_t max_chars) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  int32_t at = 0;
  for (size_t n = 0; n < max_chars && at < length; ++n) U8_FWD_1(bytes, at, length);
  return text.substr(0, static_cast<size_t>(at));
}

void AppendEscaped(std::string& out, std::string_view text) {
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
}

void AppendSegment(std::string& out, std::string_view text, bool hit) {
  if (hit) out += "<mark>";
  AppendEscaped(out, text);
  if (hit) out += "</mark>";
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendEscaped(out, text);
  return out;
}

Highlight HighlightSnippet(const Analyzer& analyzer, std::string_view text,
                           const MatchTerms& query_terms, size_t max_chars) {
  // Only the beginning of a long text is searched for the passage: enough to choose from,
  // and a search result's cost stays bounded.
  std::string_view scanned = Truncate(text, std::max<size_t>(4 * max_chars, 600));
  bool cut = scanned.size() < text.size();
  auto spans = analyzer.MatchSpans(scanned, query_terms);
  // Segments: each marked span whole; elsewhere one character each, but a run of ASCII
  // letters and digits stays together so a window never cuts an English word.
  std::vector<Segment> segments;
  auto plain = [&](size_t begin, size_t end) {
    ForEachCodePoint(scanned.substr(begin, end - begin), [&](UChar32 c, size_t from, size_t to) {
      bool ascii_word = c >= 0 && c < 0x80 && std::isalnum(c);
      if (ascii_word && !segments.empty() && !segments.back().hit && segments.back().word) {
        segments.back().end = begin + to;
        ++segments.back().length;
      } else {
        segments.push_back({begin + from, begin + to, 1, false, ascii_word});
      }
    });
  };
  auto piece = [&](const Segment& segment) { return scanned.substr(segment.begin, segment.end - segment.begin); };
  size_t position = 0;
  Highlight out;
  for (const auto& [begin, end] : spans) {
    plain(position, begin);
    std::string_view word = scanned.substr(begin, end - begin);
    segments.push_back({begin, end, static_cast<int32_t>(CountCharacters(word)), true, false});
    if (std::find(out.matched.begin(), out.matched.end(), word) == out.matched.end()) {
      out.matched.emplace_back(word);
    }
    position = end;
  }
  plain(position, scanned.size());
  auto [first, last] = BestWindow(segments, max_chars);
  if (first == last && first < segments.size()) {  // one word longer than the whole window
    if (first > 0) out.html += "…";
    AppendSegment(out.html, Truncate(piece(segments[first]), max_chars), segments[first].hit);
    out.html += "…";
    return out;
  }
  if (first > 0) out.html += "…";
  for (size_t i = first; i < last; ++i) AppendSegment(out.html, piece(segments[i]), segments[i].hit);
  if (last < segments.size() || cut) out.html += "…";
  return out;
}

}  // namespace parkhub::matching
