// Highlighter: finds where a query's terms occur in a piece of original text, for "why this
// matched" and search-result snippets.
//
// The text is split into words by ICU (dictionary words for Chinese); a word is a hit when any
// of the terms the Analyzer makes of it is among the query's terms, so "電池" in a Traditional
// document lights up for a Simplified "电池" query and "materials" for "material". Output is
// HTML-escaped, with hits wrapped in <mark>…</mark>. Thread-safe (each call clones the ICU word
// iterator); the Analyzer passed in is the caller's own. Should ICU lack word
// segmentation, snippets come back escaped but without hits.
#pragma once

#include <unicode/brkiter.h>

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "matching/analyzer.h"

namespace parkhub::matching {

struct Highlight {
  std::string html;                   // escaped text with <mark> around hits, "…" where cut
  std::vector<std::string> matched;   // the hit words as written, first occurrence order, unique
};

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string EscapeHtml(std::string_view text);

class Highlighter {
 public:
  Highlighter();
  ~Highlighter();

  // The part of `text` (at most about `max_chars` characters) with the most hits; the whole
  // text when it is short enough.
  Highlight Snippet(const Analyzer& analyzer, std::string_view text,
                    const std::set<std::string>& query_terms, size_t max_chars) const;

 private:
  std::unique_ptr<icu::BreakIterator> words_;
};

}  // namespace parkhub::matching
