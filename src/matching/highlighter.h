// HighlightSnippet: finds where a query's terms occur in a piece of original text, for "why this
// matched" and search-result snippets.
//
// Analyzer::MatchSpans finds the hits: a word whose stem is a query term, Han characters whose
// folded pairs are, so "電池" in a Traditional document lights up for a Simplified "电池" query
// and "materials" for "material". Output is HTML-escaped, with hits wrapped in <mark>…</mark>.
// Pure and thread-safe; the Analyzer passed in is the caller's own.
#pragma once

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

// The part of `text` (at most about `max_chars` characters) with the most hits; the whole
// text when it is short enough.
Highlight HighlightSnippet(const Analyzer& analyzer, std::string_view text,
                           const MatchTerms& query_terms, size_t max_chars);

}  // namespace parkhub::matching
