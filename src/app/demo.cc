#include "app/demo.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/csv.h"

namespace parkhub::app {
namespace {

using registry::OrganizationInput;

struct HongKongUniversity {
  const char* name_en;
  const char* name_zh;
  bool qs_top_100;
};
// The eight UGC-funded universities; Chinese names are their official ones.
constexpr HongKongUniversity kHongKong[] = {
    {"The University of Hong Kong", "香港大学", true},
    {"The Chinese University of Hong Kong", "香港中文大学", true},
    {"The Hong Kong University of Science and Technology", "香港科技大学", true},
    {"The Hong Kong Polytechnic University", "香港理工大学", true},
    {"City University of Hong Kong", "香港城市大学", true},
    {"Hong Kong Baptist University", "香港浸会大学", false},
    {"Lingnan University", "岭南大学", false},
    {"The Education University of Hong Kong", "香港教育大学", false},
};
constexpr const char* kForeign[] = {
    "University of Oxford",        "University of Cambridge",
    "Imperial College London",     "National University of Singapore",
    "University of Melbourne",     "University of Toronto",
    "Technion - Israel Institute of Technology", "Carnegie Mellon University"};
// Mainland universities in the QS world top 100 (2024 edition), for the demo's tag.
const std::set<std::string> kMainlandQsTop100 = {"tsinghua", "peking", "zju", "sjtu", "fudan",
                                                 "ustc", "nju"};
constexpr const char* kAllianceSlugs[] = {"shanghai", "jiangsu", "zjut", "hefei", "nanjing-tech"};

Result<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kUnavailable, "demo_data", "cannot read " + path);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::vector<std::string> TagsFromList(const std::string& field, const std::string& slug) {
  std::vector<std::string> tags;
  for (const auto& tag : std::vector<std::string>{"双一流", "985", "211"}) {
    if (field.find(tag) == std::string::npos) continue;
    tags.push_back(tag == "双一流" ? "double_first_class" : tag);
  }
  if (kMainlandQsTop100.count(slug)) tags.push_back("qs_top_100");
  return tags;
}

// Start-ups of the park that enter its competition's enterprise group.
const std::pair<const char*, const char*> kCompetingEnterprises[] = {
    {"深圳钛构医疗科技有限公司", "Shenzhen TiForm Medical Technology Co., Ltd."},
    {"深圳极热能源科技有限公司", "Shenzhen ThermaCell Energy Technology Co., Ltd."},
    {"深圳光启微材科技有限公司", "Shenzhen LumiResist Materials Co., Ltd."},
    {"深港影联医疗科技有限公司", "Shenzhen-HK ImageLink Medical Technology Co., Ltd."},
    {"深圳仓智机器人有限公司", "Shenzhen WareMind Robotics Co., Ltd."},
    {"深圳晶鉴半导体设备有限公司", "Shenzhen WaferSight Semiconductor Equipment Co., Ltd."},
    {"深圳赛胞生物科技有限公司", "Shenzhen CytoLine Biotechnology Co., Ltd."},
    {"深圳碳芯功率半导体有限公司", "Shenzhen SiC Power Semiconductor Co., Ltd."},
    {"深圳边际智联科技有限公司", "Shenzhen EdgeLink Intelligent Technology Co., Ltd."},
    {"深圳糖衡健康科技有限公司", "Shenzhen GlucoBalance Health Technology Co., Ltd."},
    {"深圳氢源动力科技有限公司", "Shenzhen HydroSource Power Technology Co., Ltd."},
    {"深圳园能智慧科技有限公司", "Shenzhen ParkEnergy Smart Technology Co., Ltd."},
    {"深圳绿包新材料有限公司", "Shenzhen GreenPack New Materials Co., Ltd."},
    {"深圳译律智能科技有限公司", "Shenzhen LexiLaw Intelligent Technology Co., Ltd."},
};

class DemoBuilder {
 public:
  DemoBuilder(Application& app) : app_(app), system_(registry::RegistryService::SystemPrincipal()) {}

  Result<std::string> Org(OrganizationInput input) {
    ASSIGN_OR_RETURN(auto org, app_.registry().CreateOrganization(system_, input));
    ++organizations_;
    return org.id;
  }

  // Applies and walks the membership to `state` through every step, as an operator would.
  Status Join(const std::string& park, const std::string& org, const std::string& state) {
    ASSIGN_OR_RETURN(auto membership,
                     app_.registry().ApplyForMembership(system_, park, org, "demo application"));
    static const std::vector<std::string> kPath = {"under_review", "agreement_signed", "settled"};
    for (const auto& next : kPath) {
      if (membership.state == state) break;
      ASSIGN_OR_RETURN(membership, app_.registry().TransitionMembership(system_, membership.id, next,
                                                                        "demo: " + next));
    }
    return Status::Ok();
  }

  // The person's public id.
  Result<std::string> Person(const std::string& zh, const std::string& en, const std::string& kind,
                             const std::string& topics, const std::string& org,
                             const std::string& role) {
    registry::PersonInput input;
    input.name_zh = zh;
    input.name_en = en;
    input.kind = kind;
    input.topics = topics;
    auto created = app_.registry().CreatePerson(system_, input, {{org, role, "2020-09-01", ""}});
    if (!created.ok()) return created.status();
    ++people_;
    return created->id;
  }

  const registry::Principal& system() const { return system_; }
  int organizations() const { return organizations_; }
  int people() const { return people_; }

 private:
  Application& app_;
  registry::Principal system_;
  int organizations_ = 0;
  int people_ = 0;
};

OrganizationInput Input(const std::string& type, const std::string& zh, const std::string& en,
                        const std::string& region) {
  OrganizationInput input;
  input.type = type;
  input.name_zh_hans = zh;
  input.name_en = en;
  input.region = region;
  return input;
}

Status CreateUser(Application& app, const std::string& username, const std::string& display,
                  const std::string& password) {
  auto created = app.identity().CreateUser({username, display, password});
  return created.ok() ? Status::Ok() : created.status();
}

// Shared instruments, a pilot line and a supercomputing pool, shaped like seeds 001 and 002.
// The demo's instruments; their ids by English name.
Result<std::map<std::string, std::string>> LoadDemoFacilities(Application& app,
                                                              const registry::Principal& system,
                                                              const std::string& institute,
                                                              const std::string& pilot_platform) {
  std::map<std::string, std::string> ids;
  auto make = [&](const std::string& owner, const std::string& kind, const std::string& zh,
                  const std::string& en, const std::string& zone, facilities::ResourceRules rules,
                  std::map<std::string, int64_t> prices, const std::string& description) {
    facilities::NewResource r;
    r.owner_id = owner;
    r.kind = kind;
    r.name_zh = zh;
    r.name_en = en;
    r.time_zone = zone;
    r.rules = std::move(rules);
    r.hourly_prices = std::move(prices);
    r.description = description;
    auto created = app.facilities().CreateResource(system, r);
    if (!created.ok()) return created.status();
    ids[en] = created->resource.id;
    return Status::Ok();
  };
  facilities::ResourceRules microscope;
  microscope.approval_mode = "manual";
  microscope.setup_minutes = 15;
  microscope.cleanup_minutes = 15;
  microscope.max_minutes = 240;
  RETURN_IF_ERROR(make(institute, "instrument", "冷冻透射电子显微镜", "Cryo transmission electron microscope",
                       "Asia/Shanghai", microscope,
                       {{"internal", 30000}, {"member_academic", 60000}, {"external_academic", 80000},
                        {"industry", 150000}, {"hk_macao", 60000}},
                       "300 kV cryo-TEM, open to Hong Kong and Macao researchers"));
  facilities::ResourceRules xrd;
  xrd.granularity_minutes = 30;
  xrd.max_minutes = 180;
  RETURN_IF_ERROR(make(institute, "instrument", "X射线衍射仪", "X-ray diffractometer", "Asia/Shanghai", xrd,
                       {{"internal", 10000}, {"industry", 40000}, {"hk_macao", 20000}}, "Powder XRD"));
  facilities::ResourceRules pilot;
  pilot.granularity_minutes = 60;
  pilot.min_minutes = 240;
  pilot.max_minutes = 24 * 60;
  pilot.approval_mode = "manual";
  RETURN_IF_ERROR(make(pilot_platform, "pilot_line", "微纳器件中试线", "Micro-nano device pilot line",
                       "Asia/Shanghai", pilot, {{"industry", 500000}, {"hk_macao", 300000}},
                       "Intermediate-testing (pilot-scale) line"));
  facilities::ResourceRules pool;
  pool.capacity = 64;
  pool.granularity_minutes = 60;
  pool.min_minutes = 60;
  pool.max_minutes = 72 * 60;
  pool.allowed_regions = {"mainland", "hong_kong", "macao"};
  RETURN_IF_ERROR(make(institute, "compute_pool", "超算节点池", "Supercomputing node pool", "Asia/Hong_Kong",
                       pool, {{"internal", 500}, {"hk_macao", 800}, {"industry", 2000}},
                       "Node-hours sent to Hong Kong over a dedicated line"));
  return ids;
}

// A week that has begun: the enterprise has asked for the cryo-TEM tomorrow (waiting for the
// facility manager's approval) and booked the diffractometer in four days, and its training on
// the diffractometer lapses in three weeks, so the homes of the facility manager and the
// enterprise have something to do and a week of use to show on first start.
Status BookDemoWeek(Application& app, const registry::Principal& system,
                    const std::map<std::string, std::string>& resources,
                    const std::string& enterprise_id, const std::string& password) {
  auto login = app.identity().Login("enterprise", password, "127.0.0.1");
  if (!login.ok()) return login.status();
  ASSIGN_OR_RETURN(auto booker, app.identity().AuthenticateSession(login->session_token));
  int64_t now = ToUnixSeconds(app.clock().Now());
  int64_t next_midnight_shanghai = (now + 8 * 3600) / 86400 * 86400 + 86400 - 8 * 3600;
  auto book = [&](const std::string& resource, int day, int hour, int hours,
                  const std::string& purpose) {
    facilities::BookingRequest request;
    request.resource_id = resources.at(resource);
    request.organization_id = enterprise_id;
    request.starts_at = next_midnight_shanghai + (day * 24 + hour) * 3600;
    request.ends_at = request.starts_at + hours * 3600;
    request.purpose = purpose;
    request.idempotency_key = "demo-week-" + resource;
    return app.facilities().CreateBooking(booker, request).status();
  };
  RETURN_IF_ERROR(book("Cryo transmission electron microscope", 0, 10, 2, "微纳器件截面成像"));
  RETURN_IF_ERROR(app.facilities().GrantQualification(system, resources.at("X-ray diffractometer"),
                                                      "enterprise", now + 21 * 86400));
  return book("X-ray diffractometer", 3, 15, 2, "薄膜物相分析");
}

}  // namespace

Result<identity::Principal> SignIn(Application& app, const std::string& username,
                                   const std::string& password) {
  auto login = app.identity().Login(username, password, "127.0.0.1");
  if (!login.ok()) return login.status();
  return app.identity().AuthenticateSession(login->session_token);
}

// Flow requests of the HKU Shenzhen Hospital in every state: a pathogen sample of unknown risk
// refused, genome data approved by the compliance officer and waiting for the park operator,
// clinical data under the GBA standard contract approved, a reagent delivery approved and used, a
// conference visit withdrawn, and research funds still a draft.
Status LoadDemoFlowRequests(Application& app, const std::string& hospital,
                            const std::string& password) {
  ASSIGN_OR_RETURN(auto researcher, SignIn(app, "researcher", password));
  ASSIGN_OR_RETURN(auto compliance, SignIn(app, "compliance", password));
  governance::FlowRequestService& flows = app.flow_requests();
  using nlohmann::json;
  auto draft = [&](const std::string& kind, const std::string& title, const json& facts,
                   const json& details) -> Result<governance::FlowRequest> {
    return flows.Create(researcher, {hospital, kind, title, facts, details});
  };
  json pathogen = {{"direction", "to_hong_kong"},
                   {"line", "first"},
                   {"channel", "cargo"},
                   {"material",
                    {{"class", "pathogen"},
                     {"risk_grade", "unknown"},
                     {"hgr", false},
                     {"bonded", false},
                     {"hand_carried", false},
                     {"quantity", 6}}}};
  ASSIGN_OR_RETURN(auto refused,
                   draft("material", "未鉴定分离株送港大实验室复核", pathogen,
                         {{"description", "临床未鉴定分离株"}, {"quantity_unit", "管"}}));
  RETURN_IF_ERROR(flows.Submit(researcher, refused.id).status());

  json genome = {{"direction", "to_hong_kong"},
                 {"data",
                  {{"category", "hgr_information"},
                   {"personal_information", true},
                   {"important", false},
                   {"genome_people", 820},
                   {"backup_kept", true}}}};
  ASSIGN_OR_RETURN(auto pending, draft("data", "肝癌队列全基因组数据共享", genome,
                                       {{"purpose", "深港联合肝癌队列研究"},
                                        {"recipient", "香港大学李嘉诚医学院"},
                                        {"destination", "香港"}}));
  ASSIGN_OR_RETURN(pending, flows.Submit(researcher, pending.id));
  RETURN_IF_ERROR(
      flows.Approve(compliance, pending.id, pending.content_hash, "已留存境内备份").status());

  json clinical = {{"direction", "to_hong_kong"},
                   {"permits", {"gba_contract_filing"}},
                   {"data",
                    {{"category", "clinical"},
                     {"basis", "gba_standard_contract"},
                     {"personal_information", true},
                     {"people", 120},
                     {"important", false},
                     {"recipient_region", "hong_kong"},
                     {"impact_assessed", true}}}};
  ASSIGN_OR_RETURN(auto approved,
                   draft("data", "转诊患者病历跨境调阅", clinical,
                         {{"purpose", "深港转诊患者连续诊疗"}, {"recipient", "香港玛丽医院"}}));
  ASSIGN_OR_RETURN(approved, flows.Submit(researcher, approved.id));
  if (approved.state == "pending_approval") {
    RETURN_IF_ERROR(
        flows.Approve(compliance, approved.id, approved.content_hash, "标准合同已备案").status());
  }

  json reagent = {{"direction", "to_mainland"},
                  {"line", "first"},
                  {"channel", "cargo"},
                  {"material",
                   {{"class", "reagent"},
                    {"hgr", false},
                    {"bonded", false},
                    {"hand_carried", false},
                    {"quantity", 40}}}};
  ASSIGN_OR_RETURN(auto used, draft("material", "测序试剂从香港运入", reagent,
                                    {{"description", "测序试剂盒"}, {"quantity_unit", "盒"}}));
  ASSIGN_OR_RETURN(used, flows.Submit(researcher, used.id));
  if (used.state == "approved") {
    RETURN_IF_ERROR(
        flows.RecordUse(researcher, used.id, {40, FormatUtc(app.clock().Now()), "已入库"})
            .status());
  }
  json visit = {{"direction", "to_hong_kong"}, {"channel", "bus"}};
  ASSIGN_OR_RETURN(auto withdrawn,
                   draft("personnel", "赴港参加学术会议", visit,
                         {{"lab", "肝胆外科实验室"}, {"purpose", "会议改为线上举行"}}));
  RETURN_IF_ERROR(flows.Withdraw(researcher, withdrawn.id).status());
  json funds = {{"direction", "to_mainland"},
                {"funds", {{"amount", 1200000}, {"rmb_account", true}}}};
  return draft("funds", "港方合作经费拨入", funds,
               {{"project", "深港联合肝癌队列研究"}, {"currency", "HKD"}, {"payer", "香港大学"}})
      .status();
}

// A version of the policy waiting for approval, for its reviewers to read: the platform admin
// proposes raising the security-review threshold for genome data from 500 people to 1,000, which
// the shadow run shows would wave through the hospital's pending request. The compliance officer
// and the operator approve or reject it.
Status ProposeDemoPolicy(Application& app, const std::string& password) {
  ASSIGN_OR_RETURN(auto admin, SignIn(app, "admin", password));
  std::string toml(governance::BuiltInPolicyToml());
  size_t rule = toml.find("id = \"genome-data-over-500\"");
  size_t next = toml.find("[[rules]]", rule);
  if (rule == std::string::npos || next == std::string::npos) {
    return Status::Internal("the demo's policy change: no genome-data rule");
  }
  std::string changed = toml.substr(rule, next - rule);
  for (auto [from, to] : {std::pair{"gt = 500", "gt = 1000"}, std::pair{"超过500人", "超过1000人"},
                          std::pair{"超過500人", "超過1000人"},
                          std::pair{"more than 500 people", "more than 1,000 people"}}) {
    size_t at = changed.find(from);
    if (at == std::string::npos)
      return Status::Internal(std::string("the demo's policy change: ") + from);
    changed.replace(at, std::string_view(from).size(), to);
  }
  toml.replace(rule, next - rule, changed);
  ASSIGN_OR_RETURN(auto proposed, governance::PolicySet::FromToml(toml));
  return app.policy_versions().Propose(admin, proposed).status();
}

// The Hetao zone's whitelists as the demo holds them: HKUST and its Shenzhen institute for
// materials, data and technology, CityU's entry expired, the HKU Shenzhen Hospital an approved
// pilot unit for human genetic resources, and the funding channels of HKUST and its institute
// (the latter lapsing in three weeks). Document numbers are
// examples ("示例"), not real ones. A compliance officer of the zone reviews them.
Status LoadDemoGovernance(Application& app, const registry::Principal& system,
                          const std::map<std::string, std::string>& orgs, const std::string& zone,
                          const std::string& password) {
  RETURN_IF_ERROR(CreateUser(app, "compliance", "Compliance officer, Hetao zone", password));
  RETURN_IF_ERROR(app.identity().GrantRole("compliance", identity::Role::kComplianceOfficer, zone));
  struct Entry {
    const char* list;
    const char* org;
    std::vector<std::string> kinds;
    const char* from;
    const char* until;
    const char* authority;
    const char* document;
  };
  const Entry entries[] = {
      {"organisation",
       "hkust",
       {"material", "data", "technology"},
       "2026-01-01T00:00:00Z",
       "2027-12-31T00:00:00Z",
       "深圳海关",
       "深关〔2026〕示例1号"},
      {"organisation",
       "hkust_sz",
       {"material", "data", "technology"},
       "2026-01-01T00:00:00Z",
       "2027-12-31T00:00:00Z",
       "深圳海关",
       "深关〔2026〕示例2号"},
      {"organisation",
       "cityu",
       {"material"},
       "2025-01-01T00:00:00Z",
       "2026-03-01T00:00:00Z",
       "深圳海关",
       "深关〔2025〕示例7号"},
      {"organisation",
       "hku_szh",
       {"material", "data"},
       "2026-01-01T00:00:00Z",
       "2027-12-31T00:00:00Z",
       "深圳海关",
       "深关〔2026〕示例3号"},
      {"hgr_pilot",
       "hku_szh",
       {},
       "2026-01-01T00:00:00Z",
       "2028-12-31T00:00:00Z",
       "科学技术部",
       "国科函〔2026〕示例3号"},
      {"fund_channel",
       "hkust",
       {"funds"},
       "2026-01-01T00:00:00Z",
       "2028-12-31T00:00:00Z",
       "广东省科学技术厅",
       "粤科函〔2026〕示例5号"},
  };
  for (const Entry& entry : entries) {
    governance::NewWhitelistEntry input{
        entry.list,  orgs.at(entry.org), entry.kinds,   {}, {}, {}, entry.from,
        entry.until, entry.authority,    entry.document};
    RETURN_IF_ERROR(app.governance().AddWhitelistEntry(system, input).status());
  }
  // The Shenzhen institute's funding channel lapses in three weeks: its compliance officer has
  // been reminded to renew it.
  governance::NewWhitelistEntry lapsing{"fund_channel",
                                        orgs.at("hkust_sz"),
                                        {"funds"},
                                        {},
                                        {},
                                        {},
                                        "2026-01-01T00:00:00Z",
                                        FormatUtc(app.clock().Now() + std::chrono::hours(21 * 24)),
                                        "广东省科学技术厅",
                                        "粤科函〔2026〕示例6号"};
  RETURN_IF_ERROR(app.governance().AddWhitelistEntry(system, lapsing).status());
  RETURN_IF_ERROR(app.governance().RemindExpiringEntries().status());
  RETURN_IF_ERROR(CreateUser(app, "researcher", "Researcher, HKU-Shenzhen Hospital", password));
  RETURN_IF_ERROR(
      app.identity().GrantRole("researcher", identity::Role::kMember, orgs.at("hku_szh")));
  RETURN_IF_ERROR(LoadDemoFlowRequests(app, orgs.at("hku_szh"), password));
  return ProposeDemoPolicy(app, password);
}

namespace {

// The competitions' entrants and judges: the park's first 14 member universities' student teams,
// 14 start-ups of the park, and the demo's researchers and experts as judges judge1, judge2, ...
Status LoadDemoCompetitionCast(Application& app, DemoBuilder& demo, const std::string& park,
                               const std::vector<std::string>& members,
                               const std::vector<std::string>& experts,
                               const std::string& password) {
  DemoCompetitionCast cast;
  cast.park = park;
  ASSIGN_OR_RETURN(cast.admin, SignIn(app, "admin", password));
  cast.universities.assign(members.begin(), members.begin() + 14);
  for (const auto& [zh, en] : kCompetingEnterprises) {
    auto input = Input("enterprise", zh, en, "mainland");
    input.city = "Shenzhen";
    input.province = "Guangdong";
    ASSIGN_OR_RETURN(std::string id, demo.Org(input));
    RETURN_IF_ERROR(demo.Join(park, id, "settled"));
    cast.enterprises.push_back(id);
  }
  for (size_t i = 0; i < experts.size(); ++i) {
    std::string username = "judge" + std::to_string(i + 1);
    RETURN_IF_ERROR(
        CreateUser(app, username, "Competition judge " + std::to_string(i + 1), password));
    ASSIGN_OR_RETURN(auto principal, SignIn(app, username, password));
    cast.judges.push_back({username, experts[i], principal});
  }
  return LoadDemoCompetitions(app, cast);
}

}  // namespace

Result<DemoSummary> LoadDemoNetwork(Application& app, const std::string& orgs_dir,
                                    const std::string& password) {
  registry::OrganizationQuery any;
  any.limit = 1;
  auto existing = app.registry().ListOrganizations(any);
  if (!existing.ok()) return existing.status();
  if (existing->total > 0) return DemoSummary{};

  ASSIGN_OR_RETURN(std::string china_csv, ReadWhole(orgs_dir + "/china_universities.csv"));
  ASSIGN_OR_RETURN(std::string world_json, ReadWhole(orgs_dir + "/world_universities.json"));
  ASSIGN_OR_RETURN(auto china, ParseCsv(china_csv));
  auto world = nlohmann::json::parse(world_json, nullptr, false);
  if (world.is_discarded())
    return Status::Invalid("world_universities.json", "not JSON", "bad_format",
                           {{"format", "json"}});

  DemoBuilder demo(app);
  // Parks.
  auto vup_input = Input("park", "深圳虚拟大学园", "Shenzhen Virtual University Park", "mainland");
  vup_input.province = "Guangdong";
  vup_input.city = "Shenzhen";
  ASSIGN_OR_RETURN(std::string vup, demo.Org(vup_input));
  auto zone_input = Input("park", "河套深港科技创新合作区",
                          "Hetao Shenzhen-Hong Kong Science and Technology Innovation "
                          "Cooperation Zone",
                          "mainland");
  zone_input.province = "Guangdong";
  zone_input.city = "Shenzhen";
  ASSIGN_OR_RETURN(std::string zone, demo.Org(zone_input));
  const std::vector<std::tuple<std::string, std::string, std::string>> kZoneParks = {
      {"河套深港科技创新合作区深圳园区", "Shenzhen Park of the Hetao Zone", "mainland"},
      {"港深创新及科技园", "Hong Kong-Shenzhen Innovation and Technology Park", "hong_kong"},
      {"深港国际科技园", "Shenzhen-Hong Kong International Science and Technology Park", "mainland"},
      {"河套中试服务平台", "Hetao Pilot-Scale Testing Service Platform", "mainland"},
  };
  std::string zone_pilot_platform;
  for (const auto& [zh, en, region] : kZoneParks) {
    auto input = Input("professional_park", zh, en, region);
    input.parent_id = zone;
    ASSIGN_OR_RETURN(std::string id, demo.Org(input));
    zone_pilot_platform = id;  // the last one is the pilot-scale testing platform
  }

  // 54 mainland universities from the list, in national-rank order.
  std::map<std::string, std::string> by_slug;
  int mainland = 0;
  for (size_t i = 1; i < china.size() && mainland < 54; ++i) {
    const auto& f = china[i].fields;
    if (f.size() < 8) continue;
    auto input = Input("university", f[2], f[1], "mainland");
    input.city = f[3];
    input.province = f[4];
    input.tags = TagsFromList(f[7], f[0]);
    ASSIGN_OR_RETURN(by_slug[f[0]], demo.Org(input));
    ++mainland;
  }
  // The alliance universities not already loaded.
  for (size_t i = 1; i < china.size(); ++i) {
    const auto& f = china[i].fields;
    if (f.size() < 8 || by_slug.count(f[0])) continue;
    if (std::find(std::begin(kAllianceSlugs), std::end(kAllianceSlugs), f[0]) ==
        std::end(kAllianceSlugs)) {
      continue;
    }
    auto input = Input("university", f[2], f[1], "mainland");
    input.city = f[3];
    input.province = f[4];
    input.tags = TagsFromList(f[7], f[0]);
    ASSIGN_OR_RETURN(by_slug[f[0]], demo.Org(input));
  }
  std::map<std::string, std::string> websites;
  std::map<std::string, std::string> countries;
  for (const auto& u : world) {
    if (!u.contains("name") || !u["name"].is_string()) continue;
    std::string name = u["name"];
    if (u.contains("web_pages") && u["web_pages"].is_array() && !u["web_pages"].empty()) {
      websites[name] = u["web_pages"][0].get<std::string>();
    }
    if (u.contains("country") && u["country"].is_string()) countries[name] = u["country"];
  }
  std::vector<std::string> hong_kong_ids;
  for (const auto& hk : kHongKong) {
    auto input = Input("university", hk.name_zh, hk.name_en, "hong_kong");
    input.city = "Hong Kong";
    input.website = websites[hk.name_en];
    if (hk.qs_top_100) input.tags = std::vector<std::string>{"qs_top_100"};
    ASSIGN_OR_RETURN(std::string id, demo.Org(input));
    hong_kong_ids.push_back(id);
  }
  std::vector<std::string> foreign_ids;
  for (const char* name : kForeign) {
    auto input = Input("university", "", name, "foreign");
    input.country = countries.count(name) ? countries[name] : "Unknown";
    input.website = websites[name];
    ASSIGN_OR_RETURN(std::string id, demo.Org(input));
    foreign_ids.push_back(id);
  }

  // Virtual university park memberships: 70 universities, a few still in the workflow.
  std::vector<std::string> members;
  int count = 0;
  for (size_t i = 1; i < china.size() && count < 54; ++i) {
    if (china[i].fields.size() < 8 || !by_slug.count(china[i].fields[0])) continue;
    members.push_back(by_slug[china[i].fields[0]]);
    ++count;
  }
  members.insert(members.end(), hong_kong_ids.begin(), hong_kong_ids.end());
  members.insert(members.end(), foreign_ids.begin(), foreign_ids.end());
  for (size_t i = 0; i < members.size(); ++i) {
    std::string state = "settled";
    if (i == members.size() - 1) state = "applied";
    if (i == members.size() - 2) state = "under_review";
    RETURN_IF_ERROR(demo.Join(vup, members[i], state));
  }

  // Enterprises and institutes in the cooperation zone.
  auto enterprise = Input("enterprise", "深港微纳智造科技有限公司",
                          "Shenzhen-HK MicroNano Manufacturing Co., Ltd.", "mainland");
  enterprise.city = "Shenzhen";
  enterprise.province = "Guangdong";
  enterprise.tags = std::vector<std::string>{"national_high_tech_enterprise"};
  ASSIGN_OR_RETURN(std::string enterprise_id, demo.Org(enterprise));
  RETURN_IF_ERROR(demo.Join(zone, enterprise_id, "settled"));
  auto institute = Input("research_institute", "香港科技大学深圳研究院",
                         "HKUST Shenzhen Research Institute", "mainland");
  institute.city = "Shenzhen";
  institute.province = "Guangdong";
  institute.parent_id = hong_kong_ids[2];
  ASSIGN_OR_RETURN(std::string institute_id, demo.Org(institute));
  RETURN_IF_ERROR(demo.Join(zone, institute_id, "settled"));
  RETURN_IF_ERROR(demo.Join(zone, hong_kong_ids[0], "agreement_signed"));

  // The five-university alliance and its framework agreement.
  auto alliance_input = Input("alliance", "长三角高校科技园联盟",
                              "Yangtze River Delta University Technology Park Alliance", "mainland");
  alliance_input.city = "Shanghai";
  alliance_input.province = "Shanghai";
  ASSIGN_OR_RETURN(std::string alliance, demo.Org(alliance_input));
  std::vector<std::string> signatories;
  for (const char* slug : kAllianceSlugs) {
    auto added = app.registry().AddAllianceMember(demo.system(), alliance, by_slug[slug],
                                                  "2019-10-25");
    if (!added.ok()) return added.status();
    signatories.push_back(by_slug[slug]);
  }
  registry::Agreement agreement{"",
                                "Framework Agreement for the Science and Technology Park Alliance "
                                "of Yangtze River Delta Universities of Higher Engineering Education",
                                "2019-10-25",
                                signatories,
                                {"mutual recognition of course credits",
                                 "a shared incubator for transferring research results",
                                 "a shared team of technology-transfer managers",
                                 "joint training of high-level talent"}};
  auto signed_agreement = app.registry().AddAgreement(demo.system(), alliance, agreement);
  if (!signed_agreement.ok()) return signed_agreement.status();

  // People: demo profiles (fictional names) with affiliations.
  const std::vector<std::tuple<std::string, std::string, std::string, std::string, std::string>>
      kPeople = {
          {"陈明", "Chen Ming", "researcher", "硼掺杂发光材料; luminescent materials", "tsinghua"},
          {"李华", "Li Hua", "expert", "5G 通信; wireless networks", "sjtu"},
          {"王芳", "Wang Fang", "tech_transfer_manager", "patent licensing", "zju"},
          {"张伟", "Zhang Wei", "researcher", "MoS2 二维材料; 2D materials", "fudan"},
          {"刘洋", "Liu Yang", "expert", "智能制造; intelligent manufacturing", "hit"},
          {"赵敏", "Zhao Min", "tech_transfer_manager", "technology transfer", "shanghai"},
          {"孙磊", "Sun Lei", "researcher", "新能源汽车电池; EV batteries", "jiangsu"},
          {"周静", "Zhou Jing", "tech_transfer_manager", "incubation", "zjut"},
          {"吴强", "Wu Qiang", "expert", "工业互联网; industrial internet", "hefei"},
          {"郑丽", "Zheng Li", "researcher", "生物医药; biomedicine", "nanjing-tech"},
      };
  std::vector<std::string> experts;  // the researchers and experts, who judge competitions
  for (const auto& [zh, en, kind, topics, slug] : kPeople) {
    if (!by_slug.count(slug)) continue;
    ASSIGN_OR_RETURN(
        std::string person,
        demo.Person(zh, en, kind, topics, by_slug[slug],
                    kind == "tech_transfer_manager" ? "technology-transfer manager" : "professor"));
    if (kind != "tech_transfer_manager") experts.push_back(person);
  }
  ASSIGN_OR_RETURN(std::string wong,
                   demo.Person("黄志明", "Wong Chi Ming", "researcher",
                               "微纳制造; micro-nano fabrication", hong_kong_ids[2], "professor"));
  experts.push_back(wong);
  RETURN_IF_ERROR(demo.Person("林嘉欣", "Lam Ka Yan", "tech_transfer_manager",
                              "cross-border transfer", institute_id, "technology-transfer manager")
                      .status());

  // Users of the demo.
  RETURN_IF_ERROR(CreateUser(app, "admin", "Platform administrator", password));
  RETURN_IF_ERROR(app.identity().GrantRole("admin", identity::Role::kPlatformAdmin, ""));
  RETURN_IF_ERROR(CreateUser(app, "operator", "Park service centre", password));
  RETURN_IF_ERROR(app.identity().GrantRole("operator", identity::Role::kParkOperator, vup));
  RETURN_IF_ERROR(app.identity().GrantRole("operator", identity::Role::kParkOperator, zone));
  RETURN_IF_ERROR(app.identity().GrantRole("operator", identity::Role::kParkOperator, alliance));
  RETURN_IF_ERROR(CreateUser(app, "hkust", "HKUST administrator", password));
  RETURN_IF_ERROR(app.identity().GrantRole("hkust", identity::Role::kOrgAdmin, hong_kong_ids[2]));
  RETURN_IF_ERROR(CreateUser(app, "enterprise", "MicroNano administrator", password));
  RETURN_IF_ERROR(app.identity().GrantRole("enterprise", identity::Role::kOrgAdmin, enterprise_id));

  RETURN_IF_ERROR(CreateUser(app, "facility", "Facility manager, HKUST Shenzhen", password));
  RETURN_IF_ERROR(app.identity().GrantRole("facility", identity::Role::kFacilityManager, institute_id));
  ASSIGN_OR_RETURN(auto resources,
                   LoadDemoFacilities(app, demo.system(), institute_id, zone_pilot_platform));
  RETURN_IF_ERROR(BookDemoWeek(app, demo.system(), resources, enterprise_id, password));
  auto hospital = Input("research_institute", "香港大学深圳医院",
                        "The University of Hong Kong-Shenzhen Hospital", "mainland");
  hospital.city = "Shenzhen";
  hospital.province = "Guangdong";
  hospital.parent_id = hong_kong_ids[0];
  ASSIGN_OR_RETURN(std::string hospital_id, demo.Org(hospital));
  RETURN_IF_ERROR(demo.Join(zone, hospital_id, "settled"));
  RETURN_IF_ERROR(LoadDemoGovernance(app, demo.system(),
                                     {{"hkust", hong_kong_ids[2]},
                                      {"hkust_sz", institute_id},
                                      {"cityu", hong_kong_ids[4]},
                                      {"hku_szh", hospital_id}},
                                     zone, password));
  std::string retrieval = orgs_dir + "/../retrieval";
  if (std::filesystem::exists(retrieval + "/csl-dev/corpus.jsonl")) {
    DemoExchangeOwners owners{{members.begin(), members.begin() + 20}, hong_kong_ids[2], enterprise_id,
                              zone_pilot_platform};
    RETURN_IF_ERROR(LoadDemoExchange(app, retrieval, owners, password));
  }

  RETURN_IF_ERROR(LoadDemoCompetitionCast(app, demo, vup, members, experts, password));
  return DemoSummary{true, demo.organizations(), demo.people()};
}

}  // namespace parkhub::app
