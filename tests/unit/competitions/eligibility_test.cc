#include "competitions/eligibility.h"

#include <gtest/gtest.h>

namespace parkhub::competitions {
namespace {

std::vector<std::string> Codes(const Status& status) {
  std::vector<std::string> out;
  for (const FieldError& e : status.field_errors()) out.push_back(e.field + ":" + e.code);
  return out;
}

TEST(EligibilityTest, TheTeamGroupTakesARecentGraduateWithThreeCoreMembers) {
  GroupForm team = TeamGroupForm();
  ASSERT_TRUE(CheckGroupForm(team).ok());
  EXPECT_TRUE(
      CheckEntryFacts(team, {{"leader_graduation_year", 2021}, {"core_members", 3}}, 2026).ok());
  Status old = CheckEntryFacts(team, {{"leader_graduation_year", 2020}, {"core_members", 2}}, 2026);
  EXPECT_EQ(Codes(old), (std::vector<std::string>{"facts.leader_graduation_year:not_eligible",
                                                  "facts.core_members:not_eligible"}));
  EXPECT_EQ(old.field_errors()[0].params["op"], "within_years");
  Status future =
      CheckEntryFacts(team, {{"leader_graduation_year", 2027}, {"core_members", 4}}, 2026);
  EXPECT_EQ(Codes(future), (std::vector<std::string>{"facts.leader_graduation_year:not_eligible"}));
}

TEST(EligibilityTest, TheEnterpriseGroupCapsRevenueListingAndEarlierWins) {
  GroupForm enterprise = EnterpriseGroupForm();
  nlohmann::json facts = {{"revenue_cny", 150000000}, {"listed", false}, {"earlier_wins", 2}};
  EXPECT_TRUE(CheckEntryFacts(enterprise, facts, 2026).ok());
  facts = {{"revenue_cny", 250000000.5}, {"listed", true}, {"earlier_wins", 3}};
  EXPECT_EQ(Codes(CheckEntryFacts(enterprise, facts, 2026)),
            (std::vector<std::string>{"facts.revenue_cny:not_eligible", "facts.listed:not_eligible",
                                      "facts.earlier_wins:not_eligible"}));
}

TEST(EligibilityTest, FactsMustFitTheForm) {
  GroupForm enterprise = EnterpriseGroupForm();
  nlohmann::json facts = {{"revenue_cny", "lots"}, {"earlier_wins", 1.5}, {"founded", 2020}};
  EXPECT_EQ(Codes(CheckEntryFacts(enterprise, facts, 2026)),
            (std::vector<std::string>{"facts.founded:unknown_field", "facts.revenue_cny:wrong_type",
                                      "facts.listed:required", "facts.earlier_wins:wrong_type"}));
  EXPECT_EQ(CheckEntryFacts(enterprise, nlohmann::json::array(), 2026).field_errors()[0].field,
            "facts");
}

TEST(EligibilityTest, AFormIsCheckedBeforeItIsKept) {
  GroupForm form = {{{"members", "integer", true}, {"members", "colour", true}},
                    {{"members", "within_years", 5},
                     {"revenue", "at_most", 1},
                     {"members", "at_least", "three"}}};
  EXPECT_EQ(Codes(CheckGroupForm(form)),
            (std::vector<std::string>{"fields[1].key:duplicate", "fields[1].type:not_one_of",
                                      "rules[0].op:not_one_of", "rules[1].fact:unknown_reference",
                                      "rules[2].value:wrong_type"}));
}

TEST(EligibilityTest, AFormRoundTripsThroughJsonAndBadJsonNamesItsPlace) {
  GroupForm team = TeamGroupForm();
  auto back = GroupFormFromJson(GroupFormJson(team), "groups[0].form");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(GroupFormJson(*back), GroupFormJson(team));
  nlohmann::json bad = GroupFormJson(team);
  bad["rules"][0]["fact"] = "age";
  auto refused = GroupFormFromJson(bad, "groups[0].form");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().field_errors()[0].field, "groups[0].form.rules[0].fact");
  EXPECT_FALSE(GroupFormFromJson({{"fields", 3}}, "form").ok());
}

}  // namespace
}  // namespace parkhub::competitions
