// A licence or an assignment across the Shenzhen–Hong Kong border moves technology, so it is
// signed only with an approved technology flow request that names the deal
// (app/cross_border_deals.h joins exchange's deal gate to governance's flow requests).
#include <gtest/gtest.h>

#include "exchange/deal_gate.h"
#include "support/test_app.h"

namespace parkhub::governance {
namespace {

using nlohmann::json;
using testing::Caller;
using testing::TestApp;

class CrossBorderDealTest : public ::testing::Test {
 protected:
  CrossBorderDealTest() {
    env_.LoadFixture();
    alice_ = env_.UserWith("alice", "member", env_.ids["A"]);     // a Hong Kong university
    ellen_ = env_.UserWith("ellen", "org_admin", env_.ids["E"]);  // a Shenzhen enterprise
    bob_ = env_.UserWith("bob", "member", env_.ids["B"]);         // not a party
  }

  // A's result, introduced to E, with a licence deal under negotiation: its introduction's id.
  std::string LicenceFromHongKong() {
    json listing = {{"kind", "result"},
                    {"owner_id", env_.ids["A"]},
                    {"title", "合成气催化部分氧化工艺"},
                    {"summary", "天然气催化部分氧化制合成气"},
                    {"visibility", "public"},
                    {"trl", 6},
                    {"details", {{"transfer_modes", {"licence"}}, {"negotiable", true}}}};
    auto created = env_.CallJson("POST", "/api/v1/exchange/listings", listing.dump(), alice_);
    EXPECT_EQ(created["_status"], 201) << created.dump();
    std::string id = created["id"];
    EXPECT_EQ(Call("POST", "/api/v1/exchange/listings/" + id + "/publish", {}, alice_)["_status"],
              200);
    auto intro = Call("POST", "/api/v1/exchange/introductions",
                      {{"listing_id", id}, {"organization_id", env_.ids["E"]}}, ellen_);
    std::string intro_id = intro["id"];
    Call("POST", "/api/v1/exchange/introductions/" + intro_id + "/accept", {}, alice_);
    auto deal = Call("POST", "/api/v1/exchange/introductions/" + intro_id + "/deal",
                     {{"kind", "licence"}}, ellen_);
    EXPECT_EQ(deal["_status"], 201) << deal.dump();
    return intro_id;
  }

  json Call(const std::string& method, const std::string& path, const json& body,
            const Caller& as) {
    return env_.CallJson(method, path, body.is_null() ? "{}" : body.dump(), as);
  }

  json Sign(const std::string& intro_id) {
    return Call("POST", "/api/v1/exchange/introductions/" + intro_id + "/deal/stage",
                {{"stage", "signed"}}, alice_);
  }

  json TechnologyDraft(const Caller& as, const std::string& org_key, const json& facts,
                       const std::string& deal) {
    return Call("POST", "/api/v1/governance/requests",
                {{"organisation", env_.ids[org_key]},
                 {"kind", "technology"},
                 {"title", "合成气工艺许可"},
                 {"facts", facts},
                 {"details", {{"deal", deal}, {"licence", "普通许可"}}}},
                as);
  }

  TestApp env_;
  Caller alice_, ellen_, bob_;
};

TEST_F(CrossBorderDealTest, ALicenceFromHongKongIsSignedOnlyWithAnApprovedTechnologyRequest) {
  std::string deal = LicenceFromHongKong();
  auto introduction = Call("GET", "/api/v1/exchange/introductions/" + deal, {}, ellen_);
  EXPECT_EQ(introduction["deal"]["cross_border_direction"], "to_mainland") << introduction.dump();
  auto refused = Sign(deal);
  EXPECT_EQ(refused["_status"], 409) << refused.dump();
  EXPECT_EQ(refused["code"], "flow_approval_required");

  json facts = {{"direction", "to_mainland"}, {"technology", {{"export_restricted", false}}}};
  auto stranger = TechnologyDraft(bob_, "B", facts, deal);
  EXPECT_EQ(stranger["_status"], 422);
  EXPECT_EQ(stranger["errors"][0]["field"], "details.deal") << "B is no party to it";
  EXPECT_EQ(stranger["errors"][0]["code"], "unknown_deal");
  auto backwards = TechnologyDraft(alice_, "A", {{"direction", "to_hong_kong"}}, deal);
  EXPECT_EQ(backwards["errors"][0]["field"], "facts.direction") << backwards.dump();
  EXPECT_EQ(backwards["errors"][0]["code"], "contradicts_deal");
  json claimed = facts;
  claimed["technology"]["deal_linked"] = true;
  auto asserted = TechnologyDraft(alice_, "A", claimed, deal);
  EXPECT_EQ(asserted["errors"][0]["field"], "facts.technology.deal_linked") << asserted.dump();
  EXPECT_EQ(asserted["errors"][0]["code"], "not_allowed");

  auto officer = env_.PrincipalWith("officer", "compliance_officer", "park");
  NewWhitelistEntry entry{"organisation",
                          env_.ids["A"],
                          {"technology"},
                          {},
                          {},
                          {},
                          "2026-01-01T00:00:00Z",
                          "2036-01-01T00:00:00Z",
                          "深圳市科技创新局",
                          "深科技〔2026〕示例3号"};
  ASSERT_TRUE(env_.app().governance().AddWhitelistEntry(officer, entry).ok());
  auto draft = TechnologyDraft(alice_, "A", facts, deal);
  ASSERT_EQ(draft["_status"], 201) << draft.dump();
  EXPECT_EQ(draft["deal"]["title"], "合成气催化部分氧化工艺");
  EXPECT_EQ(draft["deal"]["direction"], "to_mainland");
  EXPECT_EQ(draft["decision"]["outcome"], "allow") << draft["decision"].dump();
  EXPECT_EQ(Sign(deal)["code"], "flow_approval_required") << "a draft approves nothing";

  std::string id = draft["id"];
  auto approved = Call("POST", "/api/v1/governance/requests/" + id + "/submit", {}, alice_);
  ASSERT_EQ(approved["state"], "approved") << approved.dump();
  EXPECT_EQ(approved["decision"]["rules"][0]["code"], "technology_whitelist");
  auto signed_deal = Sign(deal);
  EXPECT_EQ(signed_deal["_status"], 200) << signed_deal.dump();
  EXPECT_EQ(signed_deal["deal"]["stage"], "signed");
}

TEST_F(CrossBorderDealTest, WithoutALinkedDealTheTechnologyRuleDoesNotAllow) {
  auto draft = Call(
      "POST", "/api/v1/governance/requests",
      {{"organisation", env_.ids["A"]},
       {"kind", "technology"},
       {"title", "合成气工艺许可"},
       {"facts", {{"direction", "to_mainland"}, {"technology", {{"export_restricted", false}}}}},
       {"details", {{"licence", "普通许可"}}}},
      alice_);
  ASSERT_EQ(draft["_status"], 201) << draft.dump();
  EXPECT_TRUE(draft["deal"].is_null());
  EXPECT_NE(draft["decision"]["outcome"], "allow") << draft["decision"].dump();
}

TEST(CrossBorderDealOf, TechnologyGoesFromWhoeverSuppliesItAndOnlyLicencesAndAssignmentsCount) {
  exchange::DealParties result{"result", "hk-uni", "hong_kong", "sz-firm", "mainland"};
  auto licence = exchange::CrossBorderDealOf("licence", result);
  ASSERT_TRUE(licence);
  EXPECT_EQ(licence->supplier, "hk-uni");
  EXPECT_EQ(licence->recipient, "sz-firm");
  EXPECT_EQ(licence->direction, "to_mainland");
  exchange::DealParties need{"need", "sz-firm", "mainland", "hk-uni", "hong_kong"};
  auto answered = exchange::CrossBorderDealOf("assignment", need);
  ASSERT_TRUE(answered) << "the one who answered a need supplies the technology";
  EXPECT_EQ(answered->supplier, "hk-uni");
  EXPECT_EQ(answered->direction, "to_mainland");
  EXPECT_FALSE(exchange::CrossBorderDealOf("joint_rd", result));
  EXPECT_FALSE(exchange::CrossBorderDealOf("equity", result));
  exchange::DealParties at_home{"result", "sz-uni", "mainland", "sz-firm", "mainland"};
  EXPECT_FALSE(exchange::CrossBorderDealOf("licence", at_home));
  exchange::DealParties abroad{"result", "uk-uni", "foreign", "sz-firm", "mainland"};
  EXPECT_FALSE(exchange::CrossBorderDealOf("licence", abroad)) << "not this border";
}

}  // namespace
}  // namespace parkhub::governance
