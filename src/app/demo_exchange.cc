// The demo exchange: research results and enterprise needs drawn from the real texts in
// shared/data/retrieval (CSL abstracts in Chinese, Pap2Pat papers in English).
// Results are the transferable ones (engineering, sciences, medicine, agriculture); the
// enterprise's needs are written as needs, on topics those results answer.
#include <fstream>
#include <map>
#include <set>
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

  // The published listing's id.
  Result<std::string> Publish(const identity::Principal& author,
                              const exchange::ListingInput& input) {
    auto created = app_.exchange().CreateListing(author, input);
    if (!created.ok()) return created.status();
    auto published = app_.exchange().PublishListing(author, created->id, "demo data");
    if (!published.ok()) return published.status();
    return created->id;
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

// Whether a CSL discipline yields results an enterprise could license (engineering, sciences,
// medicine, agriculture), not essays of the humanities and social sciences.
bool Transferable(const std::string& discipline) {
  static const std::set<std::string> kEssays = {
      "政治学",       "哲学",   "历史学", "教育学",       "新闻传播学",
      "公共管理",     "民族学", "体育学", "心理学",       "理论经济学",
      "农林经济管理", "法学",   "社会学", "中国语言文学", "艺术学"};
  return !kEssays.contains(discipline);
}

struct DemoNeed {
  const char* title;
  const char* problem;     // what hurts, in numbers
  const char* capability;  // what the enterprise looks for
  const char* summary;     // the same need in the other language
  int64_t budget_min_minor;
  int64_t budget_max_minor;
  const char* currency;
  int deadline_days;  // from the day the demo loads
  const char* location;
  int64_t trl;
};

// What the demo's enterprise (a Shenzhen–Hong Kong micro-nano manufacturer) is looking for: needs
// as an enterprise writes them (a problem, a budget, a deadline), in Chinese and in English, on
// topics the demo's results answer.
const DemoNeed kDemoNeeds[] = {
    {"酸性蚀刻废液在线提铜与再生",
     "我司微纳加工线每月产生约 30 吨酸性蚀刻废液，委外处置每吨约 4,000 "
     "元。希望在厂内回收其中的铜并再生蚀刻液，"
     "铜回收率不低于 95%，再生液可直接回用。",
     "电解或萃取-电积提铜工艺，能提供中试装置和工程化团队",
     "On-site copper recovery and regeneration of acid etching waste: 30 t a month, at least 95% "
     "of "
     "the copper recovered, the etchant reused.",
     80000000, 200000000, "CNY", 120, "深圳光明", 5},
    {"产线设备因电压暂降频繁停机的治理",
     "园区配电网发生电压暂降时，光刻机和镀膜设备每月停机 3 至 5 次，每次损失约 20 "
     "万元。需要对厂区配电网做"
     "电压暂降域分析，并给出可实施的治理方案。",
     "配电网电能质量分析、动态电压恢复器等治理经验",
     "Voltage sags on the park's distribution grid stop our lithography and coating tools 3–5 "
     "times "
     "a month; we need a sag analysis and a fix.",
     30000000, 80000000, "CNY", 90, "深圳光明", 6},
    {"高亮度长余辉发光粉用于安全标识",
     "厂区和产品的安全标识需要断电后持续发光：余辉时间 10 小时以上，耐潮湿，能与涂料和注塑料混合。",
     "稀土激活铝酸锶长余辉材料的配方与量产工艺",
     "Long-afterglow phosphor for safety signs: at least 10 hours of glow, moisture-resistant, "
     "mixable "
     "into paint and plastics.",
     20000000, 50000000, "CNY", 150, "深圳", 4},
    {"设备电源模块的高效率 DC-DC 变换方案",
     "自研设备的 48 V 输入电源模块效率只有 "
     "88%，发热导致机柜降额使用。希望在宽输入电压范围内效率达到 94% "
     "以上，并通过 EMC 测试。",
     "有源箝位正激等软开关变换拓扑的设计与样机",
     "A 48 V DC-DC power module above 94% efficiency over a wide input range, with EMC compliance.",
     30000000, 60000000, "CNY", 100, "深圳", 5},
    {"Flexible, stretchable sensor patches made at scale",
     "We want to add skin-mounted strain and temperature sensor patches to our micro-nano line. "
     "Today "
     "we make a few hundred a month by hand; we need a microfabrication process with integrated "
     "adhesive that reaches 10,000 patches a month at a yield above 90%.",
     "Scalable microfabrication of flexible and stretchable electronics; a team to transfer the "
     "process",
     "可量产的柔性可拉伸传感贴片：月产一万片、良率 90% 以上的微加工工艺。", 150000000, 300000000,
     "HKD", 180, "Hong Kong Science Park / Shenzhen", 4},
    {"Core-shell nanofibres at production rates",
     "Our filtration membranes need core–shell nanofibres. Needle electrospinning gives us 2 g an "
     "hour; "
     "we need at least ten times that with the same fibre quality, on equipment we can run in "
     "Shenzhen.",
     "High-throughput electrospinning (needleless or slit-surface) of core–shell fibres",
     "高通量制备核壳结构纳米纤维：产量为针头静电纺丝的十倍以上。", 80000000, 200000000, "HKD", 150,
     "Shenzhen", 4},
    {"Anti-counterfeiting marks that cannot be copied",
     "Counterfeits of our sensor modules cost us about HKD 3 million a year. We need a covert mark "
     "printed on each module that a phone or a handheld UV lamp can verify and a copier cannot "
     "reproduce.",
     "Tunable solid-state fluorescent materials or other optical encryption for printed marks",
     "防伪标记：手机或紫外灯可验证、无法复制的荧光加密标记。", 50000000, 100000000, "HKD", 120,
     "Hong Kong", 3},
};

// The park's glossary as its staff would start it: the terms of the demo's needs and results
// that the general dictionary lacks or renders otherwise (CC-CEDICT has no 合成气 or 静电纺丝).
constexpr std::string_view kDemoGlossary =
    "chinese,english\n"
    "合成气,syngas\n"
    "合成气,synthesis gas\n"
    "制氢,hydrogen production\n"
    "部分氧化,partial oxidation\n"
    "长余辉,long afterglow\n"
    "发光粉,phosphor\n"
    "蚀刻液,etchant\n"
    "蚀刻废液,spent etchant\n"
    "电压暂降,voltage sag\n"
    "柔性电子,flexible electronics\n"
    "可拉伸,stretchable\n"
    "静电纺丝,electrospinning\n"
    "核壳,core-shell\n"
    "纳米纤维,nanofibre\n"
    "纳米纤维,nanofiber\n"
    "防伪,anti-counterfeiting\n"
    "中试,pilot scale\n"
    "软开关,soft switching\n";

// The needs, and HKUST asking to be introduced on the one its flexible-sensor paper answers, so
// the enterprise's home has an introduction to answer on first start.
Status PublishNeeds(Application& app, ExchangeLoader& loader, const identity::Principal& author,
                    const std::string& owner, const identity::Principal& hkust,
                    const std::string& hkust_id) {
  TimePoint now = app.clock().Now();
  for (const DemoNeed& n : kDemoNeeds) {
    exchange::ListingInput need;
    need.kind = "need";
    need.owner_id = owner;
    need.title = n.title;
    need.summary = n.summary;
    need.trl = n.trl;
    need.details =
        json{{"problem", n.problem},
             {"capability", n.capability},
             {"budget_min_minor", n.budget_min_minor},
             {"budget_max_minor", n.budget_max_minor},
             {"currency", n.currency},
             {"deadline", FormatUtc(now + std::chrono::hours(24 * n.deadline_days)).substr(0, 10)},
             {"location", n.location}};
    ASSIGN_OR_RETURN(std::string id, loader.Publish(author, need));
    if (std::string(n.title).starts_with("Flexible")) {
      auto asked = app.exchange().RequestIntroduction(
          hkust, id, hkust_id,
          "Our adhesive-integrated microfabrication process makes such patches at wafer scale; we "
          "would like to discuss a transfer.");
      if (!asked.ok()) return asked.status();
    }
  }
  return Status::Ok();
}

}  // namespace

Status LoadDemoExchange(Application& app, const std::string& retrieval_dir,
                        const DemoExchangeOwners& owners, const std::string& password) {
  ExchangeLoader loader(app, password);
  ASSIGN_OR_RETURN(auto admin, loader.As("admin"));
  ASSIGN_OR_RETURN(auto hkust, loader.As("hkust"));
  ASSIGN_OR_RETURN(auto enterprise, loader.As("enterprise"));
  RETURN_IF_ERROR(app.vocabulary().Upload(admin, kDemoGlossary, false).status());
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
    if (!Transferable(meta.value("discipline", ""))) continue;
    auto in = Result(owners.mainland_universities[i % owners.mainland_universities.size()], title,
                     doc.value("text", ""), meta.value("keywords", std::vector<std::string>{}),
                     meta.value("discipline", ""), static_cast<int64_t>(i % 9) + 1,
                     {{"ip_status", i % 3 == 0 ? "granted" : "pending"},
                      {"transfer_modes", kModes[i % kModes.size()]}, {"negotiable", true}});
    in.tags = std::vector<std::string>{Shorten(meta.value("category", "research"), 90)};
    RETURN_IF_ERROR(loader.Publish(admin, in).status());
  }
  // English results of HKUST (Pap2Pat papers) and the enterprise needs their patents became.
  std::string pap = retrieval_dir + "/pap2pat-dev";
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
    RETURN_IF_ERROR(loader.Publish(hkust, in).status());
  }
  RETURN_IF_ERROR(PublishNeeds(app, loader, enterprise, owners.enterprise, hkust, owners.hkust));

  // A pilot-scale testing service of the zone's platform.
  exchange::ListingInput service;
  service.kind = "service";
  service.owner_id = owners.pilot_platform;
  service.title = "微纳器件中试验证服务 Pilot-scale verification of micro-nano devices";
  service.summary = "从样品到小批量：工艺验证、可靠性测试、失效分析。From samples to small batches.";
  service.details = json{{"service_type", "pilot"}, {"capacity", "每月 20 批次 / 20 batches a month"},
                         {"price", "按批次报价 / quoted per batch"}};
  RETURN_IF_ERROR(loader.Publish(admin, service).status());
  return Status::Ok();
}

}  // namespace parkhub::app
