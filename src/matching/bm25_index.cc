#include "matching/bm25_index.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace parkhub::matching {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
// Query-term saturation: a term repeated in a long query (a patent claim says "said layer"
// ten times) counts at most twice as much as a term said once.
constexpr double kK3 = 1.0;

}  // namespace

void Bm25Index::Add(std::string id, const std::vector<WeightedField>& fields) {
  uint32_t document = static_cast<uint32_t>(ids_.size());
  std::map<std::string, float> frequencies;
  float length = 0;
  for (const auto& field : fields) {
    for (const auto& term : field.terms) frequencies[term] += static_cast<float>(field.weight);
    length += static_cast<float>(field.weight * field.terms.size());
  }
  for (const auto& [term, frequency] : frequencies) {
    postings_[term].push_back({document, frequency});
  }
  ids_.push_back(std::move(id));
  lengths_.push_back(length);
  total_length_ += length;
}

std::vector<ScoredDocument> Bm25Index::Search(const std::vector<std::string>& query_terms,
                                              size_t limit) const {
  std::vector<ScoredDocument> out;
  if (ids_.empty() || limit == 0) return out;
  std::map<std::string, int> query;
  for (const auto& term : query_terms) ++query[term];
  double documents = static_cast<double>(ids_.size());
  double average_length = std::max(1e-9, total_length_ / documents);
  std::vector<double> scores(ids_.size(), 0.0);
  std::vector<uint32_t> touched;
  for (const auto& [term, count] : query) {
    auto it = postings_.find(term);
    if (it == postings_.end()) continue;
    double n = static_cast<double>(it->second.size());
    double idf = std::log(1.0 + (documents - n + 0.5) / (n + 0.5));
    for (const Posting& posting : it->second) {
      double tf = posting.weighted_frequency;
      double norm = kK1 * (1.0 - kB + kB * lengths_[posting.document] / average_length);
      if (scores[posting.document] == 0.0) touched.push_back(posting.document);
      double weight = count * (kK3 + 1.0) / (count + kK3);
      scores[posting.document] += weight * idf * tf * (kK1 + 1.0) / (tf + norm);
    }
  }
  std::sort(touched.begin(), touched.end());
  size_t keep = std::min(limit, touched.size());
  std::partial_sort(touched.begin(), touched.begin() + static_cast<std::ptrdiff_t>(keep),
                    touched.end(), [&](uint32_t a, uint32_t b) {
                      return scores[a] != scores[b] ? scores[a] > scores[b] : a < b;
                    });
  for (size_t i = 0; i < keep; ++i) out.push_back({ids_[touched[i]], scores[touched[i]]});
  return out;
}

}  // namespace parkhub::matching
