#include "governance/policy_versions.h"

#include <gtest/gtest.h>

#include "governance/audit_verifier.h"
#include "governance/governance_service.h"
#include "governance/policy_analysis.h"
#include "support/test_app.h"

namespace parkhub::governance {
namespace {

using nlohmann::json;
using testing::Caller;
using testing::TestApp;

std::shared_ptr<const PolicySet> Parse(const std::string& toml) {
  auto policy = PolicySet::FromToml(toml);
  EXPECT_TRUE(policy.ok()) << policy.status().message();
  return policy.ok() ? *policy : nullptr;
}

// A small schema the analysis tests write their rules against.
std::string SmallPolicy(const std::string& rules) {
  return R"(name = "small"
[fields.kind]
type = "text"
values = ["material", "data"]
label = { zh_hans = "类", zh_hant = "類", en = "Kind" }
[fields.at]
type = "time"
label = { zh_hans = "时", zh_hant = "時", en = "At" }
[fields.class]
type = "text"
values = ["x", "y", "z"]
label = { zh_hans = "类别", zh_hant = "類別", en = "Class" }
[fields.risk]
type = "number"
label = { zh_hans = "风险", zh_hant = "風險", en = "Risk" }
[fields.bonded]
type = "bool"
label = { zh_hans = "保税", zh_hant = "保稅", en = "Bonded" }
[fields.permits]
type = "list"
values = ["p1", "p2"]
label = { zh_hans = "许可", zh_hant = "許可", en = "Permits" }
)" + rules;
}

std::string Rule(const std::string& id, const std::string& effect, const std::string& when,
                 const std::string& kinds = R"(["material"])") {
  return "[[rules]]\nid = \"" + id + "\"\neffect = \"" + effect + "\"\nkinds = " + kinds +
         "\nwhen = [" + when +
         "]\nreason.code = \"c\"\nreason.cites = \"d\"\nreason.zh_hans = \"理由\"\n"
         "reason.zh_hant = \"理由\"\nreason.en = \"reason\"\n" +
         (effect == "needs_approval" ? "approvals = { roles = [\"compliance_officer\"] }\n" : "");
}

TEST(PolicyAnalysisTest, FindsRulesThatNeverMatchOrAreAlwaysOverridden) {
  auto policy = Parse(SmallPolicy(
      Rule("contradictory", "allow",
           R"({ field = "class", eq = "x" }, { field = "class", eq = "y" })") +
      Rule("high-risk-allowed", "allow", R"({ field = "risk", gt = 5 })") +
      Rule("risky-denied", "deny", R"({ field = "risk", ge = 3 })") +
      // Every request with a risk is denied by one of two rules, neither alone covering it.
      Rule("any-risk-approved", "needs_approval",
           R"({ field = "risk", ge = 0 }, { field = "class", in = ["x", "y"] })", R"(["data"])") +
      Rule("low-denied", "deny", R"({ field = "risk", lt = 10 })", R"(["data"])") +
      Rule("high-denied", "deny", R"({ field = "risk", ge = 10 })", R"(["data"])") +
      Rule("permit-needed", "allow",
           R"({ field = "permits", has = "p1" }, { field = "permits", lacks = "p1" })") +
      Rule("x-allowed", "allow", R"({ field = "class", eq = "x" })")));
  ASSERT_NE(policy, nullptr);
  auto analysis = AnalysePolicy(*policy);
  ASSERT_TRUE(analysis.ok()) << analysis.status().message();
  std::map<std::string, UnreachableRule> found;
  for (const auto& rule : analysis->unreachable) found[rule.rule] = rule;
  ASSERT_EQ(found.size(), 4u) << AnalysisJson(*policy, *analysis).dump();
  EXPECT_EQ(found["contradictory"].code, "never_matches");
  EXPECT_EQ(found["permit-needed"].code, "never_matches");
  EXPECT_EQ(found["high-risk-allowed"].code, "always_overridden");
  EXPECT_EQ(found["high-risk-allowed"].by, std::vector<std::string>{"risky-denied"});
  EXPECT_EQ(found["any-risk-approved"].code, "always_overridden");
  EXPECT_EQ(found["any-risk-approved"].by, (std::vector<std::string>{"high-denied", "low-denied"}));
  EXPECT_FALSE(found.count("x-allowed"));
}

TEST(PolicyAnalysisTest, NamesContradictingPairsWithARequestThatMatchesBoth) {
  auto policy =
      Parse(SmallPolicy(Rule("x-allowed", "allow", R"({ field = "class", eq = "x" })") +
                        Rule("bonded-denied", "deny",
                             R"({ field = "bonded", is = true }, { field = "risk", gt = 2 })") +
                        Rule("y-denied", "deny", R"({ field = "class", eq = "y" })")));
  auto analysis = AnalysePolicy(*policy);
  ASSERT_TRUE(analysis.ok());
  EXPECT_TRUE(analysis->unreachable.empty());
  ASSERT_EQ(analysis->conflicts.size(), 1u) << AnalysisJson(*policy, *analysis).dump();
  const RuleConflict& conflict = analysis->conflicts[0];
  EXPECT_EQ(conflict.rule, "x-allowed");
  EXPECT_EQ(conflict.denying, "bonded-denied");
  // The example is a real request both rules match: decided, the deny wins.
  json facts = conflict.example["facts"];
  EXPECT_EQ(facts["class"], "x");
  EXPECT_EQ(facts["bonded"], true);
  facts["kind"] = conflict.kind;
  facts["at"] = "2026-01-01T00:00:00Z";
  auto read = policy->ReadFacts(facts);
  ASSERT_TRUE(read.ok()) << facts.dump();
  Decision decision = policy->Decide(*read, WhitelistIndex());
  EXPECT_EQ(decision.outcome, Outcome::kDeny);
  EXPECT_EQ(decision.deciding[0]->id, "bonded-denied");
}

TEST(PolicyAnalysisTest, EveryRuleOfTheShippedPolicyCanDecide) {
  auto policy = Parse(std::string(BuiltInPolicyToml()));
  auto analysis = AnalysePolicy(*policy);
  ASSERT_TRUE(analysis.ok()) << analysis.status().message();
  EXPECT_TRUE(analysis->unreachable.empty()) << AnalysisJson(*policy, *analysis).dump(1);
}

TEST(PolicyAnalysisTest, DiffNamesRulesAddedRemovedAndChanged) {
  auto from = Parse(SmallPolicy(Rule("a", "allow", R"({ field = "class", eq = "x" })") +
                                Rule("b", "deny", R"({ field = "class", eq = "y" })")));
  auto to = Parse(SmallPolicy(Rule("a", "allow", R"({ field = "class", eq = "z" })") +
                              Rule("c", "deny", R"({ field = "class", eq = "y" })")));
  PolicyDiff diff = DiffPolicies(*from, *to);
  EXPECT_EQ(diff.rules_added, std::vector<std::string>{"c"});
  EXPECT_EQ(diff.rules_removed, std::vector<std::string>{"b"});
  EXPECT_EQ(diff.rules_changed, std::vector<std::string>{"a"});
  EXPECT_TRUE(diff.fields_changed.empty());
}

class PolicyVersionTest : public ::testing::Test {
 protected:
  PolicyVersionTest() : clock_(*ParseUtc("2026-06-01T08:00:00Z")), env_({}, &clock_) {
    env_.LoadFixture();
    member_ = env_.UserWith("alice", "member", env_.ids["A"]);
    officer_ = env_.UserWith("officer", "compliance_officer", env_.ids["park"]);
    second_officer_ = env_.UserWith("officer2", "compliance_officer", env_.ids["park"]);
    operator_ = env_.UserWith("operator", "park_operator", env_.ids["park"]);
  }

  json Propose(const std::string& toml, const Caller& as) {
    auto response = env_.Call("POST", "/api/v1/governance/policies", toml, as, "application/toml");
    json body = json::parse(response.body);
    body["_status"] = response.status;
    return body;
  }

  json Act(const std::string& id, const std::string& action, const Caller& as,
           const json& body = json::object()) {
    return env_.CallJson("POST", "/api/v1/governance/policies/" + id + "/" + action, body.dump(),
                         as);
  }

  // The shipped policy with security review from 1,000 people instead of 500.
  static std::string Loosened() {
    std::string toml(BuiltInPolicyToml());
    toml.replace(toml.find("gt = 500"), 8, "gt = 1000");
    return toml;
  }

  // A genome-data request of 800 people, submitted: it needs two approvals today.
  std::string SubmittedGenomeRequest() {
    json body = {{"organisation", env_.ids["A"]},
                 {"kind", "data"},
                 {"title", "队列数据"},
                 {"facts",
                  {{"direction", "to_hong_kong"},
                   {"data",
                    {{"category", "hgr_information"},
                     {"personal_information", true},
                     {"important", false},
                     {"genome_people", 800}}}}},
                 {"details", json::object()}};
    std::string id =
        env_.CallJson("POST", "/api/v1/governance/requests", body.dump(), member_)["id"];
    auto submitted =
        env_.CallJson("POST", "/api/v1/governance/requests/" + id + "/submit", "{}", member_);
    EXPECT_EQ(submitted["state"], "pending_approval") << submitted.dump();
    return id;
  }

  ManualClock clock_;
  TestApp env_;
  Caller member_, officer_, second_officer_, operator_;
};

TEST_F(PolicyVersionTest, TheConfiguredPolicyIsInForceFromTheStart) {
  auto list = env_.CallJson("GET", "/api/v1/governance/policies", "", officer_);
  ASSERT_EQ(list["items"].size(), 1u) << list.dump();
  EXPECT_EQ(list["items"][0]["state"], "active");
  EXPECT_EQ(list["items"][0]["source"], "installed");
  auto schema = env_.CallJson("GET", "/api/v1/governance/policy", "", member_);
  EXPECT_EQ(schema["hash"], list["items"][0]["hash"]);
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/governance/policies", "", member_)["_status"], 403);
}

TEST_F(PolicyVersionTest, AVersionIsInForceOnlyOnceTwoRolesOtherThanItsProposerApprove) {
  std::string request = SubmittedGenomeRequest();
  std::string before = env_.CallJson("GET", "/api/v1/governance/policy", "", member_)["hash"];

  EXPECT_EQ(Propose(Loosened(), member_)["_status"], 403);
  auto bad = Propose("name = \"x\"\n[[rules]]\nid = 1\n", officer_);
  EXPECT_EQ(bad["_status"], 422);
  EXPECT_EQ(bad["errors"][0]["field"], "body");
  EXPECT_EQ(bad["errors"][0]["code"], "bad_policy");
  EXPECT_EQ(Propose(std::string(BuiltInPolicyToml()), officer_)["code"], "already_proposed");

  auto proposed = Propose(Loosened(), officer_);
  ASSERT_EQ(proposed["_status"], 201) << proposed.dump();
  EXPECT_EQ(proposed["state"], "proposed");
  EXPECT_EQ(proposed["roles_needed"], json({"compliance_officer", "park_operator"}));
  EXPECT_EQ(proposed["actions"], json::array()) << "its proposer does not approve it";
  std::string id = proposed["id"];

  // The review: what changed, what the analysis finds, and the requests it decides otherwise.
  auto review = env_.CallJson("GET", "/api/v1/governance/policies/" + id, "", operator_);
  ASSERT_EQ(review["_status"], 200) << review.dump();
  ASSERT_EQ(review["diff"]["rules"]["changed"].size(), 1u);
  EXPECT_EQ(review["diff"]["rules"]["changed"][0]["id"], "genome-data-over-500");
  EXPECT_EQ(review["diff"]["rules"]["changed"][0]["reason"]["en"],
            "Exome or genome data on more than 500 people going abroad needs a security review.");
  const json& changed = review["diff"]["rules"]["changed"][0];
  ASSERT_EQ(changed["conditions_removed"].size(), 1u) << changed.dump();
  ASSERT_EQ(changed["conditions_added"].size(), 1u) << "only the condition that changed";
  EXPECT_EQ(changed["conditions_removed"][0]["field"], "data.genome_people");
  EXPECT_EQ(changed["conditions_removed"][0]["op"], "gt");
  EXPECT_EQ(changed["conditions_removed"][0]["value"], 500);
  EXPECT_EQ(changed["conditions_added"][0]["value"], 1000);
  EXPECT_FALSE(changed.contains("effect_before"));
  EXPECT_EQ(review["analysis"]["unreachable"], json::array());
  EXPECT_EQ(review["shadow"]["requests"], 1);
  ASSERT_EQ(review["shadow"]["changed"].size(), 1u);
  EXPECT_EQ(review["shadow"]["changed"][0]["id"], request);
  EXPECT_EQ(review["shadow"]["changed"][0]["before"]["outcome"], "needs_approval");
  EXPECT_NE(review["shadow"]["changed"][0]["after"]["outcome"], "needs_approval");
  EXPECT_EQ(review["actions"], json({"approve", "reject"}));

  EXPECT_EQ(Act(id, "approve", officer_)["code"], "separation_of_duties");
  auto once = Act(id, "approve", second_officer_, {{"note", "已核对"}});
  ASSERT_EQ(once["_status"], 200) << once.dump();
  EXPECT_EQ(once["state"], "proposed");
  EXPECT_EQ(once["roles_needed"], json({"park_operator"}));
  EXPECT_EQ(Act(id, "approve", second_officer_)["code"], "already_approved");
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/governance/policy", "", member_)["hash"], before)
      << "not in force before the last approval";

  auto active = Act(id, "approve", operator_);
  ASSERT_EQ(active["_status"], 200) << active.dump();
  EXPECT_EQ(active["state"], "active");
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/governance/policy", "", member_)["hash"], active["hash"]);
  auto list = env_.CallJson("GET", "/api/v1/governance/policies", "", officer_);
  EXPECT_EQ(list["items"][1]["state"], "superseded");
  EXPECT_EQ(Act(id, "reject", operator_, {{"reason", "太晚"}})["code"], "not_proposed");

  // The proposal, both approvals and the activation are in the ledger, which verifies.
  ASSERT_TRUE(env_.app().ledger().Integrate().ok());
  auto entries = env_.CallJson(
      "GET", "/api/v1/ledger/entries?subject=" + active["hash"].get<std::string>(), "", officer_);
  std::vector<std::string> kinds;
  for (const auto& entry : entries["items"]) kinds.insert(kinds.begin(), entry["kind"]);
  EXPECT_EQ(kinds, (std::vector<std::string>{"policy_proposed", "policy_approved",
                                             "policy_approved", "policy_activated"}));
  EXPECT_TRUE(VerifyLedger(env_.app().database(), env_.app().ledger().verifier())->intact());
}

TEST_F(PolicyVersionTest, RequestsPendingUnderTheOldVersionAreDecidedAgainByTheNewOne) {
  std::string request = SubmittedGenomeRequest();
  auto pending = env_.CallJson("GET", "/api/v1/governance/requests/" + request, "", officer_);
  auto approved_once =
      env_.CallJson("POST", "/api/v1/governance/requests/" + request + "/approve",
                    json{{"content_hash", pending["content_hash"]}}.dump(), officer_);
  ASSERT_EQ(approved_once["state"], "pending_approval") << approved_once.dump();
  std::string id = Propose(Loosened(), officer_)["id"];
  auto review = env_.CallJson("GET", "/api/v1/governance/policies/" + id, "", operator_);
  json predicted = review["shadow"]["changed"][0]["after"]["outcome"];
  EXPECT_EQ(*env_.app().flow_requests().RedecidePending(), 0)
      << "nothing changes while the old version is in force";

  ASSERT_EQ(Act(id, "approve", second_officer_)["state"], "proposed");
  auto active = Act(id, "approve", operator_);
  ASSERT_EQ(active["state"], "active") << active.dump();

  auto after = env_.CallJson("GET", "/api/v1/governance/requests/" + request, "", member_);
  EXPECT_EQ(after["policy_hash"], active["hash"]);
  EXPECT_EQ(after["decision"]["outcome"], predicted) << "what the review's shadow run foretold";
  EXPECT_EQ(after["state"], "refused") << after.dump();
  EXPECT_EQ(after["history"].back()["from"], "pending_approval");
  EXPECT_FALSE(after["approvals"][0]["current"]) << "bound to the old version";
  auto notices = env_.CallJson("GET", "/api/v1/notifications", "", member_);
  ASSERT_GE(notices["items"].size(), 1u) << notices.dump();
  EXPECT_EQ(notices["items"][0]["kind"], "flow_redecided");
  EXPECT_EQ(notices["items"][0]["params"]["state"], "refused");
  EXPECT_EQ(*env_.app().flow_requests().RedecidePending(), 0) << "once";

  ASSERT_TRUE(env_.app().ledger().Integrate().ok());
  auto entries = env_.CallJson("GET", "/api/v1/ledger/entries?subject=" + request, "", officer_);
  ASSERT_GE(entries["items"].size(), 1u);
  EXPECT_EQ(entries["items"][0]["kind"], "flow_decided");
  EXPECT_EQ(entries["items"][0]["details"]["previous_policy"], pending["policy_hash"])
      << entries["items"][0].dump();
  EXPECT_TRUE(VerifyLedger(env_.app().database(), env_.app().ledger().verifier())->intact());
}

// Going back: the version in force before is proposed again, and needs approvals of its own.
TEST_F(PolicyVersionTest, ASupersededVersionCanBeProposedAgainAndStartsAFreshRound) {
  std::string original =
      env_.CallJson("GET", "/api/v1/governance/policies", "", officer_)["items"][0]["id"];
  EXPECT_EQ(Propose(std::string(BuiltInPolicyToml()), officer_)["code"], "already_proposed")
      << "the version in force";
  std::string loosened = Propose(Loosened(), officer_)["id"];
  ASSERT_EQ(Act(loosened, "approve", second_officer_)["state"], "proposed");
  ASSERT_EQ(Act(loosened, "approve", operator_)["state"], "active");

  auto again = Propose(std::string(BuiltInPolicyToml()), second_officer_);
  ASSERT_EQ(again["_status"], 201) << again.dump();
  EXPECT_EQ(again["id"], original) << "the same version, by its hash";
  EXPECT_EQ(again["state"], "proposed");
  EXPECT_EQ(again["approvals"], json::array()) << "its first round's approvals do not count";
  EXPECT_EQ(again["roles_needed"], json({"compliance_officer", "park_operator"}));
  EXPECT_EQ(Act(original, "approve", officer_)["state"], "proposed");
  auto back = Act(original, "approve", operator_);
  ASSERT_EQ(back["state"], "active") << back.dump();
  EXPECT_EQ(back["approvals"].size(), 2u);
  auto list = env_.CallJson("GET", "/api/v1/governance/policies", "", officer_);
  int active = 0;
  for (const auto& version : list["items"]) active += version["state"] == "active";
  EXPECT_EQ(active, 1);
  EXPECT_TRUE(VerifyLedger(env_.app().database(), env_.app().ledger().verifier())->intact());
}

TEST_F(PolicyVersionTest, ARejectedVersionSaysWhyAndNeverComesIntoForce) {
  std::string id = Propose(Loosened(), officer_)["id"];
  auto unexplained = Act(id, "reject", operator_, {{"reason", " "}});
  EXPECT_EQ(unexplained["_status"], 422);
  EXPECT_EQ(unexplained["errors"][0]["field"], "reason");
  EXPECT_EQ(Act(id, "reject", member_, {{"reason", "不妥"}})["_status"], 403);
  auto rejected = Act(id, "reject", operator_, {{"reason", "门槛不得放宽"}});
  ASSERT_EQ(rejected["_status"], 200) << rejected.dump();
  EXPECT_EQ(rejected["state"], "rejected");
  EXPECT_EQ(rejected["reject_reason"], "门槛不得放宽");
  EXPECT_EQ(Act(id, "approve", second_officer_)["code"], "not_proposed");
  auto reconsidered = Propose(Loosened(), second_officer_);
  EXPECT_EQ(reconsidered["state"], "proposed") << "a rejected version may be proposed again";
  EXPECT_EQ(reconsidered["reject_reason"], nullptr) << reconsidered.dump();
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/governance/policies/" + std::string(64, '0'), "",
                          officer_)["_status"],
            404);
}

}  // namespace
}  // namespace parkhub::governance
