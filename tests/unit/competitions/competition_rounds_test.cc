#include <gtest/gtest.h>

#include <set>

#include "competitions/competition_service.h"
#include "registry/registry_service.h"
#include "support/test_app.h"

namespace parkhub::competitions {
namespace {

using identity::Principal;
using nlohmann::json;
using testing::TestApp;

// An edition with three enterprise entries (from E, A and B), four judges in the registry:
// Chen Jing co-authored A's listing, Wang Fang works at B, the other two are free of conflict.
class CompetitionRoundsTest : public ::testing::Test {
 protected:
  CompetitionRoundsTest() : clock_(*ParseUtc("2026-03-01T02:00:00Z")), env_({}, &clock_) {
    env_.LoadFixture();
    coordinator_ = env_.PrincipalWith("coordinator", "park_operator", "park");
    entrant_ = env_.PrincipalWith("ellen", "org_admin", "E");
    EditionInput edition;
    edition.organiser = env_.ids["park"];
    edition.year = 2026;
    edition.names = {"2026年大赛", "2026年大賽", "Competition 2026"};
    edition.entries_close_on = "2026-04-30";
    edition.groups = CompetitionService::DefaultGroups();
    edition_ = service().CreateEdition(coordinator_, edition)->id;

    testing::Caller alice = env_.UserWith("alice", "member", env_.ids["A"]);
    json listing = {{"kind", "result"},
                    {"owner_id", env_.ids["A"]},
                    {"title", "石墨烯薄膜"},
                    {"summary", "成果"},
                    {"visibility", "public"},
                    {"people", {"Chen Jing"}},
                    {"details", {{"transfer_modes", {"licence"}}, {"negotiable", true}}}};
    std::string listing_id =
        env_.CallJson("POST", "/api/v1/exchange/listings", listing.dump(), alice).value("id", "");
    env_.CallJson("POST", "/api/v1/exchange/listings/" + listing_id + "/publish", "{}", alice);

    entries_["E"] = Enter(entrant_, "E", "固态电池隔膜", {});
    entries_["A"] =
        Enter(env_.PrincipalWith("alice2", "member", "A"), "A", "石墨烯散热", {listing_id});
    b_member_ = env_.PrincipalWith("bea", "member", "B");
    entries_["B"] = Enter(b_member_, "B", "智能传感", {});

    judges_ = {{"judge_chen", Person("陈静", "Chen Jing", "")},
               {"judge_wang", Person("王芳", "Wang Fang", env_.ids["B"])},
               {"judge_zhao", Person("赵磊", "Zhao Lei", "")},
               {"judge_zhou", Person("周敏", "Zhou Min", "")}};
    for (const auto& [username, person] : judges_) {
      judge_principals_[username] = env_.PrincipalWith(username);
    }
    RoundInput round;
    round.edition = edition_;
    round.names = {"网评", "網評", "Online review"};
    round.judges_per_entry = 2;
    round.advancement = {{"enterprise", {"top", 2, 0}}, {"team", {"top", 2, 0}}};
    round_ = service().CreateRound(coordinator_, round)->id;
  }

  CompetitionService& service() { return env_.app().competitions(); }

  std::string Enter(const Principal& as, const std::string& org, const std::string& title,
                    const std::vector<std::string>& listings) {
    EntryInput input;
    input.edition = edition_;
    input.group = "enterprise";
    input.organisation = env_.ids[org];
    input.title = title;
    input.facts = {{"revenue_cny", 1000000}, {"listed", false}, {"earlier_wins", 0}};
    input.listings = listings;
    auto entry = service().SubmitEntry(as, input);
    EXPECT_TRUE(entry.ok()) << entry.status().ToString();
    return entry.ok() ? entry->id : "";
  }

  std::string Person(const std::string& zh, const std::string& en,
                     const std::string& organisation) {
    registry::PersonInput input;
    input.name_zh = zh;
    input.name_en = en;
    input.kind = "expert";
    std::vector<registry::AffiliationInput> affiliations;
    if (!organisation.empty())
      affiliations.push_back({organisation, "professor", "2020-01-01", ""});
    auto person = env_.app().registry().CreatePerson(registry::RegistryService::SystemPrincipal(),
                                                     input, affiliations);
    EXPECT_TRUE(person.ok()) << person.status().ToString();
    return person.ok() ? person->id : "";
  }

  void AddAndConfirmJudges() {
    for (const auto& [username, person] : judges_) {
      ASSERT_TRUE(service().AddJudge(coordinator_, round_, username, person, -1).ok());
      ASSERT_TRUE(service().ConfirmJudging(judge_principals_[username], round_).ok());
    }
  }

  std::vector<std::string> JudgesOf(const Round& round, const std::string& entry) {
    for (const auto& [id, judges] : round.assignment) {
      if (id == entry) return judges;
    }
    return {};
  }

  void ScoreAll(const Round& round) {
    for (const auto& [entry, judges] : round.assignment) {
      double base = entry == entries_["A"] ? 9 : entry == entries_["E"] ? 7 : 5;
      for (const std::string& judge : judges) {
        ScoreInput sheet{{{"technology", base},
                          {"business_model", base},
                          {"market", base - 1},
                          {"team", base},
                          {"finance", base - 0.5}},
                         true};
        auto scored = service().Score(judge_principals_[judge], round_, entry, sheet);
        ASSERT_TRUE(scored.ok()) << scored.status().ToString();
      }
    }
  }

  ManualClock clock_;
  TestApp env_;
  Principal coordinator_, entrant_, b_member_;
  std::string edition_, round_;
  std::map<std::string, std::string> entries_;
  std::map<std::string, std::string> judges_;  // username → person
  std::map<std::string, Principal> judge_principals_;
};

TEST_F(CompetitionRoundsTest, AnUnconfirmedJudgeBlocksTheAssignment) {
  for (const auto& [username, person] : judges_) {
    ASSERT_TRUE(service().AddJudge(coordinator_, round_, username, person, -1).ok());
  }
  ASSERT_TRUE(service().ConfirmJudging(judge_principals_["judge_chen"], round_).ok());
  auto refused = service().Assign(coordinator_, round_, 7);
  ASSERT_EQ(refused.status().reason(), "judge_unconfirmed");
  EXPECT_EQ(refused.status().extensions()["judges"],
            json({"judge_wang", "judge_zhao", "judge_zhou"}));
  EXPECT_EQ(service().GetRound(coordinator_, round_)->state, "setup") << "nothing was assigned";
}

TEST_F(CompetitionRoundsTest, ConflictedJudgesAreNeverAssignedAndTheBoardSaysWhy) {
  AddAndConfirmJudges();
  auto round = service().Assign(coordinator_, round_, 7);
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_EQ(round->state, "scoring");
  for (const auto& [entry, judges] : round->assignment) EXPECT_EQ(judges.size(), 2u);
  auto a_judges = JudgesOf(*round, entries_["A"]);
  auto b_judges = JudgesOf(*round, entries_["B"]);
  EXPECT_EQ(std::count(a_judges.begin(), a_judges.end(), "judge_chen"), 0) << "co-author";
  EXPECT_EQ(std::count(b_judges.begin(), b_judges.end(), "judge_wang"), 0) << "works at B";
  std::set<std::string> why;
  for (const JudgeConflict& c : round->conflicts) why.insert(c.judge + ":" + c.kind);
  EXPECT_EQ(why, (std::set<std::string>{"judge_chen:co_author", "judge_wang:affiliated"}));

  auto again = service().Assign(coordinator_, round_, 7);
  EXPECT_EQ(again.status().reason(), "round_assigned");

  auto as_judge = service().GetRound(judge_principals_["judge_zhao"], round_);
  ASSERT_TRUE(as_judge.ok());
  EXPECT_TRUE(as_judge->conflicts.empty()) << "a judge sees only their own assignments";
  ASSERT_EQ(as_judge->judges.size(), 1u);
  EXPECT_TRUE(as_judge->entries.empty()) << "nor which other entries the round has";
  EXPECT_FALSE(round->entries.empty());
  for (const auto& [entry, judges] : as_judge->assignment) {
    EXPECT_EQ(judges, std::vector<std::string>{"judge_zhao"});
  }
  EXPECT_EQ(service().GetRound(entrant_, round_).status().code(), ErrorCode::kNotFound);
}

TEST_F(CompetitionRoundsTest, AnImpossibleAssignmentNamesTheEntryInsteadOfShortChangingIt) {
  EditionInput next;
  next.organiser = env_.ids["park"];
  next.year = 2027;
  next.names = {"2027年大赛", "2027年大賽", "Competition 2027"};
  next.entries_close_on = "2027-04-30";
  next.groups = CompetitionService::DefaultGroups();
  auto edition = service().CreateEdition(coordinator_, next);
  ASSERT_TRUE(edition.ok());
  EntryInput entry;
  entry.edition = edition->id;
  entry.group = "enterprise";
  entry.organisation = env_.ids["B"];
  entry.title = "智能传感二代";
  entry.facts = {{"revenue_cny", 1000000}, {"listed", false}, {"earlier_wins", 0}};
  auto made = service().SubmitEntry(b_member_, entry);
  ASSERT_TRUE(made.ok());
  RoundInput strict;
  strict.edition = edition->id;
  strict.names = {"复评", "複評", "Second review"};
  strict.judges_per_entry = 4;  // four judges, but one works at B
  auto round = service().CreateRound(coordinator_, strict);
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  for (const auto& [username, person] : judges_) {
    ASSERT_TRUE(service().AddJudge(coordinator_, round->id, username, person, -1).ok());
    ASSERT_TRUE(service().ConfirmJudging(judge_principals_[username], round->id).ok());
  }
  AssignmentProblemReport report;
  auto impossible = service().Assign(coordinator_, round->id, 1, &report);
  ASSERT_EQ(impossible.status().reason(), "assignment_impossible");
  EXPECT_EQ(report.code, "too_few_judges");
  EXPECT_EQ(report.entries, std::vector<std::string>{made->id});
  EXPECT_EQ(report.available, 3);
  EXPECT_EQ(service().GetRound(coordinator_, round->id)->state, "setup");
}

TEST_F(CompetitionRoundsTest, SheetsAreSignedOffAndTheRuleBreakingOnesRefused) {
  AddAndConfirmJudges();
  auto round = service().Assign(coordinator_, round_, 7);
  ASSERT_TRUE(round.ok());
  std::string entry = entries_["E"];
  std::string judge = JudgesOf(*round, entry)[0];
  Principal& as = judge_principals_[judge];
  auto draft = service().Score(as, round_, entry, {{{"technology", 8}}, false});
  ASSERT_TRUE(draft.ok()) << "a draft may be partial";
  auto queue = service().Queue(as, round_);
  ASSERT_TRUE(queue.ok());
  bool found = false;
  for (const QueueItem& item : *queue) {
    if (item.entry != entry) continue;
    found = true;
    EXPECT_EQ(item.scores.at("technology"), 8);
    EXPECT_FALSE(item.final);
  }
  EXPECT_TRUE(found);

  auto incomplete = service().Score(as, round_, entry, {{{"technology", 8}}, true});
  ASSERT_FALSE(incomplete.ok());
  EXPECT_EQ(incomplete.status().field_errors()[0].field, "scores.business_model");
  auto off_scale = service().Score(
      as, round_, entry,
      {{{"technology", 11}, {"business_model", 7.3}, {"market", 7}, {"team", 7}, {"finance", 7}},
       true});
  std::vector<std::string> bad;
  for (const FieldError& e : off_scale.status().field_errors())
    bad.push_back(e.field + ":" + e.code);
  EXPECT_EQ(bad, (std::vector<std::string>{"scores.technology:out_of_range",
                                           "scores.business_model:off_scale_step"}));
  ScoreInput good{
      {{"technology", 8}, {"business_model", 7.5}, {"market", 7}, {"team", 7}, {"finance", 7}},
      true};
  ASSERT_TRUE(service().Score(as, round_, entry, good).ok());
  EXPECT_EQ(service().Score(as, round_, entry, good).status().reason(), "sheet_signed_off");

  std::string outsider;
  for (const auto& [username, person] : judges_) {
    auto judges = JudgesOf(*round, entry);
    if (std::find(judges.begin(), judges.end(), username) == judges.end()) outsider = username;
  }
  EXPECT_EQ(service().Score(judge_principals_[outsider], round_, entry, good).status().code(),
            ErrorCode::kNotFound);
}

TEST_F(CompetitionRoundsTest, APublishedLeaderboardIsFrozenAnonymisedAndReplayedFromItsEvents) {
  AddAndConfirmJudges();
  auto round = service().Assign(coordinator_, round_, 7);
  ASSERT_TRUE(round.ok());
  ScoreAll(*round);
  EXPECT_EQ(service().Leaderboard(entrant_, round_).status().code(), ErrorCode::kNotFound)
      << "entrants wait for publication";
  EXPECT_EQ(service().Publish(coordinator_, round_).status().reason(), "round_not_closed");
  ASSERT_TRUE(service().Close(coordinator_, round_).ok());
  auto published = service().Publish(coordinator_, round_);
  ASSERT_TRUE(published.ok()) << published.status().ToString();

  auto board = service().Leaderboard(coordinator_, round_);
  ASSERT_TRUE(board.ok());
  const json& enterprise = (*board)["groups"][1];
  ASSERT_EQ(enterprise["standings"].size(), 3u);
  EXPECT_EQ(enterprise["standings"][0]["entry"], entries_["A"]);
  EXPECT_EQ(enterprise["standings"][0]["advances"], true);
  EXPECT_EQ(enterprise["standings"][1]["advances"], true);
  EXPECT_EQ(enterprise["standings"][2]["entry"], entries_["B"]);
  EXPECT_EQ(enterprise["standings"][2]["advances"], false);

  auto seen_by_entrant = service().Leaderboard(entrant_, round_);
  ASSERT_TRUE(seen_by_entrant.ok());
  std::string text = seen_by_entrant->dump();
  EXPECT_EQ(text.find("judge_"), std::string::npos) << "no judge's name reaches an entrant";

  // Later events never change a published round.
  EXPECT_EQ(service()
                .Recuse(judge_principals_["judge_zhou"], round_, entries_["A"], "late")
                .status()
                .reason(),
            "round_closed");
  auto replayed = service().Replay(coordinator_, round_);
  ASSERT_TRUE(replayed.ok());
  EXPECT_EQ(*replayed, *board) << "the events reproduce the frozen leaderboard";

  // A sheet rewritten behind the service's back shows: the replay no longer matches.
  auto c = env_.app().database().Acquire();
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE((*c)->Execute("UPDATE competition_events SET payload = REPLACE(payload, "
                            "'\"technology\":5.0', '\"technology\":10.0') WHERE kind = 'scored'")
                  .ok());
  auto tampered = service().Replay(coordinator_, round_);
  ASSERT_TRUE(tampered.ok());
  EXPECT_NE(*tampered, *board);
  EXPECT_EQ(*service().Leaderboard(coordinator_, round_), *board) << "the frozen one stands";

  auto events = service().Events(coordinator_, round_);
  ASSERT_TRUE(events.ok());
  std::set<std::string> kinds;
  for (const RoundEvent& e : *events) kinds.insert(e.kind);
  EXPECT_EQ(kinds, (std::set<std::string>{"created", "judge_added", "judge_confirmed", "assigned",
                                          "scored", "closed", "published"}));
  EXPECT_EQ(service().Events(entrant_, round_).status().code(), ErrorCode::kPermissionDenied);
}

TEST_F(CompetitionRoundsTest, TheNextRoundTakesTheEntriesThePublishedOneAdvanced) {
  RoundInput next;
  next.edition = edition_;
  next.names = {"决赛", "決賽", "Final"};
  next.kind = "pitch";
  next.judges_per_entry = 2;
  RoundInput bad = next;
  bad.advancement = {{"nonexistent", {"top", 2, 0}}, {"team", {"best", 2, 0}}};
  bad.tie_criterion = "finance";  // the team group does not score finances
  std::vector<std::string> fields;
  Status refused = service().CreateRound(coordinator_, bad).status();
  for (const FieldError& e : refused.field_errors()) {
    fields.push_back(e.field + ":" + e.code);
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"tie_criterion:unknown_reference",
                                              "advancement.nonexistent:unknown_reference",
                                              "advancement.team.by:not_one_of"}));
  auto final_round = service().CreateRound(coordinator_, next);
  ASSERT_TRUE(final_round.ok());
  EXPECT_EQ(final_round->position, 2);
  for (const auto& [username, person] : judges_) {
    ASSERT_TRUE(service().AddJudge(coordinator_, final_round->id, username, person, -1).ok());
    ASSERT_TRUE(service().ConfirmJudging(judge_principals_[username], final_round->id).ok());
  }
  EXPECT_EQ(service().Assign(coordinator_, final_round->id, 3).status().reason(),
            "previous_round_unpublished");

  AddAndConfirmJudges();
  auto first = service().Assign(coordinator_, round_, 7);
  ASSERT_TRUE(first.ok());
  ScoreAll(*first);
  ASSERT_TRUE(service().Close(coordinator_, round_).ok());
  ASSERT_TRUE(service().Publish(coordinator_, round_).ok());
  auto assigned = service().Assign(coordinator_, final_round->id, 3);
  ASSERT_TRUE(assigned.ok()) << assigned.status().ToString();
  EXPECT_EQ(std::set<std::string>(assigned->entries.begin(), assigned->entries.end()),
            (std::set<std::string>{entries_["A"], entries_["E"]}))
      << "the first round advanced its top two";

  for (const auto& [entry, judges] : assigned->assignment) {
    double score = entry == entries_["A"] ? 9 : 7;
    for (const std::string& judge : judges) {
      ScoreInput sheet{{{"technology", score},
                        {"business_model", score},
                        {"market", score},
                        {"team", score},
                        {"finance", score}},
                       true};
      ASSERT_TRUE(service().Score(judge_principals_[judge], final_round->id, entry, sheet).ok());
    }
  }
  clock_.Advance(std::chrono::hours(24 * 90));  // June: entries have closed
  EXPECT_EQ(service().GetEdition(entrant_, edition_)->state, "judging");
  ASSERT_TRUE(service().Close(coordinator_, final_round->id).ok());
  ASSERT_TRUE(service().Publish(coordinator_, final_round->id).ok());
  EXPECT_EQ(service().GetEdition(entrant_, edition_)->state, "finished");
  auto board = service().Leaderboard(entrant_, final_round->id);
  ASSERT_TRUE(board.ok());
  EXPECT_EQ((*board)["groups"][1]["standings"][0]["prize"], "first");
  EXPECT_EQ((*board)["groups"][1]["standings"][1]["prize"], "second");

  auto all = service().Certificates(coordinator_, final_round->id);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  auto own = service().Certificates(entrant_, final_round->id);
  ASSERT_TRUE(own.ok());
  ASSERT_EQ(own->size(), 1u) << "an entrant reads its own certificate";
  EXPECT_EQ((*own)[0].tier, "second");
  EXPECT_EQ((*own)[0].title, "固态电池隔膜");
  EXPECT_EQ((*own)[0].organisation_names.en, "Enterprise E");
  std::string code = (*own)[0].code;
  ASSERT_EQ(code.size(), 19u) << code;
  std::string typed = code;
  typed.erase(std::remove(typed.begin(), typed.end(), '-'), typed.end());
  for (char& ch : typed) ch = static_cast<char>(std::tolower(ch));
  auto verified = service().VerifyCertificate(typed);
  ASSERT_TRUE(verified.ok()) << "dashes and case do not matter";
  EXPECT_EQ(verified->entry, entries_["E"]);
  EXPECT_EQ(verified->year, 2026);
  EXPECT_EQ(verified->group_names.zh_hans, "企业组");
  std::string forged = code;
  forged[0] = forged[0] == 'A' ? 'B' : 'A';
  EXPECT_EQ(service().VerifyCertificate(forged).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service().VerifyCertificate("").status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace parkhub::competitions
