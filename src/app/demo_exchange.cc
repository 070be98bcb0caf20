// The demo exchange: research results and enterprise needs drawn from the real texts in
// shared/data/retrieval (CSL abstracts in Chinese, Pap2Pat papers and their patents in English).
// A patent becomes an enterprise's need and the paper it came from a university's result, so
// the demo's matches are the dataset's own pairs.
#include <fstream>
#include <map>
#include <sstream>

#include "app/demo.h"
#include "matching/people.h"

namespace parkhub::app {
namespace {

using nlohmann::json;

std::vector<json> ReadLines(const std::string& path, size_t limit) {
  std::vector<json> out;
  std::ifstream in(path);
  std::string line;
  while (out.size() < limit && std::getline(in, line)) {
    auto row = json::parse(line, nullptr, false);
    if (row.is_object()) out.push_back(std::move(row));
  }
  return out;
}

// corpus id → query text, from a BEIR set's qrels and queries file.
std::map<std::string, std::string> QueryTextByDocument(const std::string& dir, const std::string& queries) {
  std::map<std::string, std::string> text_by_query;
  for (const auto& q : ReadLines(dir + "/" + queries, 100000)) {
    text_by_query[q.value("_id", "")] = q.value("text", "");
  }
  std::map<std::string, std::string> out;
  std::ifstream qrels(dir + "/qrels.tsv");
  std::string line;
  std::getline(qrels, line);  // header
  while (std::getline(qrels, line)) {
    std::istringstream fields(line);
    std::string query, document;
    if (fields >> query >> document) out[document] = text_by_query[query];
  }
  return out;
}

std::string Shorten(const std::string& text, size_t bytes) {
  if (text.size() <= bytes) return text;
  size_t cut = bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

class ExchangeLoader {
 public:
  ExchangeLoader(Application& app, const std::string& password) : app_(app), password_(password) {}

  Result<identity::Principal> As(const std::string& username) {
    ASSIGN_OR_RETURN(auto login, app_.identity().Login(username, password_, "127.0.0.1"));
    return app_.identity().AuthenticateSession(login.session_token);
  }

  Status Publish(const identity::Principal& author, const exchange::ListingInput& input) {
    auto created = app_.exchange().CreateListing(author, input);
    if (!created.ok()) return created.status();
    auto published = app_.exchange().PublishListing(author, created->id, "demo data");
    return published.ok() ? Status::Ok() : published.status();
  }

 private:
  Application& app_;
  std::string password_;
};

exchange::ListingInput Result(const std::string& owner, const std::string& title,
                              const std::string& summary, std::vector<std::string> keywords,
                              const std::string& discipline, int64_t trl, json details) {
  exchange::ListingInput in;
  in.kind = "result";
  in.owner_id = owner;
  in.title = Shorten(title, 290);
  in.summary = Shorten(summary, 4000);
  if (keywords.size() > 10) keywords.resize(10);
  for (auto& k : keywords) k = Shorten(k, 90);
  in.keywords = keywords;
  in.discipline = Shorten(discipline, 90);
  in.trl = trl;
  in.details = std::move(details);
  return in;
}

}  // namespace

Status LoadDemoExchange(Application& app, const std::string& retrieval_dir,
                        const DemoExchangeOwners& owners, const std::string& password) {
  ExchangeLoader loader(app, password);
  ASSIGN_OR_RETURN(auto admin, loader.As("admin"));
  ASSIGN_OR_RETURN(auto hkust, loader.As("hkust"));
  ASSIGN_OR_RETURN(auto enterprise, loader.As("enterprise"));
  const std::vector<std::vector<std::string>> kModes = {
      {"licence"}, {"licence", "joint_development"}, {"assignment"}, {"equity", "joint_development"}};

  // Chinese results of mainland universities, titled by their CSL titles.
  std::string csl = retrieval_dir + "/csl-dev";
  auto csl_titles = QueryTextByDocument(csl, "queries.jsonl");
  auto csl_docs = ReadLines(csl + "/corpus.jsonl", 60);
  for (size_t i = 0; i < csl_docs.size() && !owners.mainland_universities.empty(); ++i) {
    const json& doc = csl_docs[i];
    std::string title = csl_titles[doc.value("_id", "")];
    if (title.empty()) continue;
    const json& meta = doc.value("metadata", json::object());
    auto in = Result(owners.mainland_universities[i % owners.mainland_universities.size()], title,
                     doc.value("text", ""), meta.value("keywords", std::vector<std::string>{}),
                     meta.value("discipline", ""), static_cast<int64_t>(i % 9) + 1,
                     {{"ip_status", i % 3 == 0 ? "granted" : "pending"},
                      {"transfer_modes", kModes[i % kModes.size()]}, {"negotiable", true}});
    in.tags = std::vector<std::string>{Shorten(meta.value("category", "research"), 90)};
    RETURN_IF_ERROR(loader.Publish(admin, in));
  }
  // Enterprise needs in Traditional Chinese, phrased from CSL titles of the results above.
  for (size_t i = 0; i < 5 && i < csl_docs.size(); ++i) {
    std::string title = csl_titles[csl_docs[i].value("_id", "")];
    if (title.empty()) continue;
    exchange::ListingInput need;
    need.kind = "need";
    need.owner_id = owners.enterprise;
    need.title = app.folder().ToTraditional("寻求合作：" + Shorten(title, 250));
    need.trl = 4;
    need.details = json{{"problem", app.folder().ToTraditional("我们需要" + title + "方面的技术与团队")},
                        {"budget_min_minor", 50000000}, {"budget_max_minor", 200000000},
                        {"currency", "CNY"}, {"location", "深圳"}};
    RETURN_IF_ERROR(loader.Publish(enterprise, need));
  }

  // English results of HKUST (Pap2Pat papers) and the enterprise needs their patents became.
  std::string pap = retrieval_dir + "/pap2pat-dev";
  auto patent_titles = QueryTextByDocument(pap, "queries.jsonl");
  auto patent_abstracts = QueryTextByDocument(pap, "queries-abstract.jsonl");
  auto papers = ReadLines(pap + "/corpus.jsonl", 40);
  for (size_t i = 0; i < papers.size(); ++i) {
    const json& paper = papers[i];
    auto in = Result(owners.hkust, paper.value("title", ""), paper.value("text", ""), {}, "Engineering",
                     static_cast<int64_t>(i % 7) + 3,
                     {{"ip_status", "granted"}, {"patent_numbers", {"HK" + std::to_string(30000000 + i)}},
                      {"transfer_modes", kModes[i % kModes.size()]}, {"negotiable", true}});
    if (in.title->empty()) continue;
    std::vector<std::string> people;  // the paper's authors, as the listing's people
    for (const auto& author : paper.value("metadata", json::object()).value("authors", std::vector<std::string>{})) {
      std::string name = Shorten(author, 90);
      bool valid = name.find('|') == std::string::npos && !matching::PersonTerm(app.folder(), name).empty();
      if (valid && people.size() < 30) people.push_back(name);
    }
    in.people = people;
    RETURN_IF_ERROR(loader.Publish(hkust, in));
    std::string id = paper.value("_id", "");
    if (i % 4 != 0 || patent_titles[id].empty()) continue;
    exchange::ListingInput need;
    need.kind = "need";
    need.owner_id = owners.enterprise;
    need.title = Shorten(patent_titles[id], 290);
    need.trl = 5;
    need.details = json{{"problem", Shorten(patent_abstracts[id].empty() ? patent_titles[id] : patent_abstracts[id], 3000)},
                        {"budget_max_minor", 100000000}, {"currency", "HKD"}};
    RETURN_IF_ERROR(loader.Publish(enterprise, need));
  }

  // A pilot-scale testing service of the zone's platform.
  exchange::ListingInput service;
  service.kind = "service";
  service.owner_id = owners.pilot_platform;
  service.title = "微纳器件中试验证服务 Pilot-scale verification of micro-nano devices";
  service.summary = "从样品到小批量：工艺验证、可靠性测试、失效分析。From samples to small batches.";
  service.details = json{{"service_type", "pilot"}, {"capacity", "每月 20 批次 / 20 batches a month"},
                         {"price", "按批次报价 / quoted per batch"}};
  RETURN_IF_ERROR(loader.Publish(admin, service));
  return Status::Ok();
}

}  // namespace parkhub::app
