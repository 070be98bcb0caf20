#include "governance/policy.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "governance/policy_tests.h"
#include "support/test_app.h"

namespace parkhub::governance {
namespace {

const std::string kHetao = std::string(PARKHUB_SOURCE_DIR) + "/policies/hetao";

std::string ReadRules() {
  std::ifstream in(kHetao + "/rules.toml");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

constexpr std::string_view kSmall = R"(
name = "small"
[fields.kind]
type = "text"
values = ["data"]
label = { zh_hans = "类型", zh_hant = "類型", en = "Kind" }
[fields.at]
type = "time"
label = { zh_hans = "时间", zh_hant = "時間", en = "Time" }
[fields.people]
type = "number"
label = { zh_hans = "人数", zh_hant = "人數", en = "People" }
[[rules]]
id = "many"
effect = "deny"
kinds = ["data"]
when = [{ field = "people", gt = 100 }]
reason = { code = "too_many", cites = "doc 1", zh_hans = "太多", zh_hant = "太多", en = "Too many" }
)";

TEST(PolicyTest, TheParksGoldenCasesPass) {
  auto report = RunPolicyTests(kHetao);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_GE(report->cases, 40);
  for (const auto& failure : report->failures) {
    ADD_FAILURE() << failure.file << ": " << failure.name << ": " << failure.message;
  }
}

TEST(PolicyTest, AChangedRuleFailsTheCasesThatDependOnIt) {
  std::string dir = testing::MakeTempDir();
  std::filesystem::copy(kHetao, dir, std::filesystem::copy_options::recursive);
  std::string rules = ReadRules();
  // Raise the genome threshold: the 501-person case no longer needs approval.
  rules.replace(rules.find("gt = 500"), 8, "gt = 900");
  std::ofstream(dir + "/rules.toml") << rules;
  auto report = RunPolicyTests(dir);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->failures.size(), 1u);
  EXPECT_EQ(report->failures[0].name,
            "genome data on more than 500 people needs approval by two roles");
  auto original = RunPolicyTests(kHetao);
  EXPECT_NE(report->policy_hash, original->policy_hash) << "a changed policy has a new address";
  std::filesystem::remove_all(dir);
}

TEST(PolicyTest, APolicyIsAddressedByItsContentNotItsSpelling) {
  auto a = PolicySet::FromToml(kSmall);
  ASSERT_TRUE(a.ok()) << a.status().message();
  std::string spaced(kSmall);
  spaced.insert(0, "# a comment changes nothing\n\n");
  auto b = PolicySet::FromToml(spaced);
  EXPECT_EQ((*a)->hash(), (*b)->hash());
  auto json = PolicySet::FromJson((*a)->document());
  EXPECT_EQ((*json)->hash(), (*a)->hash()) << "the same policy sent as JSON";
}

TEST(PolicyTest, MalformedPoliciesAreRefusedNamingTheProblem) {
  auto expect_refused = [](std::string text, const std::string& needle) {
    auto policy = PolicySet::FromToml(text);
    ASSERT_FALSE(policy.ok()) << needle;
    EXPECT_NE(policy.status().message().find(needle), std::string::npos)
        << policy.status().message();
  };
  std::string small(kSmall);
  auto with = [&small](const std::string& from, const std::string& to) {
    std::string out = small;
    out.replace(out.find(from), from.size(), to);
    return out;
  };
  expect_refused("name = [", "line 1");
  expect_refused(with("gt = 100", "gt = \"many\""), "rule many");
  expect_refused(with("gt = 100", "near = 100"), "unknown operator near");
  expect_refused(with("field = \"people\"", "field = \"persons\""), "unknown field persons");
  expect_refused(with("effect = \"deny\"", "effect = \"maybe\""), "effect is one of");
  expect_refused(with("kinds = [\"data\"]", "kinds = [\"money\"]"), "unknown kind money");
  expect_refused(with("en = \"Too many\"", "fr = \"Trop\""), "en wording");
  expect_refused(with("effect = \"deny\"", "effect = \"needs_approval\""), "who approves");
  expect_refused(with("[fields.at]\ntype = \"time\"", "[fields.at]\ntype = \"text\""), "field at");
  expect_refused(small + "[[rules]]\nid = \"many\"\n", "unique id");
}

TEST(PolicyTest, ARequestIsReadAgainstTheSchemaWithFieldErrors) {
  auto policy = PolicySet::FromToml(ReadRules());
  ASSERT_TRUE(policy.ok());
  auto facts = (*policy)->ReadFacts({{"kind", "material"},
                                     {"at", "2026-06-01T09:00:00Z"},
                                     {"material", {{"class", "plutonium"}, {"hgr", "yes"}}},
                                     {"colour", "red"}});
  ASSERT_FALSE(facts.ok());
  std::set<std::string> fields;
  for (const auto& error : facts.status().field_errors())
    fields.insert(error.field + ":" + error.code);
  EXPECT_EQ(fields, (std::set<std::string>{"material.class:not_one_of", "material.hgr:wrong_type",
                                           "colour:unknown_field"}));
  EXPECT_EQ((*policy)->ReadFacts({{"at", "2026-06-01T09:00:00Z"}}).status().field_errors()[0].field,
            "kind");
  EXPECT_EQ(
      (*policy)->ReadFacts({{"kind", "data"}, {"at", "June"}}).status().field_errors()[0].code,
      "bad_format");
}

TEST(PolicyTest, ADecisionCarriesItsReasonsInThreeLanguagesAndWhatIsLacking) {
  auto policy = PolicySet::FromToml(ReadRules());
  ASSERT_TRUE(policy.ok());
  WhitelistIndex whitelist({WhitelistEntry{"organisation",
                                           "hkust",
                                           {},
                                           {},
                                           {},
                                           {},
                                           *ParseUtc("2026-01-01T00:00:00Z"),
                                           *ParseUtc("2027-01-01T00:00:00Z"),
                                           std::nullopt,
                                           "",
                                           ""}});
  auto facts = (*policy)->ReadFacts(
      {{"kind", "material"},
       {"direction", "to_mainland"},
       {"line", "first"},
       {"channel", "channel_no_1"},
       {"at", "2026-06-01T09:00:00Z"},
       {"requester", {{"organisation", "hkust"}}},
       {"carrier", {{"designated", false}}},
       {"material",
        {{"class", "sample"}, {"hgr", false}, {"bonded", false}, {"hand_carried", true}}}});
  ASSERT_TRUE(facts.ok()) << facts.status().message();
  Decision decision = (*policy)->Decide(*facts, whitelist);
  (*policy)->Explain(*facts, whitelist, decision);
  nlohmann::json json = DecisionJson(**policy, decision);
  EXPECT_EQ(json["outcome"], "not_permitted");
  EXPECT_EQ(json["policy"]["hash"], (*policy)->hash());
  ASSERT_FALSE(json["closest"].empty());
  const auto& closest = json["closest"][0];
  EXPECT_EQ(closest["id"], "channel-no-1-hand-carry");
  EXPECT_EQ(closest["cites"], "海关总署 署贸函〔2024〕236号 第四条");
  ASSERT_EQ(closest["lacks"].size(), 1u);
  EXPECT_EQ(closest["lacks"][0]["says"]["en"], "the carrier must be a designated person");
  EXPECT_EQ(closest["lacks"][0]["says"]["zh_hant"], "攜帶人須為指定人員");

  auto bonded = *facts;
  bonded.slots[*(*policy)->FieldSlot("material.bonded")].flag = true;
  nlohmann::json denied = DecisionJson(**policy, (*policy)->Decide(bonded, whitelist));
  EXPECT_EQ(denied["outcome"], "deny");
  EXPECT_EQ(denied["rules"][0]["code"], "bonded_goods_hand_carried");
  EXPECT_EQ(denied["rules"][0]["reason"]["zh_hans"], "保税货物不得经“一号通道”由人员携带。");
}

}  // namespace
}  // namespace parkhub::governance
