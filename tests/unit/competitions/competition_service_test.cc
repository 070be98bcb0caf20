#include "competitions/competition_service.h"

#include <gtest/gtest.h>

#include "support/test_app.h"

namespace parkhub::competitions {
namespace {

using identity::Principal;
using nlohmann::json;
using testing::TestApp;

std::vector<std::string> Fields(const Status& status) {
  std::vector<std::string> out;
  for (const FieldError& e : status.field_errors()) out.push_back(e.field + ":" + e.code);
  return out;
}

class CompetitionServiceTest : public ::testing::Test {
 protected:
  CompetitionServiceTest() : clock_(*ParseUtc("2026-03-01T02:00:00Z")), env_({}, &clock_) {
    env_.LoadFixture();
    coordinator_ = env_.PrincipalWith("coordinator", "park_operator", "park");
    entrant_ = env_.PrincipalWith("ellen", "org_admin", "E");
    other_ = env_.PrincipalWith("bob", "member", "B");
    alice_ = env_.UserWith("alice", "member", env_.ids["A"]);
  }

  CompetitionService& service() { return env_.app().competitions(); }

  EditionInput Edition2026() {
    EditionInput input;
    input.organiser = env_.ids["park"];
    input.year = 2026;
    input.names = {"2026年创新创业大赛", "2026年創新創業大賽", "Innovation Competition 2026"};
    input.entries_close_on = "2026-04-30";
    input.groups = CompetitionService::DefaultGroups();
    return input;
  }

  EntryInput EnterpriseEntry(const std::string& edition) {
    EntryInput input;
    input.edition = edition;
    input.group = "enterprise";
    input.organisation = env_.ids["E"];
    input.title = "固态电池隔膜";
    input.summary = "一种陶瓷涂层隔膜";
    input.facts = {{"revenue_cny", 80000000}, {"listed", false}, {"earlier_wins", 0}};
    return input;
  }

  std::string PublishedListingOfA(const std::string& title) {
    json listing = {{"kind", "result"},
                    {"owner_id", env_.ids["A"]},
                    {"title", title},
                    {"summary", "成果"},
                    {"visibility", "public"},
                    {"people", {"Chen Jing", "李伟"}},
                    {"details", {{"transfer_modes", {"licence"}}, {"negotiable", true}}}};
    auto created = env_.CallJson("POST", "/api/v1/exchange/listings", listing.dump(), alice_);
    EXPECT_EQ(created["_status"], 201) << created.dump();
    std::string id = created.value("id", "");
    env_.CallJson("POST", "/api/v1/exchange/listings/" + id + "/publish", "{}", alice_);
    return id;
  }

  ManualClock clock_;
  TestApp env_;
  Principal coordinator_, entrant_, other_;
  testing::Caller alice_;
};

TEST_F(CompetitionServiceTest, AParksOperatorSetsUpAnEditionWithTheNationalGroups) {
  auto edition = service().CreateEdition(coordinator_, Edition2026());
  ASSERT_TRUE(edition.ok()) << edition.status().ToString();
  EXPECT_EQ(edition->state, "open");
  EXPECT_EQ(edition->entries_close_at, "2026-04-30T15:59:59Z") << "midnight in Shenzhen";
  ASSERT_EQ(edition->groups.size(), 2u);
  EXPECT_EQ(edition->groups[1].key, "enterprise");
  EXPECT_EQ(edition->groups[1].criteria.size(), 5u) << "enterprises are also scored on finance";
  EXPECT_EQ(edition->actions, std::vector<std::string>{"manage"});
  auto listed = service().ListEditions(entrant_);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].actions, std::vector<std::string>{"enter"});

  auto again = service().CreateEdition(coordinator_, Edition2026());
  EXPECT_EQ(Fields(again.status()), std::vector<std::string>{"year:duplicate"});
}

TEST_F(CompetitionServiceTest, OnlyTheParksOperatorsSetUpAndBadSettingsAreNamed) {
  EXPECT_EQ(service().CreateEdition(entrant_, Edition2026()).status().code(),
            ErrorCode::kPermissionDenied);
  EditionInput not_a_park = Edition2026();
  not_a_park.organiser = env_.ids["A"];
  EXPECT_EQ(Fields(service().CreateEdition(coordinator_, not_a_park).status()),
            std::vector<std::string>{"organiser:not_a_park"});

  EditionInput bad = Edition2026();
  bad.names.zh_hant = "";
  bad.entries_close_on = "2026-02-30";
  bad.groups[0].criteria[0].weight = 35;
  bad.groups[1].scale = {10, 0, 0};
  bad.groups[1].form.rules.push_back({"revenue_cny", "within_years", 5});
  EXPECT_EQ(
      Fields(service().CreateEdition(coordinator_, bad).status()),
      (std::vector<std::string>{
          "names.zh_hant:required", "entries_close_on:bad_format", "groups[0].criteria:weights_sum",
          "groups[1].form.rules[3].op:not_one_of", "groups[1].scale:out_of_range"}));
  auto listed = service().ListEditions(coordinator_);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty()) << "nothing was written";
}

TEST_F(CompetitionServiceTest, AnEligibleEntryIsTakenAndAnIneligibleOneSaysWhy) {
  auto edition = service().CreateEdition(coordinator_, Edition2026());
  ASSERT_TRUE(edition.ok());
  auto entry = service().SubmitEntry(entrant_, EnterpriseEntry(edition->id));
  ASSERT_TRUE(entry.ok()) << entry.status().ToString();
  EXPECT_EQ(entry->state, "submitted");
  EXPECT_EQ(entry->actions, std::vector<std::string>{"withdraw"});

  EntryInput big = EnterpriseEntry(edition->id);
  big.facts = {{"revenue_cny", 300000000}, {"listed", true}, {"earlier_wins", 1}};
  EXPECT_EQ(
      Fields(service().SubmitEntry(entrant_, big).status()),
      (std::vector<std::string>{"facts.revenue_cny:not_eligible", "facts.listed:not_eligible"}));

  EntryInput team = EnterpriseEntry(edition->id);
  team.group = "team";
  team.facts = {{"leader_graduation_year", 2024}, {"core_members", 3}};
  team.team = {env_.ids["B"], {{"王芳", "leader"}, {"赵磊", "core"}, {"周敏", "core"}}};
  EXPECT_TRUE(service().SubmitEntry(entrant_, team).ok());
  team.team.members[0].role = "core";
  team.team.university = env_.ids["E"];
  EXPECT_EQ(
      Fields(service().SubmitEntry(entrant_, team).status()),
      (std::vector<std::string>{"team.members:one_leader", "team.university:unknown_reference"}));

  EXPECT_EQ(service().SubmitEntry(other_, EnterpriseEntry(edition->id)).status().code(),
            ErrorCode::kPermissionDenied)
      << "an organisation's own members enter it";
}

TEST_F(CompetitionServiceTest, AnEntryStandsOnItsOrganisationsOwnListings) {
  auto edition = service().CreateEdition(coordinator_, Edition2026());
  ASSERT_TRUE(edition.ok());
  std::string listing = PublishedListingOfA("高导热石墨烯薄膜");
  EntryInput borrowed = EnterpriseEntry(edition->id);
  borrowed.listings = {listing, "lst-missing"};
  EXPECT_EQ(
      Fields(service().SubmitEntry(entrant_, borrowed).status()),
      (std::vector<std::string>{"listings[0]:not_own_listing", "listings[1]:unknown_reference"}));

  Principal alice = env_.PrincipalWith("alice2", "member", "A");
  EntryInput own = EnterpriseEntry(edition->id);
  own.organisation = env_.ids["A"];
  own.listings = {listing};
  auto entry = service().SubmitEntry(alice, own);
  ASSERT_TRUE(entry.ok()) << entry.status().ToString();
  ASSERT_EQ(entry->listings.size(), 1u);
  EXPECT_EQ(entry->listings[0].title, "高导热石墨烯薄膜");
  EXPECT_EQ(entry->listings[0].people, (std::vector<std::string>{"Chen Jing", "李伟"}));
}

TEST_F(CompetitionServiceTest, EntriesCloseAtTheEndOfTheClosingDayInShenzhen) {
  auto edition = service().CreateEdition(coordinator_, Edition2026());
  ASSERT_TRUE(edition.ok());
  auto entry = service().SubmitEntry(entrant_, EnterpriseEntry(edition->id));
  ASSERT_TRUE(entry.ok());
  clock_.Advance(std::chrono::hours(24 * 60) + std::chrono::minutes(13 * 60 + 59));
  EXPECT_EQ(FormatUtc(clock_.Now()), "2026-04-30T15:59:00Z");
  EXPECT_TRUE(service().SubmitEntry(entrant_, EnterpriseEntry(edition->id)).ok());
  clock_.Advance(std::chrono::minutes(1));
  auto late = service().SubmitEntry(entrant_, EnterpriseEntry(edition->id));
  EXPECT_EQ(late.status().reason(), "entries_closed");
  auto withdrawn = service().WithdrawEntry(entrant_, entry->id);
  EXPECT_EQ(withdrawn.status().reason(), "not_withdrawable");
  auto closed = service().GetEdition(entrant_, edition->id);
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->state, "closed");
  EXPECT_TRUE(closed->actions.empty());
}

TEST_F(CompetitionServiceTest, EntrantsSeeTheirOwnEntriesAndCoordinatorsEveryOne) {
  auto edition = service().CreateEdition(coordinator_, Edition2026());
  ASSERT_TRUE(edition.ok());
  auto entry = service().SubmitEntry(entrant_, EnterpriseEntry(edition->id));
  ASSERT_TRUE(entry.ok());
  Principal b_member = env_.PrincipalWith("bea", "member", "B");
  EntryInput b_entry = EnterpriseEntry(edition->id);
  b_entry.organisation = env_.ids["B"];
  b_entry.title = "北大的项目";
  ASSERT_TRUE(service().SubmitEntry(b_member, b_entry).ok());

  EXPECT_EQ(service().ListEntries(coordinator_, edition->id, "")->size(), 2u);
  EXPECT_EQ(service().ListEntries(coordinator_, edition->id, "team")->size(), 0u);
  auto own = service().ListEntries(entrant_, edition->id, "");
  ASSERT_EQ(own->size(), 1u);
  EXPECT_EQ((*own)[0].id, entry->id);
  EXPECT_EQ(service().GetEntry(b_member, entry->id).status().code(), ErrorCode::kNotFound);

  auto withdrawn = service().WithdrawEntry(entrant_, entry->id);
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status().ToString();
  EXPECT_EQ(withdrawn->state, "withdrawn");
  EXPECT_EQ(service().GetEdition(coordinator_, edition->id)->groups[1].entries, 1);
}

}  // namespace
}  // namespace parkhub::competitions
