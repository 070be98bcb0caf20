// The demo's competitions (demo.h): the Shenzhen Virtual University Park's innovation and
// entrepreneurship competition, last year's judged to the end and this year's under way.
//
// Last year's edition is run on a clock set in that year, through the same service and rules as
// any edition: 14 student teams and 14 enterprises entered; an online review by 3 judges an
// entry sent 12 of each group to the final; the final "8+7" pitch before 5 judges gave 1 first,
// 3 second and 6 third prizes in each group (20 in all), each with its certificate. This year's
// is open for entries, and its online review is taking scores. Judges affiliated with an
// entrant are kept off its entry, as the assignment board shows. Scores are drawn from a fixed
// seed, so every demo is the same.
#include <algorithm>
#include <cmath>
#include <random>

#include "app/demo.h"
#include "core/clock.h"

namespace parkhub::app {
namespace {

using competitions::CompetitionService;
using competitions::EditionInput;
using competitions::EntryInput;
using competitions::RoundInput;

const char* const kTeamTitles[] = {
    "面向柔性电子的低温烧结纳米银浆",
    "基于深度学习的病理切片辅助诊断系统",
    "小型化固态激光雷达",
    "可降解镁合金心血管支架",
    "农田土壤重金属快速检测仪",
    "面向工业质检的小样本视觉模型",
    "钠离子电池正极材料中试",
    "脑机接口康复训练外骨骼",
    "海上风电叶片无人机巡检",
    "城市内涝数字孪生预警平台",
    "微流控单细胞测序芯片",
    "低空物流无人机调度系统",
    "钙钛矿叠层太阳能电池",
    "面向中小学的编程教育机器人",
};

const char* const kEnterpriseTitles[] = {
    "工业级 3D 打印钛合金植入物",  "新能源汽车电池包热管理系统", "高精度光刻胶国产化",
    "跨境医疗影像云平台",          "智能仓储 AGV 集群调度",      "半导体晶圆缺陷检测设备",
    "细胞治疗 CAR-T 自动化生产线", "碳化硅功率模块封装",         "工业互联网边缘计算网关",
    "可穿戴无创血糖监测",          "氢燃料电池膜电极",           "智慧园区能源管理平台",
    "生物基可降解包装材料",        "多语言法律文书智能审校",
};

// Team members' names, drawn three or four to a team.
const char* const kMemberNames[] = {"张晨", "李悦", "王浩", "刘畅", "陈思", "杨帆",
                                    "赵阳", "黄磊", "周婷", "吴迪", "徐晴", "孙宇"};

// 0:00 on 1 March of `year`, plus `days`, in UTC.
TimePoint DayOf(int year, int days) {
  std::chrono::sys_days day = std::chrono::year{year} / std::chrono::March / 1;
  return TimePoint(day) + std::chrono::hours(24 * days);
}

EditionInput Edition(const std::string& park, int year, const std::string& closes_on) {
  std::string y = std::to_string(year);
  EditionInput input;
  input.organiser = park;
  input.year = year;
  input.names = {y + " 深圳虚拟大学园创新创业大赛", y + " 深圳虛擬大學園創新創業大賽",
                 y + " Shenzhen Virtual University Park Innovation and Entrepreneurship "
                     "Competition"};
  input.entries_close_on = closes_on;
  input.groups = CompetitionService::DefaultGroups();
  return input;
}

// An entry of `group` for `organisation`, its summary the title after `kind`.
EntryInput NewEntry(const std::string& edition, const std::string& group,
                    const std::string& organisation, const std::string& title,
                    const std::string& kind) {
  EntryInput entry;
  entry.edition = edition;
  entry.group = group;
  entry.organisation = organisation;
  entry.title = title;
  entry.summary = kind + "：" + title + "。";
  return entry;
}

// Enters `teams` student teams (one a university) and `enterprises` enterprises.
Status Enter(CompetitionService& service, const identity::Principal& admin,
             const std::string& edition, const DemoCompetitionCast& cast, size_t teams,
             size_t enterprises, std::mt19937& random) {
  for (size_t i = 0; i < teams && i < cast.universities.size(); ++i) {
    EntryInput entry = NewEntry(edition, "team", cast.universities[i],
                                kTeamTitles[i % std::size(kTeamTitles)], "学生创业团队项目");
    int core = 3 + static_cast<int>(random() % 2);
    entry.facts = {{"leader_graduation_year", 2021 + static_cast<int>(random() % 4)},
                   {"core_members", core}};
    entry.team.university = cast.universities[i];
    // A leader, then the core members, then one more member.
    for (int m = 0; m <= core; ++m) {
      const char* role = m == 0 ? "leader" : m < core ? "core" : "member";
      entry.team.members.push_back({kMemberNames[(i * 3 + m) % std::size(kMemberNames)], role});
    }
    RETURN_IF_ERROR(service.SubmitEntry(admin, entry).status());
  }
  for (size_t i = 0; i < enterprises && i < cast.enterprises.size(); ++i) {
    EntryInput entry =
        NewEntry(edition, "enterprise", cast.enterprises[i],
                 kEnterpriseTitles[i % std::size(kEnterpriseTitles)], "成长期企业项目");
    entry.facts = {{"revenue_cny", 5000000 + static_cast<int>(random() % 150) * 1000000},
                   {"listed", false},
                   {"earlier_wins", static_cast<int>(random() % 2)}};
    RETURN_IF_ERROR(service.SubmitEntry(admin, entry).status());
  }
  return Status::Ok();
}

// A score near `level` on the default scale (0–10 in half points).
double ScoreNear(double level, std::mt19937& random) {
  std::normal_distribution<double> noise(0, 0.6);
  return std::clamp(std::round((level + noise(random)) * 2) / 2, 0.0, 10.0);
}

// Adds the judges, has each confirm, assigns from `seed`; then each judge signs off sheets for
// `signed_share` of their queue: near the entry's level (from its title, the same for every
// judge), shifted by the judge's own leniency.
Result<competitions::Round> RunRound(CompetitionService& service, const identity::Principal& admin,
                                     const RoundInput& input, const std::vector<DemoJudge>& judges,
                                     uint64_t seed, double signed_share, std::mt19937& random) {
  ASSIGN_OR_RETURN(auto round, service.CreateRound(admin, input));
  for (const DemoJudge& judge : judges) {
    RETURN_IF_ERROR(service.AddJudge(admin, round.id, judge.username, judge.person, -1).status());
  }
  for (const DemoJudge& judge : judges) {
    RETURN_IF_ERROR(service.ConfirmJudging(judge.principal, round.id).status());
  }
  ASSIGN_OR_RETURN(round, service.Assign(admin, round.id, seed));
  std::uniform_real_distribution<double> bias(-0.8, 0.8);
  for (const DemoJudge& judge : judges) {
    double lean = bias(random);
    ASSIGN_OR_RETURN(auto queue, service.Queue(judge.principal, round.id));
    size_t to_sign = static_cast<size_t>(std::ceil(signed_share * queue.size()));
    for (size_t i = 0; i < to_sign && i < queue.size(); ++i) {
      // An entry's level comes from its title, so every judge sees the same project quality.
      double level = 5.5 + static_cast<double>(std::hash<std::string>{}(queue[i].title) % 30) / 10;
      competitions::ScoreInput sheet;
      sheet.final = true;
      for (const char* key : {"technology", "business_model", "market", "team", "finance"}) {
        if (key == std::string("finance") && queue[i].group != "enterprise") continue;
        sheet.scores[key] = ScoreNear(level + lean, random);
      }
      RETURN_IF_ERROR(service.Score(judge.principal, round.id, queue[i].entry, sheet).status());
    }
  }
  return round;
}

RoundInput Round(const std::string& edition, const std::string& zh, const std::string& hant,
                 const std::string& en, const std::string& kind, int judges_per_entry) {
  RoundInput input;
  input.edition = edition;
  input.names = {zh, hant, en};
  input.kind = kind;
  input.judges_per_entry = judges_per_entry;
  input.combine = judges_per_entry >= 5 ? "trimmed_mean" : "mean";
  input.divergence = 2.5;
  input.tie_criterion = "technology";
  return input;
}

}  // namespace

Status LoadDemoCompetitions(Application& app, const DemoCompetitionCast& cast) {
  std::mt19937 random(2025);
  auto now = std::chrono::floor<std::chrono::days>(app.clock().Now());
  int this_year = static_cast<int>(std::chrono::year_month_day(now).year());

  // Last year's, from entry to prizes, on a clock in that year.
  ManualClock last_year_clock(DayOf(this_year - 1, 0));
  CompetitionService last_year(app.database(), last_year_clock);
  ASSIGN_OR_RETURN(auto past, last_year.CreateEdition(
                                  cast.admin, Edition(cast.park, this_year - 1,
                                                      std::to_string(this_year - 1) + "-05-31")));
  RETURN_IF_ERROR(Enter(last_year, cast.admin, past.id, cast, 14, 14, random));
  last_year_clock.Advance(std::chrono::hours(24 * 100));  // June: the online review
  RoundInput review = Round(past.id, "网络评审", "網絡評審", "Online review", "online", 3);
  review.advancement = {{"team", {"top", 12, 0}}, {"enterprise", {"top", 12, 0}}};
  ASSIGN_OR_RETURN(auto first,
                   RunRound(last_year, cast.admin, review, cast.judges, 2025, 1.0, random));
  RETURN_IF_ERROR(last_year.Close(cast.admin, first.id).status());
  RETURN_IF_ERROR(last_year.Publish(cast.admin, first.id).status());
  last_year_clock.Advance(std::chrono::hours(24 * 30));  // July: the final pitch
  RoundInput pitch = Round(past.id, "决赛路演", "決賽路演", "Final pitch (8+7)", "pitch", 5);
  ASSIGN_OR_RETURN(auto final_round,
                   RunRound(last_year, cast.admin, pitch, cast.judges, 20250708, 1.0, random));
  RETURN_IF_ERROR(last_year.Close(cast.admin, final_round.id).status());
  RETURN_IF_ERROR(last_year.Publish(cast.admin, final_round.id).status());

  // This year's: entries open until four months from now; the online review half scored.
  CompetitionService& service = app.competitions();
  std::string closes_on = FormatUtc(now + std::chrono::days(120)).substr(0, 10);
  ASSIGN_OR_RETURN(auto current,
                   service.CreateEdition(cast.admin, Edition(cast.park, this_year, closes_on)));
  RETURN_IF_ERROR(Enter(service, cast.admin, current.id, cast, 6, 6, random));
  RoundInput early = Round(current.id, "网络评审（第一批）", "網絡評審（第一批）",
                           "Online review (first batch)", "online", 3);
  early.advancement = {{"team", {"top", 4, 0}}, {"enterprise", {"top", 4, 0}}};
  return RunRound(service, cast.admin, early, cast.judges, this_year, 0.5, random).status();
}

}  // namespace parkhub::app
