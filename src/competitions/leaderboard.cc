#include "competitions/leaderboard.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <utility>

namespace parkhub::competitions {
namespace {

constexpr double kKeyResolution = 1e-6;

Status CheckRules(const LeaderboardRules& rules) {
  if (rules.criteria.empty()) {
    return Status::Invalid("criteria", "a round needs at least one criterion", "too_few",
                           {{"min", 1}});
  }
  int weights = 0;
  std::set<std::string> keys;
  for (size_t i = 0; i < rules.criteria.size(); ++i) {
    const Criterion& criterion = rules.criteria[i];
    std::string field = "criteria[" + std::to_string(i) + "]";
    if (criterion.key.empty()) return Status::Invalid(field + ".key", "required", "required");
    if (!keys.insert(criterion.key).second) {
      return Status::Invalid(field + ".key", "two criteria share this key", "duplicate",
                             {{"id", criterion.key}});
    }
    if (criterion.weight <= 0 || criterion.weight > 100) {
      return Status::Invalid(field + ".weight", "a weight is between 1 and 100", "out_of_range",
                             {{"min", 1}, {"max", 100}});
    }
    weights += criterion.weight;
  }
  if (weights != 100) {
    return Status::Invalid("criteria",
                           "the weights must sum to 100, not " + std::to_string(weights),
                           "weights_sum", {{"sum", weights}});
  }
  if (!(rules.scale.min < rules.scale.max) || rules.scale.step < 0) {
    return Status::Invalid("scale", "a scale runs from a lower to a higher score", "out_of_range",
                           {{"min", rules.scale.min}, {"max", rules.scale.max}});
  }
  if (!rules.tie_criterion.empty() && !keys.count(rules.tie_criterion)) {
    return Status::Invalid("tie_criterion", "not one of the criteria", "unknown_reference",
                           {{"kind", "criterion"}, {"id", rules.tie_criterion}});
  }
  if (rules.trim_min_sheets < 3 || rules.normalise_min_sheets < 2 || rules.divergence < 0) {
    return Status::Invalid("rules", "trimming needs 3 sheets, normalising 2", "out_of_range");
  }
  return Status::Ok();
}

bool OnStep(const Scale& scale, double score) {
  if (scale.step <= 0) return true;
  double steps = (score - scale.min) / scale.step;
  return std::fabs(steps - std::round(steps)) < 1e-9;
}

Status CheckSheets(const LeaderboardRules& rules, int entries,
                   const std::vector<int>& group_of_entry, const std::vector<ScoreSheet>& sheets) {
  if (entries < 0) return Status::InvalidArgument("negative number of entries");
  if (!group_of_entry.empty() && static_cast<int>(group_of_entry.size()) != entries) {
    return Status::InvalidArgument("one group per entry");
  }
  std::set<std::pair<int, int>> seen;
  for (size_t i = 0; i < sheets.size(); ++i) {
    const ScoreSheet& sheet = sheets[i];
    std::string field = "sheets[" + std::to_string(i) + "]";
    if (sheet.entry < 0 || sheet.entry >= entries || sheet.judge < 0) {
      return Status::Invalid(field, "names no entry or judge of the round", "unknown_reference",
                             {{"kind", "entry"}});
    }
    if (!seen.insert({sheet.entry, sheet.judge}).second) {
      return Status::Invalid(field, "a judge has one sheet per entry", "duplicate",
                             {{"id", std::to_string(sheet.entry)}});
    }
    if (sheet.scores.size() != rules.criteria.size()) {
      return Status::Invalid(field + ".scores", "one score per criterion", "too_few",
                             {{"min", rules.criteria.size()}});
    }
    for (size_t c = 0; c < sheet.scores.size(); ++c) {
      double score = sheet.scores[c];
      std::string score_field = field + ".scores." + rules.criteria[c].key;
      std::string breach = ScaleBreach(rules.scale, score);
      if (!breach.empty()) {
        return Status::Invalid(
            score_field, "not a score on the scale", breach,
            {{"min", rules.scale.min}, {"max", rules.scale.max}, {"step", rules.scale.step}});
      }
    }
  }
  return Status::Ok();
}

double Mean(const std::vector<double>& values) {
  if (values.empty()) return 0;
  return std::accumulate(values.begin(), values.end(), 0.0) / values.size();
}

double PopulationSpread(const std::vector<double>& values, double mean) {
  if (values.empty()) return 0;
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / values.size());
}

// Mean without the highest and the lowest value; `values` has at least 3.
double MeanWithoutExtremes(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return std::accumulate(values.begin() + 1, values.end() - 1, 0.0) / (values.size() - 2);
}

// SplitMix64: the draw's number for an entry, the same on every machine.
uint64_t Draw(uint64_t seed, int entry) {
  uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (static_cast<uint64_t>(entry) + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

int64_t Quantised(double value) { return std::llround(value / kKeyResolution); }

std::vector<JudgeHabit> HabitsOf(const LeaderboardRules& rules,
                                 const std::vector<ScoreSheet>& sheets,
                                 const std::vector<double>& totals) {
  int judges = 0;
  for (const ScoreSheet& sheet : sheets) judges = std::max(judges, sheet.judge + 1);
  std::vector<std::vector<double>> by_judge(judges);
  for (size_t i = 0; i < sheets.size(); ++i) by_judge[sheets[i].judge].push_back(totals[i]);
  std::vector<JudgeHabit> habits;
  for (int judge = 0; judge < judges; ++judge) {
    if (by_judge[judge].empty()) continue;
    JudgeHabit habit;
    habit.judge = judge;
    habit.sheets = static_cast<int>(by_judge[judge].size());
    habit.mean = Mean(by_judge[judge]);
    habit.spread = PopulationSpread(by_judge[judge], habit.mean);
    habit.corrected = rules.normalise && habit.sheets >= rules.normalise_min_sheets;
    habits.push_back(habit);
  }
  return habits;
}

// The tie-break chain's keys of one scored standing, highest first wins at each step.
struct ChainKeys {
  int64_t score, drop_extremes, total, criterion;
  uint64_t draw;
};

ChainKeys KeysOf(const LeaderboardRules& rules, const Standing& s, int tie_index,
                 const std::vector<double>& scores) {
  ChainKeys keys;
  keys.score = Quantised(s.score);
  keys.drop_extremes = Quantised(scores.size() >= 3 ? MeanWithoutExtremes(scores) : s.score);
  keys.total = Quantised(s.total);
  keys.criterion = tie_index >= 0 ? Quantised(s.criterion_means[tie_index]) : 0;
  keys.draw = Draw(rules.draw_seed, s.entry);
  return keys;
}

// The first step of the chain at which `a` and `b` differ; "" for the score itself.
std::string DecidingStep(const ChainKeys& a, const ChainKeys& b) {
  if (a.score != b.score) return "";
  if (a.drop_extremes != b.drop_extremes) return "drop_extremes";
  if (a.total != b.total) return "total";
  if (a.criterion != b.criterion) return "criterion";
  return "draw";
}

bool Before(const ChainKeys& a, const ChainKeys& b) {
  return std::tie(a.score, a.drop_extremes, a.total, a.criterion, a.draw) >
         std::tie(b.score, b.drop_extremes, b.total, b.criterion, b.draw);
}

}  // namespace

std::string ScaleBreach(const Scale& scale, double score) {
  if (!std::isfinite(score) || score < scale.min || score > scale.max) return "out_of_range";
  return OnStep(scale, score) ? "" : "off_scale_step";
}

double SheetTotal(const LeaderboardRules& rules, const std::vector<double>& scores) {
  double total = 0;
  for (size_t c = 0; c < rules.criteria.size() && c < scores.size(); ++c) {
    total += rules.criteria[c].weight * scores[c];
  }
  return total / 100.0;
}

Result<Leaderboard> ComputeLeaderboard(const LeaderboardRules& rules, int entries,
                                       const std::vector<int>& group_of_entry,
                                       const std::vector<ScoreSheet>& sheets) {
  RETURN_IF_ERROR(CheckRules(rules));
  RETURN_IF_ERROR(CheckSheets(rules, entries, group_of_entry, sheets));

  std::vector<double> totals(sheets.size());
  for (size_t i = 0; i < sheets.size(); ++i) totals[i] = SheetTotal(rules, sheets[i].scores);

  Leaderboard board;
  board.round_mean = Mean(totals);
  board.round_spread = PopulationSpread(totals, board.round_mean);
  board.judges = HabitsOf(rules, sheets, totals);
  std::vector<const JudgeHabit*> habit_of(board.judges.empty() ? 0 : board.judges.back().judge + 1,
                                          nullptr);
  for (const JudgeHabit& habit : board.judges) habit_of[habit.judge] = &habit;

  size_t criteria = rules.criteria.size();
  std::vector<Standing> standings(entries);
  std::vector<std::vector<double>> raw_of(entries), normalised_of(entries);
  for (int e = 0; e < entries; ++e) {
    standings[e].entry = e;
    standings[e].group = group_of_entry.empty() ? 0 : group_of_entry[e];
    standings[e].criterion_means.assign(criteria, 0);
  }
  std::vector<size_t> order(sheets.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::tie(sheets[a].entry, sheets[a].judge) < std::tie(sheets[b].entry, sheets[b].judge);
  });
  for (size_t i : order) {
    const ScoreSheet& sheet = sheets[i];
    const JudgeHabit& habit = *habit_of[sheet.judge];
    SheetResult result{sheet.judge, totals[i], totals[i]};
    if (habit.corrected) {
      double z = habit.spread > 0 ? (totals[i] - habit.mean) / habit.spread : 0;
      result.normalised =
          std::clamp(board.round_mean + z * board.round_spread, rules.scale.min, rules.scale.max);
    }
    Standing& standing = standings[sheet.entry];
    standing.sheet_results.push_back(result);
    for (size_t c = 0; c < criteria; ++c) standing.criterion_means[c] += sheet.scores[c];
    raw_of[sheet.entry].push_back(result.raw);
    normalised_of[sheet.entry].push_back(result.normalised);
  }

  int tie_index = -1;
  for (size_t c = 0; c < criteria; ++c) {
    if (rules.criteria[c].key == rules.tie_criterion) tie_index = static_cast<int>(c);
  }
  std::vector<ChainKeys> keys(entries);
  for (int e = 0; e < entries; ++e) {
    Standing& s = standings[e];
    const std::vector<double>& raw = raw_of[e];
    s.sheets = static_cast<int>(raw.size());
    if (s.sheets == 0) continue;
    for (double& sum : s.criterion_means) sum /= s.sheets;
    s.mean = Mean(raw);
    s.total = std::accumulate(raw.begin(), raw.end(), 0.0);
    s.normalised = Mean(normalised_of[e]);
    s.trim_applied = rules.combine == Combine::kTrimmedMean && s.sheets >= rules.trim_min_sheets;
    s.trimmed = s.trim_applied ? MeanWithoutExtremes(raw) : s.mean;
    const std::vector<double>& ranked = rules.normalise ? normalised_of[e] : raw;
    s.score = s.trim_applied ? MeanWithoutExtremes(ranked) : Mean(ranked);
    auto [low, high] = std::minmax_element(raw.begin(), raw.end());
    s.spread = *high - *low;
    s.divergent = rules.divergence > 0 && s.spread > rules.divergence + 1e-9;
    keys[e] = KeysOf(rules, s, tie_index, ranked);
  }

  std::vector<int> ranked(entries);
  std::iota(ranked.begin(), ranked.end(), 0);
  std::sort(ranked.begin(), ranked.end(), [&](int a, int b) {
    const Standing& x = standings[a];
    const Standing& y = standings[b];
    if (x.group != y.group) return x.group < y.group;
    if ((x.sheets == 0) != (y.sheets == 0)) return y.sheets == 0;
    if (x.sheets == 0) return a < b;
    return Before(keys[a], keys[b]);
  });
  int rank = 0;
  for (size_t i = 0; i < ranked.size(); ++i) {
    Standing& s = standings[ranked[i]];
    bool same_group = i > 0 && standings[ranked[i - 1]].group == s.group;
    rank = same_group ? rank + 1 : 1;
    if (s.sheets == 0) continue;
    s.rank = rank;
    if (same_group) s.decided_by = DecidingStep(keys[ranked[i - 1]], keys[ranked[i]]);
    board.standings.push_back(std::move(s));
  }
  for (int e : ranked) {
    if (standings[e].sheets == 0) board.standings.push_back(std::move(standings[e]));
  }
  std::stable_sort(board.standings.begin(), board.standings.end(),
                   [](const Standing& a, const Standing& b) { return a.group < b.group; });
  return board;
}

std::vector<int> Advancing(const Leaderboard& board, int group, const Advancement& rule) {
  std::vector<const Standing*> ranked;
  for (const Standing& s : board.standings) {
    if (s.group == group && s.rank > 0) ranked.push_back(&s);
  }
  size_t count = 0;
  if (rule.by == "top") {
    count = std::min<size_t>(std::max(rule.count, 0), ranked.size());
  } else if (rule.by == "share") {
    count = std::min<size_t>((ranked.size() * std::max(rule.count, 0) + 99) / 100, ranked.size());
  } else if (rule.by == "threshold") {
    while (count < ranked.size() && Quantised(ranked[count]->score) >= Quantised(rule.threshold)) {
      ++count;
    }
  }
  std::vector<int> out;
  for (size_t i = 0; i < count; ++i) out.push_back(ranked[i]->entry);
  return out;
}

std::vector<Prize> AllocatePrizes(const Leaderboard& board, const std::vector<PrizeTier>& tiers,
                                  std::optional<double> min_score) {
  std::vector<Prize> prizes;
  size_t tier = 0;
  int given = 0;
  int group = -1;
  for (const Standing& s : board.standings) {
    if (s.group != group) {
      group = s.group;
      tier = 0;
      given = 0;
    }
    if (s.rank == 0) continue;
    while (tier < tiers.size() && given >= tiers[tier].count) {
      ++tier;
      given = 0;
    }
    if (tier == tiers.size()) continue;
    if (min_score && Quantised(s.score) < Quantised(*min_score)) continue;
    prizes.push_back({s.entry, s.group, tiers[tier].key});
    ++given;
  }
  return prizes;
}

}  // namespace parkhub::competitions
