#include "competitions/leaderboard.h"

#include <gtest/gtest.h>

#include <map>

namespace parkhub::competitions {
namespace {

LeaderboardRules OneCriterion() {
  LeaderboardRules rules;
  rules.criteria = {{"overall", 100}};
  rules.scale = {0, 100, 0};
  return rules;
}

ScoreSheet Sheet(int entry, int judge, double score) { return {entry, judge, {score}}; }

std::map<int, Standing> ByEntry(const Leaderboard& board) {
  std::map<int, Standing> out;
  for (const Standing& s : board.standings) out[s.entry] = s;
  return out;
}

std::vector<int> Order(const Leaderboard& board) {
  std::vector<int> out;
  for (const Standing& s : board.standings) out.push_back(s.entry);
  return out;
}

TEST(LeaderboardTest, ASheetIsTheWeightedMeanOfItsCriteria) {
  LeaderboardRules rules;
  rules.criteria = {{"technology", 40}, {"market", 30}, {"team", 30}};
  rules.scale = {0, 10, 0.5};
  EXPECT_DOUBLE_EQ(SheetTotal(rules, {10, 5, 0}), 5.5);
  auto board = ComputeLeaderboard(rules, 1, {}, {{0, 0, {8, 6, 7}}});
  ASSERT_TRUE(board.ok()) << board.status().ToString();
  EXPECT_DOUBLE_EQ(board->standings[0].score, 7.1);
  EXPECT_EQ(board->standings[0].criterion_means, (std::vector<double>{8, 6, 7}));
}

TEST(LeaderboardTest, EntriesRankByTheMeanSoAnAbstentionCostsNothing) {
  // Entry 0 has three sheets, entry 1 two (a judge recused): sums would favour entry 0.
  auto board = ComputeLeaderboard(
      OneCriterion(), 2, {},
      {Sheet(0, 0, 70), Sheet(0, 1, 70), Sheet(0, 2, 70), Sheet(1, 0, 80), Sheet(1, 1, 80)});
  ASSERT_TRUE(board.ok());
  EXPECT_EQ(Order(*board), (std::vector<int>{1, 0}));
  EXPECT_DOUBLE_EQ(board->standings[0].score, 80);
  EXPECT_EQ(board->standings[0].rank, 1);
  EXPECT_EQ(board->standings[1].sheets, 3);
}

TEST(LeaderboardTest, TheTrimmedMeanNeedsFiveSheets) {
  LeaderboardRules rules = OneCriterion();
  rules.combine = Combine::kTrimmedMean;
  std::vector<ScoreSheet> sheets = {Sheet(0, 0, 10), Sheet(0, 1, 60),  Sheet(0, 2, 60),
                                    Sheet(0, 3, 60), Sheet(0, 4, 100), Sheet(1, 0, 10),
                                    Sheet(1, 1, 60), Sheet(1, 2, 100)};
  auto board = ComputeLeaderboard(rules, 2, {}, sheets);
  ASSERT_TRUE(board.ok());
  auto standings = ByEntry(*board);
  EXPECT_TRUE(standings[0].trim_applied);
  EXPECT_DOUBLE_EQ(standings[0].score, 60);
  EXPECT_DOUBLE_EQ(standings[0].mean, 58);
  EXPECT_FALSE(standings[1].trim_applied) << "three sheets: the plain mean";
  EXPECT_NEAR(standings[1].score, 170.0 / 3, 1e-9);
}

// Judge 0 is harsh, judge 1 lenient; each scores eight entries of equal merit pairs, except
// that entry 8 is seen only by the harsh judge and entry 9 only by the lenient one.
std::vector<ScoreSheet> HarshAndLenient() {
  std::vector<ScoreSheet> sheets;
  for (int e = 0; e < 8; ++e) {
    sheets.push_back(Sheet(e, 0, 40 + e));
    sheets.push_back(Sheet(e, 1, 80 + e));
  }
  sheets.push_back(Sheet(8, 0, 47.5));  // the harsh judge's best
  sheets.push_back(Sheet(9, 1, 80.5));  // one of the lenient judge's worst
  return sheets;
}

TEST(LeaderboardTest, NormalisationCorrectsEachJudgesHabitAndKeepsTheRawScoresBeside) {
  LeaderboardRules rules = OneCriterion();
  auto raw = ComputeLeaderboard(rules, 10, {}, HarshAndLenient());
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->standings.front().entry, 9) << "raw: the lenient judge's entry wins";

  rules.normalise = true;
  auto board = ComputeLeaderboard(rules, 10, {}, HarshAndLenient());
  ASSERT_TRUE(board.ok());
  auto standings = ByEntry(*board);
  EXPECT_GT(standings[8].score, standings[9].score) << "the harsh judge's best beats a weak one";
  EXPECT_LE(standings[8].rank, 2) << "raw, it ranked below every entry the lenient judge saw";
  EXPECT_EQ(ByEntry(*raw)[8].rank, 10);
  EXPECT_DOUBLE_EQ(standings[9].mean, 80.5) << "the raw mean stays beside";
  for (const JudgeHabit& habit : board->judges) EXPECT_TRUE(habit.corrected);
  for (const Standing& s : board->standings) {
    EXPECT_GE(s.normalised, 0);
    EXPECT_LE(s.normalised, 100);
  }
}

TEST(LeaderboardTest, AJudgeWithFewerThanEightSheetsIsNotCorrected) {
  LeaderboardRules rules = OneCriterion();
  rules.normalise = true;
  std::vector<ScoreSheet> sheets = HarshAndLenient();
  sheets.push_back(Sheet(0, 2, 10));  // judge 2 scores a single entry
  auto board = ComputeLeaderboard(rules, 10, {}, sheets);
  ASSERT_TRUE(board.ok());
  const JudgeHabit& occasional = board->judges.back();
  EXPECT_EQ(occasional.judge, 2);
  EXPECT_FALSE(occasional.corrected);
  std::map<int, Standing> standings = ByEntry(*board);
  for (const SheetResult& sheet : standings[0].sheet_results) {
    if (sheet.judge == 2) {
      EXPECT_DOUBLE_EQ(sheet.normalised, sheet.raw);
    }
  }
}

TEST(LeaderboardTest, ASpreadBeyondTheThresholdIsFlagged) {
  LeaderboardRules rules = OneCriterion();
  rules.divergence = 25;
  auto board = ComputeLeaderboard(
      rules, 2, {}, {Sheet(0, 0, 50), Sheet(0, 1, 80), Sheet(1, 0, 50), Sheet(1, 1, 75)});
  ASSERT_TRUE(board.ok());
  auto standings = ByEntry(*board);
  EXPECT_TRUE(standings[0].divergent);
  EXPECT_DOUBLE_EQ(standings[0].spread, 30);
  EXPECT_FALSE(standings[1].divergent) << "exactly at the threshold is not beyond it";
}

TEST(LeaderboardTest, TiesAreBrokenByTheStatedChainStepByStep) {
  LeaderboardRules rules;
  rules.criteria = {{"technology", 50}, {"team", 50}};
  rules.scale = {0, 10, 0};
  rules.tie_criterion = "technology";
  rules.draw_seed = 2026;
  std::vector<ScoreSheet> sheets = {
      // Entries 0 and 1: mean 6; without extremes 0 has 6, 1 has 5.
      {0, 0, {6, 6}},
      {0, 1, {6, 6}},
      {0, 2, {6, 6}},
      {1, 0, {9, 9}},
      {1, 1, {5, 5}},
      {1, 2, {4, 4}},
      // Entries 2 and 3: mean 5, no extremes to drop; 2 has more sheets, so a higher total.
      {2, 0, {5, 5}},
      {2, 1, {5, 5}},
      {3, 0, {5, 5}},
      // Entries 4 and 5: mean 4 and total 8 each; 5 is stronger on technology.
      {4, 0, {3, 5}},
      {4, 1, {3, 5}},
      {5, 0, {5, 3}},
      {5, 1, {5, 3}},
      // Entries 6 and 7: identical; the draw decides.
      {6, 0, {2, 2}},
      {7, 0, {2, 2}}};
  auto board = ComputeLeaderboard(rules, 8, {}, sheets);
  ASSERT_TRUE(board.ok()) << board.status().ToString();
  auto order = Order(*board);
  ASSERT_EQ(order.size(), 8u);
  EXPECT_EQ(std::vector<int>(order.begin(), order.begin() + 6),
            (std::vector<int>{0, 1, 2, 3, 5, 4}));
  auto standings = ByEntry(*board);
  EXPECT_EQ(standings[0].decided_by, "");
  EXPECT_EQ(standings[1].decided_by, "drop_extremes");
  EXPECT_EQ(standings[2].decided_by, "");
  EXPECT_EQ(standings[3].decided_by, "total");
  EXPECT_EQ(standings[4].decided_by, "criterion");
  EXPECT_EQ(board->standings[7].decided_by, "draw");

  auto again = ComputeLeaderboard(rules, 8, {}, sheets);
  EXPECT_EQ(Order(*again), order) << "the recorded draw gives the same order";
  bool some_seed_swaps = false;
  for (uint64_t seed = 0; seed < 16 && !some_seed_swaps; ++seed) {
    rules.draw_seed = seed;
    some_seed_swaps = Order(*ComputeLeaderboard(rules, 8, {}, sheets))[6] != order[6];
  }
  EXPECT_TRUE(some_seed_swaps) << "the draw depends on the seed, not on the entry's number";
}

TEST(LeaderboardTest, GroupsRankApartAndUnscoredEntriesComeLastUnranked) {
  auto board =
      ComputeLeaderboard(OneCriterion(), 5, {0, 1, 0, 1, 0},
                         {Sheet(0, 0, 50), Sheet(1, 0, 40), Sheet(2, 0, 60), Sheet(3, 0, 90)});
  ASSERT_TRUE(board.ok());
  EXPECT_EQ(Order(*board), (std::vector<int>{2, 0, 4, 3, 1}));
  auto standings = ByEntry(*board);
  EXPECT_EQ(standings[2].rank, 1);
  EXPECT_EQ(standings[0].rank, 2);
  EXPECT_EQ(standings[4].rank, 0);
  EXPECT_EQ(standings[3].rank, 1);
  EXPECT_EQ(standings[1].rank, 2);
}

TEST(LeaderboardTest, PrizesFollowEachGroupsQuotaDownItsRanking) {
  std::vector<ScoreSheet> sheets;
  std::vector<int> groups;
  for (int e = 0; e < 30; ++e) {
    groups.push_back(e % 2);
    sheets.push_back(Sheet(e, 0, 40 + e));
  }
  auto board = ComputeLeaderboard(OneCriterion(), 30, groups, sheets);
  ASSERT_TRUE(board.ok());
  std::vector<PrizeTier> tiers = {{"first", 1}, {"second", 3}, {"third", 6}};
  auto prizes = AllocatePrizes(*board, tiers);
  ASSERT_EQ(prizes.size(), 20u);
  std::map<std::string, int> per_tier;
  for (const Prize& prize : prizes) ++per_tier[prize.tier];
  EXPECT_EQ(per_tier["first"], 2);
  EXPECT_EQ(per_tier["second"], 6);
  EXPECT_EQ(per_tier["third"], 12);
  EXPECT_EQ(prizes[0].entry, 28);
  EXPECT_EQ(prizes[0].tier, "first");
  EXPECT_EQ(prizes[10].entry, 29);

  auto strict = AllocatePrizes(*board, tiers, 60.0);
  EXPECT_EQ(strict.size(), 10u) << "only entries 20..29 reach 60";
}

TEST(LeaderboardTest, AdvancementByTopShareOrThreshold) {
  std::vector<ScoreSheet> sheets;
  for (int e = 0; e < 10; ++e) sheets.push_back(Sheet(e, 0, 10 * e));
  auto board = ComputeLeaderboard(OneCriterion(), 11, {}, sheets);
  ASSERT_TRUE(board.ok());
  EXPECT_EQ(Advancing(*board, 0, {"top", 3, 0}), (std::vector<int>{9, 8, 7}));
  EXPECT_EQ(Advancing(*board, 0, {"share", 25, 0}), (std::vector<int>{9, 8, 7}));
  EXPECT_EQ(Advancing(*board, 0, {"threshold", 0, 70}), (std::vector<int>{9, 8, 7}));
  EXPECT_EQ(Advancing(*board, 0, {"top", 50, 0}).size(), 10u) << "the unscored never advance";
}

TEST(LeaderboardTest, BadRulesAndSheetsNameTheirField) {
  LeaderboardRules rules;
  rules.criteria = {{"technology", 40}, {"team", 50}};
  auto sum = ComputeLeaderboard(rules, 1, {}, {});
  ASSERT_FALSE(sum.ok());
  EXPECT_EQ(sum.status().field_errors()[0].code, "weights_sum");

  rules.criteria[1].weight = 60;
  rules.scale = {0, 10, 0.5};
  auto out_of_scale = ComputeLeaderboard(rules, 1, {}, {{0, 0, {11, 5}}});
  ASSERT_FALSE(out_of_scale.ok());
  EXPECT_EQ(out_of_scale.status().field_errors()[0].field, "sheets[0].scores.technology");
  EXPECT_EQ(out_of_scale.status().field_errors()[0].code, "out_of_range");

  auto off_step = ComputeLeaderboard(rules, 1, {}, {{0, 0, {7.25, 5}}});
  ASSERT_FALSE(off_step.ok());
  EXPECT_EQ(off_step.status().field_errors()[0].code, "off_scale_step");

  auto twice = ComputeLeaderboard(rules, 1, {}, {{0, 0, {7, 5}}, {0, 0, {7, 5}}});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().field_errors()[0].code, "duplicate");

  rules.tie_criterion = "finance";
  auto tie = ComputeLeaderboard(rules, 1, {}, {});
  ASSERT_FALSE(tie.ok());
  EXPECT_EQ(tie.status().field_errors()[0].field, "tie_criterion");
}

}  // namespace
}  // namespace parkhub::competitions
