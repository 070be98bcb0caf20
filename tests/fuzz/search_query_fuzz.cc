// Fuzz target: a search query as the exchange reads it: folded across scripts, segmented and
// stemmed into terms, highlighted in a text, and read as a person's name.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "matching/analyzer.h"
#include "matching/highlighter.h"
#include "matching/people.h"
#include "text/text_folder.h"

namespace {

struct Engines {
  std::unique_ptr<parkhub::text::TextFolder> folder;
  std::unique_ptr<parkhub::matching::Analyzer> analyzer;
};

// Built once per fuzzing process: OpenCC and ICU take long to load.
Engines& TheEngines() {
  static Engines engines = [] {
    Engines built;
    built.folder = std::move(parkhub::text::TextFolder::Create()).value();
    built.analyzer = std::move(parkhub::matching::Analyzer::Create(*built.folder)).value();
    return built;
  }();
  return engines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Engines& engines = TheEngines();
  auto terms = engines.analyzer->Terms(text);
  parkhub::matching::MatchTerms match(terms);
  parkhub::matching::HighlightSnippet(*engines.analyzer, text, match, 200);
  parkhub::matching::HighlightSnippet(*engines.analyzer, "石墨烯 graphene 薄膜 films", match, 200);
  parkhub::matching::PersonTerm(*engines.folder, text);
  return 0;
}
