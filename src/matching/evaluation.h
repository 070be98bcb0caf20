// Retrieval quality on a BEIR-format set, measured with the production analyser and ranker.
//
// A set is a directory with corpus.jsonl (`_id`, `title`, `text`, `metadata`), a queries file
// (`_id`, `text`; queries.jsonl unless named) and qrels.tsv (`query-id`, `corpus-id`, `score`,
// header line first). Documents are indexed with their title (weight 3), the keywords in their
// metadata when present (weight 2) and their text (weight 1). Queries without judgements are
// skipped. Latency is per query: analysis plus ranking, single thread.
//
// People: a document's `metadata.authors` and a query's `metadata.inventors` (or `people`) are
// indexed and searched as person terms (people.h), the people signal. Documents always carry
// theirs, which changes no text score; only queries that name people use it, so a set's text
// queries measure text alone and its people queries the two together.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "matching/analyzer.h"
#include "matching/query_translator.h"

namespace parkhub::matching {

struct BeirDocument {
  std::string id;
  std::string title;
  std::string text;
  std::vector<std::string> keywords;
  std::vector<std::string> people;
};

struct BeirQuery {
  std::string id;
  std::string text;
  std::vector<std::string> people;
};

struct BeirSet {
  std::vector<BeirDocument> corpus;
  std::vector<BeirQuery> queries;
  std::map<std::string, std::map<std::string, int>> relevant;  // query -> document -> grade
};

// A judged query whose relevant documents all ranked below the tenth.
struct EvaluationMiss {
  std::string query;
  std::string translation;   // the translated terms searched beside it, space-separated
  std::string expected;      // the title of the best-graded relevant document
  std::string ranked_first;  // the title of what ranked first instead
};

struct EvaluationReport {
  size_t queries = 0;
  size_t queries_naming_people = 0;
  size_t documents = 0;
  double mrr_at_10 = 0;
  double ndcg_at_10 = 0;
  double recall_at_10 = 0;
  double recall_at_100 = 0;
  double mean_ms = 0;
  double p99_ms = 0;
  double index_seconds = 0;
  std::vector<EvaluationMiss> misses;  // the first `max_misses`, in query order
};

// `queries_file` is relative to `directory` unless absolute; empty means queries.jsonl.
Result<BeirSet> LoadBeirSet(const std::string& directory, const std::string& queries_file = "");
// `folder` is the one `analyzer` folds with; it makes the person terms.
// With a `translator`, each query is searched in its own language and in translation.
Result<EvaluationReport> Evaluate(const BeirSet& set, const text::TextFolder& folder,
                                  const Analyzer& analyzer,
                                  const QueryTranslator* translator = nullptr,
                                  size_t max_misses = 0);

}  // namespace parkhub::matching
