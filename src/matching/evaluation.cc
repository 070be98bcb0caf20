#include "matching/evaluation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include <filesystem>

#include "core/random.h"
#include "matching/people.h"
#include "matching/search_index.h"

namespace parkhub::matching {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

Result<std::vector<json>> ReadJsonLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::InvalidArgument("cannot read " + path);
  std::vector<json> out;
  std::string line;
  size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    auto parsed = json::parse(line, nullptr, false);
    if (!parsed.is_object()) {
      return Status::InvalidArgument(path + ":" + std::to_string(number) + ": not a JSON object");
    }
    out.push_back(std::move(parsed));
  }
  return out;
}

std::string Text(const json& object, const char* field) {
  auto it = object.find(field);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The strings of the array `field` of a row's metadata; none when it is absent.
std::vector<std::string> MetadataStrings(const json& row, const char* field) {
  std::vector<std::string> out;
  auto metadata = row.find("metadata");
  if (metadata == row.end() || !metadata->is_object()) return out;
  auto values = metadata->find(field);
  if (values == metadata->end() || !values->is_array()) return out;
  for (const auto& value : *values) {
    if (value.is_string()) out.push_back(value.get<std::string>());
  }
  return out;
}

double Milliseconds(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

}  // namespace

Result<BeirSet> LoadBeirSet(const std::string& directory, const std::string& queries_file) {
  BeirSet set;
  ASSIGN_OR_RETURN(auto corpus, ReadJsonLines(directory + "/corpus.jsonl"));
  for (const auto& row : corpus) {
    BeirDocument document{Text(row, "_id"), Text(row, "title"), Text(row, "text"), {}, {}};
    document.keywords = MetadataStrings(row, "keywords");
    document.people = MetadataStrings(row, "authors");
    set.corpus.push_back(std::move(document));
  }
  std::string queries_path = queries_file.empty() ? directory + "/queries.jsonl"
                             : queries_file.front() == '/' ? queries_file
                                                           : directory + "/" + queries_file;
  ASSIGN_OR_RETURN(auto queries, ReadJsonLines(queries_path));
  for (const auto& row : queries) {
    BeirQuery query{Text(row, "_id"), Text(row, "text"), MetadataStrings(row, "inventors")};
    if (query.people.empty()) query.people = MetadataStrings(row, "people");
    set.queries.push_back(std::move(query));
  }
  std::ifstream qrels(directory + "/qrels.tsv");
  if (!qrels) return Status::InvalidArgument("cannot read " + directory + "/qrels.tsv");
  std::string line;
  std::getline(qrels, line);  // header
  while (std::getline(qrels, line)) {
    std::istringstream fields(line);
    std::string query, document;
    int grade = 0;
    if (fields >> query >> document >> grade && grade > 0) set.relevant[query][document] = grade;
  }
  return set;
}

namespace {

// A scratch directory for the index, removed when the evaluation ends.
class ScratchDirectory {
 public:
  ScratchDirectory() {
    path_ = std::filesystem::temp_directory_path() / ("parkhub-eval-" + NewPublicId("x"));
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

IndexDocument ToIndexDocument(const BeirDocument& document, const text::TextFolder& folder,
                              const Analyzer& analyzer) {
  std::vector<std::string> keywords;
  for (const auto& k : document.keywords) {
    auto terms = analyzer.Terms(k);
    keywords.insert(keywords.end(), terms.begin(), terms.end());
  }
  IndexDocument out;
  out.id = document.id;
  out.fields = {{analyzer.Terms(document.title), kTitleWeight},
                {std::move(keywords), kKeywordsWeight},
                {analyzer.Terms(document.text), kTextWeight},
                {PersonTerms(folder, document.people), kPeopleWeight, false}};
  return out;
}

std::string BestGraded(const std::map<std::string, int>& grades) {
  auto best = std::max_element(grades.begin(), grades.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
  return best->first;
}

std::string TitleOf(const BeirSet& set, const std::string& id) {
  for (const auto& document : set.corpus) {
    if (document.id == id)
      return document.title.empty() ? document.text.substr(0, 120) : document.title;
  }
  return id;
}

}  // namespace

Result<EvaluationReport> Evaluate(const BeirSet& set, const text::TextFolder& folder,
                                  const Analyzer& analyzer, const QueryTranslator* translator,
                                  size_t max_misses) {
  EvaluationReport report;
  ScratchDirectory scratch;
  ASSIGN_OR_RETURN(auto index, SearchIndex::Open(scratch.path()));
  auto started = Clock::now();
  constexpr size_t kBatch = 20000;
  std::vector<IndexChange> batch;
  for (size_t i = 0; i < set.corpus.size(); ++i) {
    batch.push_back({set.corpus[i].id, ToIndexDocument(set.corpus[i], folder, analyzer)});
    if (batch.size() == kBatch || i + 1 == set.corpus.size()) {
      RETURN_IF_ERROR(index->Apply(batch, 0));
      batch.clear();
    }
  }
  report.index_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  report.documents = index->DocumentCount();
  std::vector<double> latencies;
  for (const auto& query : set.queries) {
    auto judged = set.relevant.find(query.id);
    if (judged == set.relevant.end()) continue;
    auto asked = Clock::now();
    IndexQuery request;
    request.terms = analyzer.Terms(query.text, &request.fragment_terms);
    std::string translation;
    if (translator != nullptr) {
      for (auto& translated : translator->Translate(query.text)) {
        translation += (translation.empty() ? "" : " ") + translated.term;
        request.weighted_terms.push_back({translated.term, translated.weight, translated.fragment});
      }
    }
    auto people = PersonTerms(folder, query.people);
    if (!people.empty()) ++report.queries_naming_people;
    request.terms.insert(request.terms.end(), people.begin(), people.end());
    request.weak_terms = &WeakQueryTerms();
    request.limit = 100;
    ASSIGN_OR_RETURN(IndexResult result, index->Search(request));
    const auto& ranked = result.hits;
    latencies.push_back(Milliseconds(Clock::now() - asked));
    const auto& grades = judged->second;
    double dcg = 0, reciprocal_rank = 0;
    size_t found_10 = 0, found_100 = 0;
    for (size_t rank = 0; rank < ranked.size(); ++rank) {
      auto grade = grades.find(ranked[rank].id);
      if (grade == grades.end()) continue;
      ++found_100;
      if (rank < 10) {
        ++found_10;
        dcg += (std::pow(2.0, grade->second) - 1) / std::log2(rank + 2.0);
        if (reciprocal_rank == 0) reciprocal_rank = 1.0 / static_cast<double>(rank + 1);
      }
    }
    if (reciprocal_rank == 0 && report.misses.size() < max_misses) {
      report.misses.push_back({query.text, translation, TitleOf(set, BestGraded(grades)),
                               ranked.empty() ? "" : TitleOf(set, ranked[0].id)});
    }
    std::vector<int> ideal;
    for (const auto& [document, grade] : grades) ideal.push_back(grade);
    std::sort(ideal.rbegin(), ideal.rend());
    double ideal_dcg = 0;
    for (size_t rank = 0; rank < ideal.size() && rank < 10; ++rank) {
      ideal_dcg += (std::pow(2.0, ideal[rank]) - 1) / std::log2(rank + 2.0);
    }
    report.mrr_at_10 += reciprocal_rank;
    report.ndcg_at_10 += ideal_dcg > 0 ? dcg / ideal_dcg : 0;
    report.recall_at_10 += static_cast<double>(found_10) / static_cast<double>(grades.size());
    report.recall_at_100 += static_cast<double>(found_100) / static_cast<double>(grades.size());
  }
  report.queries = latencies.size();
  if (report.queries == 0) return Status::InvalidArgument("no query has a judgement in qrels.tsv");
  double n = static_cast<double>(report.queries);
  report.mrr_at_10 /= n;
  report.ndcg_at_10 /= n;
  report.recall_at_10 /= n;
  report.recall_at_100 /= n;
  for (double l : latencies) report.mean_ms += l / n;
  std::sort(latencies.begin(), latencies.end());
  report.p99_ms = latencies[std::min(latencies.size() - 1, static_cast<size_t>(0.99 * n))];
  return report;
}

}  // namespace parkhub::matching
