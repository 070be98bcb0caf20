#include "competitions/assignment.h"

#include <gtest/gtest.h>

namespace parkhub::competitions {
namespace {

TEST(AssignmentTest, EveryEntryGetsItsJudgesNoneConflictedAndLoadsEven) {
  AssignmentProblem problem = RandomAssignmentProblem(200, 20, 3, 10, 7);
  auto assigned = Assign(problem);
  ASSERT_TRUE(assigned.ok()) << assigned.status().ToString();
  EXPECT_TRUE(CheckAssignment(problem, *assigned).ok())
      << CheckAssignment(problem, *assigned).ToString();
  for (int load : assigned->load) EXPECT_EQ(load, 30) << "600 reviews over 20 judges";
}

TEST(AssignmentTest, TheSameSeedGivesTheSameAssignmentAndAnotherSeedAnother) {
  AssignmentProblem problem = RandomAssignmentProblem(60, 12, 3, 5, 11);
  auto first = Assign(problem);
  auto again = Assign(problem);
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->judges_of_entry, again->judges_of_entry);
  problem.seed = 12;
  auto other = Assign(problem);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(CheckAssignment(problem, *other).ok());
  EXPECT_NE(first->judges_of_entry, other->judges_of_entry);
}

TEST(AssignmentTest, LoadsAreEvenWhenTheMeanIsNotWhole) {
  AssignmentProblem problem = RandomAssignmentProblem(25, 4, 3, 0, 1);  // 75 reviews, 18.75 each
  auto assigned = Assign(problem);
  ASSERT_TRUE(assigned.ok());
  for (int load : assigned->load) EXPECT_TRUE(load == 18 || load == 19) << load;
}

TEST(AssignmentTest, ACappedJudgeTakesTheirCapAndTheOthersShareTheRest) {
  AssignmentProblem problem = RandomAssignmentProblem(10, 3, 2, 0, 3);
  problem.caps = {2, -1, -1};
  auto assigned = Assign(problem);
  ASSERT_TRUE(assigned.ok()) << assigned.status().ToString();
  EXPECT_EQ(assigned->load, (std::vector<int>{2, 9, 9}));
  EXPECT_TRUE(CheckAssignment(problem, *assigned).ok());
}

TEST(AssignmentTest, AnEntryWithTooFewJudgesFreeOfConflictIsNamed) {
  AssignmentProblem problem = RandomAssignmentProblem(6, 5, 3, 0, 1);
  problem.conflicts = {{4, 0}, {4, 1}, {4, 2}};
  AssignmentFailure failure;
  auto assigned = Assign(problem, &failure);
  EXPECT_EQ(assigned.status().reason(), "assignment_impossible");
  EXPECT_EQ(failure.code, "too_few_judges");
  EXPECT_EQ(failure.entries, std::vector<int>{4});
  EXPECT_EQ(failure.available, 2);
  EXPECT_EQ(failure.needed, 3);
}

TEST(AssignmentTest, CapsShortOfTheRoundAreSaid) {
  AssignmentProblem problem = RandomAssignmentProblem(5, 3, 1, 0, 1);
  problem.caps = {1, 1, 1};
  AssignmentFailure failure;
  EXPECT_FALSE(Assign(problem, &failure).ok());
  EXPECT_EQ(failure.code, "not_enough_capacity");
  EXPECT_EQ(failure.needed, 5);
  EXPECT_EQ(failure.available, 3);
}

TEST(AssignmentTest, EntriesThatShareTooFewJudgesAreNamedWithThoseJudges) {
  // Entries 0-2 may only be read by judges 0 and 1, who take two reviews each: four of six.
  AssignmentProblem problem = RandomAssignmentProblem(4, 4, 2, 0, 1);
  problem.caps = {2, 2, -1, -1};
  for (int entry : {0, 1, 2}) {
    problem.conflicts.push_back({entry, 2});
    problem.conflicts.push_back({entry, 3});
  }
  AssignmentFailure failure;
  EXPECT_FALSE(Assign(problem, &failure).ok());
  EXPECT_EQ(failure.code, "judges_shared");
  EXPECT_EQ(failure.entries, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(failure.judges, (std::vector<int>{0, 1}));
  EXPECT_EQ(failure.needed, 2) << "two reviews cannot be given";
  EXPECT_EQ(failure.available, 4);
}

TEST(AssignmentTest, AJudgeTheEvenSpreadAsksTooMuchOfIsNamed) {
  AssignmentProblem problem = RandomAssignmentProblem(10, 2, 1, 0, 1);
  for (int entry = 0; entry < 9; ++entry) problem.conflicts.push_back({entry, 1});
  AssignmentFailure failure;
  EXPECT_FALSE(Assign(problem, &failure).ok());
  EXPECT_EQ(failure.code, "uneven_load");
  EXPECT_EQ(failure.judges, std::vector<int>{1});
  EXPECT_EQ(failure.available, 1) << "one entry free of conflict";
  EXPECT_EQ(failure.needed, 4) << "the spread asks for 4 or 5 of 10";
}

TEST(AssignmentTest, AMalformedProblemIsRefused) {
  AssignmentProblem problem = RandomAssignmentProblem(2, 2, 1, 0, 1);
  problem.conflicts = {{2, 0}};
  EXPECT_EQ(Assign(problem).status().code(), ErrorCode::kInvalidArgument);
  problem.conflicts.clear();
  problem.caps = {1};
  EXPECT_EQ(Assign(problem).status().code(), ErrorCode::kInvalidArgument);
}

TEST(AssignmentTest, TheCheckerCatchesWhatANaiveAssignmentGetsWrong) {
  AssignmentProblem problem = RandomAssignmentProblem(4, 3, 2, 0, 1);
  problem.conflicts = {{0, 0}};
  Assignment naive;
  naive.judges_of_entry = {{0, 1}, {0, 1}, {0, 1}, {0, 1}};
  naive.load = {4, 4, 0};
  EXPECT_FALSE(CheckAssignment(problem, naive).ok()) << "a conflict";
  naive.judges_of_entry[0] = {1, 2};
  EXPECT_FALSE(CheckAssignment(problem, naive).ok()) << "judge 2 carries 1, judge 1 carries 4";
  naive.judges_of_entry = {{1, 2}, {0, 2}, {0, 1}, {1, 2}};
  EXPECT_TRUE(CheckAssignment(problem, naive).ok());
}

}  // namespace
}  // namespace parkhub::competitions
