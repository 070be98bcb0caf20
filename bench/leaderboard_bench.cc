// A round's leaderboard recomputed (issue 19): S score sheets over E entries in two groups, each
// entry scored by k of J judges on four weighted criteria, normalised per judge, trimmed, and
// tie-broken by the full chain. ParkHub's leaderboard (competitions/leaderboard.h) beside a naive
// one that computes the same thing the way a spreadsheet does it: for each sheet, the judge's
// mean and spread from a scan of every sheet (AVERAGEIF/STDEV per row), each entry's sheets by a
// scan of all of them. Both must produce the same ranking. Median of `--runs` runs.
// Usage: parkhub_leaderboard_bench [--entries 4000] [--judges 400] [--per-entry 5] [--runs 5]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "bench_flags.h"
#include "competitions/leaderboard.h"

namespace {

using namespace parkhub;
using namespace parkhub::competitions;
using bench::Flag;
using bench::MedianMs;

LeaderboardRules Rules() {
  LeaderboardRules rules;
  rules.criteria = {{"technology", 30}, {"business", 25}, {"market", 25}, {"team", 20}};
  rules.scale = {0, 10, 0.5};
  rules.combine = Combine::kTrimmedMean;
  rules.normalise = true;
  rules.divergence = 3;
  rules.tie_criterion = "technology";
  rules.draw_seed = 2026;
  return rules;
}

// Each entry has a merit; each judge a bias and a severity of spread; scores are on the step.
std::vector<ScoreSheet> RandomSheets(int entries, int judges, int per_entry, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<double> merit(6, 1.5), bias(0, 1), noise(0, 0.8);
  std::vector<double> judge_bias(judges);
  for (double& b : judge_bias) b = bias(random);
  std::vector<ScoreSheet> sheets;
  std::vector<int> order(judges);
  std::iota(order.begin(), order.end(), 0);
  for (int entry = 0; entry < entries; ++entry) {
    double m = merit(random);
    int first = (entry * per_entry) % judges;
    for (int k = 0; k < per_entry; ++k) {
      ScoreSheet sheet{entry, order[(first + k) % judges], {}};
      for (int c = 0; c < 4; ++c) {
        double score = m + judge_bias[sheet.judge] + noise(random);
        sheet.scores.push_back(std::clamp(std::round(score * 2) / 2, 0.0, 10.0));
      }
      sheets.push_back(sheet);
    }
  }
  return sheets;
}

// The same leaderboard, computed as a spreadsheet's formulas would: no index, every lookup a scan.
std::vector<int> NaiveRanking(const LeaderboardRules& rules, int entries,
                              const std::vector<int>& groups, const std::vector<ScoreSheet>& all) {
  std::vector<double> totals;
  for (const ScoreSheet& s : all) totals.push_back(SheetTotal(rules, s.scores));
  double round_mean = std::accumulate(totals.begin(), totals.end(), 0.0) / totals.size();
  double squares = 0;
  for (double t : totals) squares += (t - round_mean) * (t - round_mean);
  double round_spread = std::sqrt(squares / totals.size());
  struct Row {
    int entry, group;
    double score, drop, total, criterion;
    uint64_t draw;
  };
  std::vector<Row> rows;
  for (int e = 0; e < entries; ++e) {
    std::vector<double> raw, normalised;
    double criterion = 0;
    for (size_t i = 0; i < all.size(); ++i) {
      if (all[i].entry != e) continue;
      double judge_sum = 0, judge_squares = 0;
      int judge_sheets = 0;
      for (size_t j = 0; j < all.size(); ++j) {
        if (all[j].judge != all[i].judge) continue;
        judge_sum += totals[j];
        ++judge_sheets;
      }
      double judge_mean = judge_sum / judge_sheets;
      for (size_t j = 0; j < all.size(); ++j) {
        if (all[j].judge == all[i].judge) {
          judge_squares += (totals[j] - judge_mean) * (totals[j] - judge_mean);
        }
      }
      double judge_spread = std::sqrt(judge_squares / judge_sheets);
      double value = totals[i];
      if (judge_sheets >= rules.normalise_min_sheets) {
        double z = judge_spread > 0 ? (totals[i] - judge_mean) / judge_spread : 0;
        value = std::clamp(round_mean + z * round_spread, rules.scale.min, rules.scale.max);
      }
      raw.push_back(totals[i]);
      normalised.push_back(value);
      criterion += all[i].scores[0];
    }
    if (raw.empty()) continue;
    std::vector<double> sorted = normalised;
    std::sort(sorted.begin(), sorted.end());
    double inner = sorted.size() >= 3 ? std::accumulate(sorted.begin() + 1, sorted.end() - 1, 0.0) /
                                            (sorted.size() - 2)
                                      : 0;
    double mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / sorted.size();
    double score = static_cast<int>(sorted.size()) >= rules.trim_min_sheets ? inner : mean;
    double drop = sorted.size() >= 3 ? inner : score;
    uint64_t z = rules.draw_seed + 0x9e3779b97f4a7c15ULL * (static_cast<uint64_t>(e) + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    rows.push_back({e, groups[e], score, drop, std::accumulate(raw.begin(), raw.end(), 0.0),
                    criterion / raw.size(), z ^ (z >> 31)});
  }
  auto q = [](double v) { return std::llround(v / 1e-6); };
  std::sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    if (a.group != b.group) return a.group < b.group;
    return std::make_tuple(q(a.score), q(a.drop), q(a.total), q(a.criterion), a.draw) >
           std::make_tuple(q(b.score), q(b.drop), q(b.total), q(b.criterion), b.draw);
  });
  std::vector<int> order;
  for (const Row& row : rows) order.push_back(row.entry);
  return order;
}

}  // namespace

int main(int argc, char** argv) {
  int entries = Flag(argc, argv, "--entries", 4000);
  int judges = Flag(argc, argv, "--judges", 400);
  int per_entry = Flag(argc, argv, "--per-entry", 5);
  int runs = Flag(argc, argv, "--runs", 5);
  LeaderboardRules rules = Rules();
  std::vector<int> groups(entries);
  for (int e = 0; e < entries; ++e) groups[e] = e % 2;
  std::vector<std::vector<ScoreSheet>> problems;
  for (int i = 0; i < runs; ++i) problems.push_back(RandomSheets(entries, judges, per_entry, i));
  std::printf(
      "%zu score sheets: %d entries in 2 groups, %d judges, %d an entry, 4 criteria; "
      "normalised, trimmed, tie-broken; median of %d\n",
      problems[0].size(), entries, judges, per_entry, runs);
  std::printf("| method | median ms | same ranking |\n|---|---|---|\n");
  std::vector<std::vector<int>> ours_orders(runs), naive_orders(runs);
  double ours = MedianMs(runs, [&](int i) {
    auto board = ComputeLeaderboard(rules, entries, groups, problems[i]);
    if (!board.ok()) {
      std::fprintf(stderr, "%s\n", board.status().ToString().c_str());
      std::exit(1);
    }
    for (const Standing& s : board->standings) ours_orders[i].push_back(s.entry);
  });
  double naive = MedianMs(
      runs, [&](int i) { naive_orders[i] = NaiveRanking(rules, entries, groups, problems[i]); });
  bool same = ours_orders == naive_orders;
  std::printf("| ParkHub: one pass per judge and entry | %.1f | %s |\n", ours, same ? "yes" : "no");
  std::printf("| naive: a scan of every sheet per lookup | %.1f | %s |\n", naive,
              same ? "yes" : "no");
  return same ? 0 : 1;
}
