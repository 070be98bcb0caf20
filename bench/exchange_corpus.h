// A synthetic exchange corpus of any size, built deterministically from the real texts in
// shared/data/retrieval (CSL Chinese abstracts with their titles and keywords, Pap2Pat papers and
// the patents made from them), and the queries to run against it. Each listing takes the title
// of one source text and sentences of three, so no two listings are the same text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "text/text_folder.h"

namespace parkhub::bench {

struct SyntheticListing {
  int64_t id = 0;
  std::string kind;
  std::string region;
  int64_t trl = 0;
  std::string title;
  std::string keywords;  // comma-separated
  std::string summary;
};

struct CorpusSource {
  std::vector<std::string> titles;
  std::vector<std::string> keywords;
  std::vector<std::vector<std::string>> sentences;
  std::vector<std::string> queries;  // titles of CSL papers and Pap2Pat patents, some Traditional
  // The same titles in the other language: Pap2Pat's patent titles written in Simplified and
  // Traditional Chinese, CSL's paper titles written in English.
  std::vector<std::string> other_language_queries;
};

// Reads the two dev sets under `retrieval_dir`; every third Chinese query is turned into
// Traditional Chinese with `folder` (OpenCC s2hk).
CorpusSource LoadCorpusSource(const std::string& retrieval_dir, const text::TextFolder& folder);
SyntheticListing MakeListing(const CorpusSource& source, int64_t id);

}  // namespace parkhub::bench
