#include "competitions/conflicts.h"

#include <gtest/gtest.h>

namespace parkhub::competitions {
namespace {

std::vector<std::string> Kinds(const std::vector<Conflict>& conflicts) {
  std::vector<std::string> out;
  for (const Conflict& c : conflicts) {
    out.push_back(std::to_string(c.entry) + "/" + std::to_string(c.judge) + ":" + c.kind);
  }
  return out;
}

TEST(ConflictsTest, AnAffiliationCountsWhileCurrentAndForThreeYearsAfter) {
  std::vector<JudgeProfile> judges = {
      {0, {"Chen Jing"}, {{"org-hkust", {}, ""}}},
      {1, {"Wang Fang"}, {{"org-hkust", {}, "2023-12-01"}}},  // left exactly three years ago
      {2, {"Zhao Lei"}, {{"org-hkust", {}, "2023-11-30"}}},   // a day longer ago
  };
  std::vector<EntryProfile> entries = {{0, "org-hkust", {}, {}, ""}};
  EXPECT_EQ(Kinds(FindConflicts(judges, entries, {}, "2026-12-01")),
            (std::vector<std::string>{"0/0:affiliated", "0/1:affiliated"}));
}

TEST(ConflictsTest, AParentOrAChildOrganisationIsAConflictButASiblingIsNot) {
  std::vector<JudgeProfile> judges = {
      {0, {}, {{"org-university", {}, ""}}},                            // the entry's parent
      {1, {}, {{"org-lab", {"org-institute", "org-university"}, ""}}},  // inside the entry's org
      {2, {}, {{"org-other-institute", {"org-university"}, ""}}},       // a sibling
  };
  std::vector<EntryProfile> entries = {{0, "org-institute", {"org-university"}, {}, ""}};
  auto conflicts = FindConflicts(judges, entries, {}, "2026-12-01");
  EXPECT_EQ(Kinds(conflicts),
            (std::vector<std::string>{"0/0:affiliated_parent", "0/1:affiliated_parent"}));
  EXPECT_EQ(conflicts[0].detail, "org-university");
}

TEST(ConflictsTest, ACoAuthorIsFoundByNameInAnyScriptAndSpacing) {
  std::vector<JudgeProfile> judges = {{0, {"李伟", "Li Wei"}, {}}, {1, {"Li Weiming"}, {}}};
  std::vector<EntryProfile> entries = {{0, "", {}, {"Zhang San", "li  wei"}, ""},
                                       {1, "", {}, {"李　伟"}, ""}};
  auto conflicts = FindConflicts(judges, entries, {}, "2026-12-01");
  EXPECT_EQ(Kinds(conflicts), (std::vector<std::string>{"0/0:co_author", "1/0:co_author"}));
  EXPECT_EQ(conflicts[0].detail, "li  wei");
}

TEST(ConflictsTest, AStudentTeamConflictsWithJudgesOfItsUniversityAndDeclaredOnesAreKept) {
  std::vector<JudgeProfile> judges = {{0, {}, {{"org-school", {"org-pku"}, ""}}},
                                      {1, {}, {{"org-tsinghua", {}, ""}}}};
  std::vector<EntryProfile> entries = {{0, "", {}, {}, "org-pku"}};
  auto conflicts =
      FindConflicts(judges, entries, {{0, 1, "a former student of mine"}}, "2026-12-01");
  EXPECT_EQ(Kinds(conflicts), (std::vector<std::string>{"0/0:same_university", "0/1:declared"}));
  EXPECT_EQ(conflicts[1].detail, "a former student of mine");
}

}  // namespace
}  // namespace parkhub::competitions
