#include "governance/flow_requests.h"

#include <gtest/gtest.h>

#include <set>

#include "governance/audit_verifier.h"
#include "support/test_app.h"

namespace parkhub::governance {
namespace {

using nlohmann::json;
using testing::Caller;
using testing::TestApp;

class FlowRequestTest : public ::testing::Test {
 protected:
  FlowRequestTest() : clock_(*ParseUtc("2026-06-01T08:00:00Z")), env_({}, &clock_) {
    env_.LoadFixture();
    member_ = env_.UserWith("alice", "member", env_.ids["A"]);
    outsider_ = env_.UserWith("bob", "member", env_.ids["B"]);
    officer_ = env_.UserWith("officer", "compliance_officer", env_.ids["park"]);
    second_officer_ = env_.UserWith("officer2", "compliance_officer", env_.ids["park"]);
    own_officer_ = env_.UserWith("a_officer", "compliance_officer", env_.ids["A"]);
    operator_ = env_.UserWith("operator", "park_operator", env_.ids["park"]);
  }

  json Draft(const std::string& kind, const json& facts, const json& details = json::object()) {
    json body = {{"organisation", env_.ids["A"]},
                 {"kind", kind},
                 {"title", "样本运送"},
                 {"facts", facts},
                 {"details", details}};
    return env_.CallJson("POST", "/api/v1/governance/requests", body.dump(), member_);
  }

  json Act(const std::string& id, const std::string& action, const Caller& as,
           const json& body = json::object()) {
    return env_.CallJson("POST", "/api/v1/governance/requests/" + id + "/" + action, body.dump(),
                         as);
  }

  json GenomeDraft() {
    return Draft("data",
                 {{"direction", "to_hong_kong"},
                  {"data",
                   {{"category", "hgr_information"},
                    {"personal_information", true},
                    {"important", false},
                    {"genome_people", 800}}}},
                 {{"purpose", "联合队列研究"}, {"recipient", "香港合作实验室"}});
  }

  std::vector<std::string> LedgerKinds(const std::string& id) {
    EXPECT_TRUE(env_.app().ledger().Integrate().ok());
    auto entries = env_.CallJson("GET", "/api/v1/ledger/entries?subject=" + id, "", officer_);
    std::vector<std::string> kinds;
    for (const auto& entry : entries["items"]) kinds.insert(kinds.begin(), entry["kind"]);
    return kinds;
  }

  ManualClock clock_;
  TestApp env_;
  Caller member_, outsider_, officer_, second_officer_, own_officer_, operator_;
};

TEST_F(FlowRequestTest, ASampleOfUnknownRiskIsRefusedWithItsReason) {
  auto draft = Draft("material",
                     {{"direction", "to_hong_kong"},
                      {"line", "first"},
                      {"channel", "cargo"},
                      {"material",
                       {{"class", "pathogen"},
                        {"risk_grade", "unknown"},
                        {"hgr", false},
                        {"bonded", false},
                        {"hand_carried", false}}}},
                     {{"description", "未鉴定的分离株"}, {"quantity_unit", "管"}});
  ASSERT_EQ(draft["_status"], 201) << draft.dump();
  EXPECT_EQ(draft["state"], "draft");
  EXPECT_EQ(draft["organisation"]["id"], env_.ids["A"]);
  EXPECT_EQ(draft["decision"]["outcome"], "deny") << "a draft carries its dry run";
  EXPECT_EQ(draft["actions"], json({"edit", "submit", "withdraw"}));
  std::string id = draft["id"];

  auto decided = Act(id, "submit", member_);
  ASSERT_EQ(decided["_status"], 200) << decided.dump();
  EXPECT_EQ(decided["state"], "refused");
  EXPECT_EQ(decided["decision"]["rules"][0]["code"], "unknown_risk_pathogen");
  EXPECT_EQ(decided["decision"]["rules"][0]["reason"]["zh_hans"],
            "风险未知的病原微生物不适用便利措施，不得出入境。");
  EXPECT_EQ(decided["decision"]["rules"][0]["cites"], "海关总署 署贸函〔2024〕236号 第二条");
  EXPECT_EQ(decided["policy_hash"], (*env_.app().policy_versions().Active())->hash());
  ASSERT_EQ(decided["history"].size(), 3u);
  EXPECT_EQ(decided["history"][2]["to"], "refused");
  EXPECT_EQ(Act(id, "submit", member_)["code"], "invalid_transition");
  EXPECT_EQ(LedgerKinds(id), std::vector<std::string>{"flow_decided"});
  EXPECT_TRUE(VerifyLedger(env_.app().database(), env_.app().ledger().verifier())->intact());
}

TEST_F(FlowRequestTest, GenomeDataNeedsTwoDistinctRolesOutsideTheRequesterAndGetsThem) {
  std::string id = GenomeDraft()["id"];
  auto pending = Act(id, "submit", member_);
  ASSERT_EQ(pending["state"], "pending_approval") << pending.dump();
  EXPECT_EQ(pending["decision"]["approvals"]["roles"],
            json({"compliance_officer", "park_operator"}));
  EXPECT_EQ(pending["due_at"], "2026-06-06T08:00:00Z");
  std::string hash = pending["content_hash"];

  auto queue = env_.CallJson("GET", "/api/v1/governance/requests?view=queue", "", officer_);
  ASSERT_EQ(queue["total"], 1) << queue.dump();
  EXPECT_EQ(queue["items"][0]["actions"], json({"approve", "reject"}));
  EXPECT_EQ(
      env_.CallJson("GET", "/api/v1/governance/requests?view=queue", "", own_officer_)["total"], 0);

  EXPECT_EQ(Act(id, "approve", member_, {{"content_hash", hash}})["code"], "separation_of_duties");
  EXPECT_EQ(Act(id, "approve", own_officer_, {{"content_hash", hash}})["code"],
            "separation_of_duties");
  EXPECT_EQ(Act(id, "approve", outsider_, {{"content_hash", hash}})["_status"], 404);
  EXPECT_EQ(Act(id, "approve", officer_, {{"content_hash", "sha256:00"}})["code"],
            "content_changed");
  EXPECT_EQ(Act(id, "approve", officer_, json::object())["_status"], 422);

  auto first = Act(id, "approve", officer_, {{"content_hash", hash}, {"note", "已核对"}});
  ASSERT_EQ(first["_status"], 200) << first.dump();
  EXPECT_EQ(first["state"], "pending_approval") << "one of two roles";
  EXPECT_EQ(first["approvals"][0]["role"], "compliance_officer");
  EXPECT_EQ(Act(id, "approve", officer_, {{"content_hash", hash}})["code"], "already_approved");
  EXPECT_EQ(Act(id, "approve", second_officer_, {{"content_hash", hash}})["code"], "role_filled");
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/governance/requests?view=queue", "", officer_)["total"],
            0);

  auto approved = Act(id, "approve", operator_, {{"content_hash", hash}});
  ASSERT_EQ(approved["state"], "approved") << approved.dump();
  EXPECT_EQ(approved["valid_until"], "2026-08-30T08:00:00Z");
  EXPECT_EQ(approved["actions"], json::array()) << "the operator has nothing left to do";
  EXPECT_EQ(LedgerKinds(id),
            (std::vector<std::string>{"flow_decided", "flow_approved", "flow_approved"}));

  auto used = Act(id, "use", member_, {{"quantity", 1}, {"crossed_at", "2026-06-03T10:00:00Z"}});
  ASSERT_EQ(used["state"], "used") << used.dump();
  EXPECT_EQ(used["used_quantity"], 1.0);
}

TEST_F(FlowRequestTest, ARejectionNeedsAReasonAndEndsTheRequest) {
  std::string id = GenomeDraft()["id"];
  std::string hash = Act(id, "submit", member_)["content_hash"];
  EXPECT_EQ(Act(id, "reject", operator_, {{"content_hash", hash}})["_status"], 422);
  auto rejected = Act(id, "reject", operator_, {{"content_hash", hash}, {"reason", "未备案"}});
  ASSERT_EQ(rejected["state"], "refused") << rejected.dump();
  EXPECT_EQ(rejected["history"].back()["note"], "未备案");
  EXPECT_EQ(LedgerKinds(id), (std::vector<std::string>{"flow_decided", "flow_rejected"}));
}

TEST_F(FlowRequestTest, ADraftSaysWhatItLacksAndBadInputIsRefusedWithNothingWritten) {
  auto draft = Draft("material", {{"direction", "to_mainland"}});
  ASSERT_EQ(draft["_status"], 201) << draft.dump();
  std::set<std::string> missing;
  for (const auto& field : draft["decision"]["missing"]) missing.insert(field["field"]);
  EXPECT_TRUE(missing.count("material.class")) << draft.dump();
  EXPECT_TRUE(missing.count("channel"));

  auto bad = Draft("material", {{"material", {{"class", "uranium"}}}, {"kind", "data"}},
                   {{"colour", "red"}});
  ASSERT_EQ(bad["_status"], 422) << bad.dump();
  std::set<std::string> fields;
  for (const auto& error : bad["errors"]) fields.insert(error["field"]);
  EXPECT_EQ(fields, (std::set<std::string>{"facts.kind", "details.colour"})) << bad.dump();
  auto bad_value = Draft("material", {{"material", {{"class", "uranium"}}}});
  ASSERT_EQ(bad_value["_status"], 422);
  EXPECT_EQ(bad_value["errors"][0]["field"], "facts.material.class");

  json foreign = {{"organisation", env_.ids["B"]}, {"kind", "data"}, {"title", "x"}};
  EXPECT_EQ(
      env_.CallJson("POST", "/api/v1/governance/requests", foreign.dump(), member_)["_status"],
      403);
  std::string id = draft["id"];
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/governance/requests/" + id, "", outsider_)["_status"],
            404);
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/governance/requests/" + id, "", officer_)["_status"], 404)
      << "a draft is its organisation's own";
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/governance/requests", "", officer_)["total"], 0);
  auto mine = env_.CallJson("GET", "/api/v1/governance/requests", "", member_);
  EXPECT_EQ(mine["total"], 1) << "nothing refused was written";
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/governance/requests", "", outsider_)["total"], 0);

  json edit = {
      {"title", "试剂运入"},
      {"facts",
       {{"direction", "to_mainland"},
        {"line", "first"},
        {"channel", "cargo"},
        {"material",
         {{"class", "reagent"}, {"hgr", false}, {"bonded", false}, {"hand_carried", false}}}}}};
  auto edited = env_.CallJson("PUT", "/api/v1/governance/requests/" + id, edit.dump(), member_);
  ASSERT_EQ(edited["_status"], 200) << edited.dump();
  EXPECT_NE(edited["content_hash"], draft["content_hash"]);
  EXPECT_TRUE(edited["decision"]["missing"].empty()) << edited.dump();
  EXPECT_EQ(Act(id, "withdraw", member_)["state"], "withdrawn");
  EXPECT_EQ(env_.CallJson("PUT", "/api/v1/governance/requests/" + id, edit.dump(), member_)["code"],
            "not_draft");
}

TEST_F(FlowRequestTest, AnApprovalUnusedUntilItsEndExpires) {
  std::string id = GenomeDraft()["id"];
  std::string hash = Act(id, "submit", member_)["content_hash"];
  Act(id, "approve", officer_, {{"content_hash", hash}});
  ASSERT_EQ(Act(id, "approve", operator_, {{"content_hash", hash}})["state"], "approved");
  EXPECT_EQ(*env_.app().flow_requests().ExpireDue(), 0);
  clock_.Advance(std::chrono::hours(24 * 91));
  member_ = env_.Login("alice", "password-123");  // the sessions ended meanwhile
  officer_ = env_.Login("officer", "password-123");
  auto late = Act(id, "use", member_, {{"quantity", 1}, {"crossed_at", "2026-09-01T00:00:00Z"}});
  ASSERT_EQ(late["_status"], 422) << late.dump();
  EXPECT_EQ(late["errors"][0]["field"], "crossed_at");
  EXPECT_EQ(*env_.app().flow_requests().ExpireDue(), 1);
  auto expired = env_.CallJson("GET", "/api/v1/governance/requests/" + id, "", member_);
  EXPECT_EQ(expired["state"], "expired");
  EXPECT_EQ(LedgerKinds(id).back(), "flow_expired");
}

// The notices of `kind` in the inbox of `as`.
std::vector<json> Notices(TestApp& env, const Caller& as, const std::string& kind) {
  std::vector<json> found;
  json inbox = env.CallJson("GET", "/api/v1/notifications", "", as);
  for (const json& notice : inbox["items"]) {
    if (notice["kind"] == kind) found.push_back(notice);
  }
  return found;
}

TEST_F(FlowRequestTest, ApproversStillNeededAreRemindedOnceADayBeforeTheDeadline) {
  std::string id = GenomeDraft()["id"];
  ASSERT_EQ(Act(id, "submit", member_)["due_at"], "2026-06-06T08:00:00Z");
  FlowRequestService& flows = env_.app().flow_requests();
  EXPECT_EQ(*flows.RemindDueApprovals(), 0) << "five days ahead";
  clock_.Advance(std::chrono::hours(4 * 24 + 1));
  // Both compliance officers of the park and its operator; never the hospital's own officer.
  EXPECT_EQ(*flows.RemindDueApprovals(), 3);
  EXPECT_EQ(*flows.RemindDueApprovals(), 0) << "once per deadline";
  auto notices = Notices(env_, operator_, "flow_approval_due");
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0]["params"]["request_id"], id);
  EXPECT_EQ(notices[0]["params"]["due_at"], "2026-06-06T08:00:00Z");
  EXPECT_FALSE(notices[0]["params"]["organization_name_zh_hans"].get<std::string>().empty());
  EXPECT_TRUE(Notices(env_, own_officer_, "flow_approval_due").empty());
  EXPECT_TRUE(Notices(env_, member_, "flow_approval_due").empty());
}

TEST_F(FlowRequestTest, ComplianceOfficersAreToldOnceOfAnEntryLapsingWithin30Days) {
  auto add = [&](const std::string& until) {
    json body = {{"list", "organisation"},
                 {"subject", env_.ids["A"]},
                 {"kinds", {"material"}},
                 {"valid_from", "2026-01-01T00:00:00Z"},
                 {"valid_until", until},
                 {"authority", "深圳海关"},
                 {"document", "深关〔2026〕示例1号"}};
    auto added = env_.CallJson("POST", "/api/v1/governance/whitelist", body.dump(), officer_);
    EXPECT_EQ(added["_status"], 201) << added.dump();
  };
  add("2026-06-21T00:00:00Z");
  add("2026-08-01T00:00:00Z");
  GovernanceService& governance = env_.app().governance();
  // Three compliance officers, told of the entry lapsing in 20 days and not yet of the other.
  EXPECT_EQ(*governance.RemindExpiringEntries(), 3);
  EXPECT_EQ(*governance.RemindExpiringEntries(), 0);
  auto notices = Notices(env_, officer_, "whitelist_expiring");
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0]["params"]["ends_at"], "2026-06-21T00:00:00Z");
  EXPECT_EQ(notices[0]["params"]["list"], "organisation");
  EXPECT_FALSE(notices[0]["params"]["organization_name_en"].get<std::string>().empty());
  EXPECT_TRUE(Notices(env_, member_, "whitelist_expiring").empty());
  clock_.Advance(std::chrono::hours(32 * 24));
  EXPECT_EQ(*governance.RemindExpiringEntries(), 3);
}

TEST_F(FlowRequestTest, AVisitsApprovalLastsUntilItsLastDayInTheParksZone) {
  json facts = {
      {"direction", "to_hong_kong"}, {"channel", "bus"}, {"personnel", {{"pre_registered", true}}}};
  auto backwards =
      Draft("personnel", facts, {{"from_date", "2026-06-10"}, {"until_date", "2026-06-01"}});
  EXPECT_EQ(backwards["_status"], 422);
  EXPECT_EQ(backwards["errors"][0]["field"], "details.until_date");
  EXPECT_EQ(backwards["errors"][0]["code"], "not_after");
  auto unreadable = Draft("personnel", facts, {{"from_date", "10/06/2026"}});
  EXPECT_EQ(unreadable["errors"][0]["code"], "bad_format") << unreadable.dump();

  auto draft =
      Draft("personnel", facts, {{"from_date", "2026-06-10"}, {"until_date", "2026-06-12"}});
  ASSERT_EQ(draft["_status"], 201) << draft.dump();
  std::string id = draft["id"];
  auto pending = Act(id, "submit", member_);
  ASSERT_EQ(pending["state"], "pending_approval") << pending["decision"].dump();
  auto approved = Act(id, "approve", officer_, {{"content_hash", pending["content_hash"]}});
  ASSERT_EQ(approved["state"], "approved") << approved.dump();
  EXPECT_EQ(approved["valid_until"], "2026-06-12T15:59:59Z") << "23:59:59 in Shenzhen";
}

}  // namespace
}  // namespace parkhub::governance
