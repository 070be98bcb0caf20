// Bm25Index: an in-memory BM25F ranking over documents with weighted fields.
//
// Each field's term frequencies and length are scaled by the field's weight and summed, then
// scored with BM25 (k1 = 1.2, b = 0.75) and the usual idf, log(1 + (N - n + 0.5) / (n + 0.5)).
// A query term that occurs c times weighs 2c / (c + 1): repeats count, but at most twice. Add() every document, then
// Search(); Search() is const and may run on many threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace parkhub::matching {

struct WeightedField {
  std::vector<std::string> terms;
  double weight = 1.0;
};

struct ScoredDocument {
  std::string id;
  double score = 0;
};

class Bm25Index {
 public:
  void Add(std::string id, const std::vector<WeightedField>& fields);
  // The best `limit` documents for the query's terms, best first; ties keep insertion order.
  std::vector<ScoredDocument> Search(const std::vector<std::string>& query_terms,
                                     size_t limit) const;
  size_t size() const { return ids_.size(); }

 private:
  struct Posting {
    uint32_t document;
    float weighted_frequency;
  };
  std::vector<std::string> ids_;
  std::vector<float> lengths_;  // weighted
  double total_length_ = 0;
  std::unordered_map<std::string, std::vector<Posting>> postings_;
};

}  // namespace parkhub::matching
