#include "exchange_corpus.h"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace parkhub::bench {
namespace {

using nlohmann::json;

std::vector<json> ReadLines(const std::string& path) {
  std::vector<json> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    auto row = json::parse(line, nullptr, false);
    if (row.is_object()) out.push_back(std::move(row));
  }
  return out;
}

std::map<std::string, std::string> QueryByDocument(const std::string& dir, const std::string& file) {
  std::map<std::string, std::string> text;
  for (const auto& q : ReadLines(dir + "/" + file)) text[q.value("_id", "")] = q.value("text", "");
  std::map<std::string, std::string> out;
  std::ifstream qrels(dir + "/qrels.tsv");
  std::string line;
  std::getline(qrels, line);
  while (std::getline(qrels, line)) {
    std::istringstream fields(line);
    std::string query, document;
    if (fields >> query >> document) out[document] = text[query];
  }
  return out;
}

// Sentences end at 。！？ or ". "; short texts stay whole.
std::vector<std::string> Sentences(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (size_t i = 0; i < text.size(); ++i) {
    current += text[i];
    bool end = (text[i] == '.' && (i + 1 == text.size() || text[i + 1] == ' ')) ||
               (current.size() >= 3 && (current.ends_with("。") || current.ends_with("！") ||
                                        current.ends_with("？")));
    if (end) {
      out.push_back(current);
      current.clear();
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

uint64_t Mix(uint64_t x) {  // splitmix64: a fixed, portable hash
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

CorpusSource LoadCorpusSource(const std::string& retrieval_dir, const text::TextFolder& folder) {
  CorpusSource source;
  std::string csl = retrieval_dir + "/csl-dev";
  auto titles = QueryByDocument(csl, "queries.jsonl");
  int n = 0;
  for (const auto& doc : ReadLines(csl + "/corpus.jsonl")) {
    std::string title = titles[doc.value("_id", "")];
    std::string keywords;
    for (const auto& k : doc.value("metadata", json::object()).value("keywords", std::vector<std::string>{})) {
      keywords += (keywords.empty() ? "" : ", ") + k;
    }
    source.titles.push_back(title);
    source.keywords.push_back(keywords);
    source.sentences.push_back(Sentences(doc.value("text", "")));
    source.queries.push_back(++n % 3 == 0 ? folder.ToTraditional(title) : title);
  }
  std::string pap = retrieval_dir + "/pap2pat-dev";
  auto patents = QueryByDocument(pap, "queries.jsonl");
  auto abstracts = QueryByDocument(pap, "queries-abstract.jsonl");
  for (const auto& doc : ReadLines(pap + "/corpus.jsonl")) {
    std::string id = doc.value("_id", "");
    source.titles.push_back(doc.value("title", ""));
    source.keywords.push_back("");
    source.sentences.push_back(Sentences(doc.value("text", "")));
    source.queries.push_back(patents[id]);
    // The patent too, as a need would phrase it.
    source.titles.push_back(patents[id]);
    source.keywords.push_back("");
    source.sentences.push_back(Sentences(abstracts[id]));
  }
  for (const auto& [dir, file] : {std::pair{pap, "queries-zh-hans.jsonl"},
                                  {pap, "queries-zh-hant.jsonl"},
                                  {csl, "queries-en.jsonl"}}) {
    for (const auto& q : ReadLines(dir + "/" + file)) {
      source.other_language_queries.push_back(q.value("text", ""));
    }
  }
  return source;
}

SyntheticListing MakeListing(const CorpusSource& source, int64_t id) {
  static const char* kKinds[] = {"result", "result", "result", "result", "result", "result",
                                 "need",   "need",   "need",   "expertise", "service"};
  static const char* kRegions[] = {"mainland", "mainland", "hong_kong", "macao", "foreign"};
  uint64_t h = Mix(static_cast<uint64_t>(id));
  size_t count = source.titles.size();
  size_t a = static_cast<size_t>(id) % count;
  size_t b = (h >> 8) % count;
  size_t c = (h >> 24) % count;
  SyntheticListing l;
  l.id = id;
  l.kind = kKinds[h % 11];
  l.region = kRegions[(h >> 4) % 5];
  l.trl = static_cast<int64_t>((h >> 40) % 9) + 1;
  l.title = source.titles[a];
  l.keywords = source.keywords[a];
  for (size_t from : {a, b, c}) {
    const auto& sentences = source.sentences[from];
    if (sentences.empty()) continue;
    size_t start = (h >> 48) % sentences.size();
    for (size_t i = 0; i < 2 && start + i < sentences.size(); ++i) l.summary += sentences[start + i];
  }
  return l;
}

}  // namespace parkhub::bench
