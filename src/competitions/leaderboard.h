// The leaderboard of one round: judges' score sheets combined fairly and explainably.
//
// Each judge fills one sheet per entry they review: a score per criterion on the round's scale.
// A sheet's total is the criteria's weighted mean (weights sum to 100), so it stays on the scale.
// An entry's standing is then:
//   - the mean of its sheet totals, never their sum (a judge who abstains or recuses leaves an
//     entry with fewer sheets, not a lower score);
//   - optionally the trimmed mean (highest and lowest dropped), only with at least
//     `trim_min_sheets` sheets (5): below that it is the plain mean, and says so;
//   - optionally normalised per judge (Evalato's method): each judge's totals become z-scores
//     against the judge's own mean and spread, mapped back onto the round's scale with the
//     round's mean and spread, and clamped to the scale. A judge with fewer than
//     `normalise_min_sheets` (8) scored sheets is not corrected: too few to know their habit.
//     The raw figures are kept beside the normalised ones;
//   - flagged as divergent when its sheets' totals spread (highest − lowest) beyond
//     `divergence`, for a further judge or a re-review.
// Standings are ranked per group by that score, and ties broken by a stated chain: the mean
// with the highest and lowest sheets dropped (with 3 sheets or more), then the sum of all
// sheet totals, then a named criterion's mean, then a draw from the round's recorded seed.
// Each standing says which step of the chain placed it below the one above. Keys are compared
// to 1e-6, so rounding never decides a place.
//
// Pure and thread-compatible: the same sheets and rules give the same leaderboard, which is how
// a published round is replayed from its events.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace parkhub::competitions {

struct Criterion {
  std::string key;
  int weight = 0;  // percent; a round's weights sum to 100
};

struct Scale {
  double min = 0;
  double max = 10;
  double step = 0;  // scores are multiples of step from min; 0: any value
};

enum class Combine { kMean, kTrimmedMean };

struct LeaderboardRules {
  std::vector<Criterion> criteria;
  Scale scale;
  Combine combine = Combine::kMean;
  int trim_min_sheets = 5;
  bool normalise = false;  // rank by the normalised mean
  int normalise_min_sheets = 8;
  double divergence = 0;      // flag a spread above it; 0: never
  std::string tie_criterion;  // a criterion's key; empty: the chain skips that step
  uint64_t draw_seed = 0;     // the recorded draw that ends the chain
};

struct ScoreSheet {
  int entry = 0;
  int judge = 0;
  std::vector<double> scores;  // one per criterion, in the rules' order
};

struct SheetResult {
  int judge = 0;
  double raw = 0;         // the weighted total
  double normalised = 0;  // equal to raw when the judge is not corrected
};

struct Standing {
  int entry = 0;
  int group = 0;
  int rank = 0;  // 1-based within its group; 0 when no sheet scores it
  int sheets = 0;
  double mean = 0;     // of the raw totals
  double trimmed = 0;  // highest and lowest dropped; equal to mean below trim_min_sheets
  bool trim_applied = false;
  double normalised = 0;  // mean of the normalised totals; equal to mean when not normalising
  double score = 0;       // what ranks it: (trimmed) mean of the raw or of the normalised totals
  double spread = 0;
  bool divergent = false;
  std::vector<double> criterion_means;     // raw, in the rules' order
  std::vector<SheetResult> sheet_results;  // by judge
  // Empty when its score alone places it below the standing above; otherwise the step of the
  // tie-break chain that did: drop_extremes, total, criterion, draw.
  std::string decided_by;
  double total = 0;  // the sum of its sheet totals
};

struct JudgeHabit {
  int judge = 0;
  int sheets = 0;
  double mean = 0;
  double spread = 0;  // population standard deviation of their totals
  bool corrected = false;
};

struct Leaderboard {
  // Group by group (ascending), each by rank; unscored entries last in their group.
  std::vector<Standing> standings;
  std::vector<JudgeHabit> judges;  // every judge with a sheet, by judge
  double round_mean = 0;
  double round_spread = 0;
};

// Checks rules and sheets: weights that sum to 100 and criteria with distinct non-empty keys, a
// scale with min < max, a tie criterion among the criteria; each sheet naming an entry below
// `entries`, a judge ≥ 0, one score per criterion within the scale and on its step, and at most
// one sheet per judge and entry. `group_of_entry` is empty (one group) or has `entries` groups.
// kUnprocessable with the offending field otherwise.
Result<Leaderboard> ComputeLeaderboard(const LeaderboardRules& rules, int entries,
                                       const std::vector<int>& group_of_entry,
                                       const std::vector<ScoreSheet>& sheets);

// Why `score` is not a score on `scale`: "out_of_range" (outside it, or not a finite number),
// "off_scale_step" (between its steps); "" when it is one.
std::string ScaleBreach(const Scale& scale, double score);

// The weighted total of one sheet's scores.
double SheetTotal(const LeaderboardRules& rules, const std::vector<double>& scores);

// Who advances from a group: the first `count` ranked ("top"), the first `count` percent rounded
// up ("share"), or every ranked standing whose score is at least `threshold` ("threshold").
struct Advancement {
  std::string by = "top";  // top, share, threshold
  int count = 0;
  double threshold = 0;
};
std::vector<int> Advancing(const Leaderboard& board, int group, const Advancement& rule);

// Prize tiers in order (first, second, third), each with a quota of entries per group.
struct PrizeTier {
  std::string key;
  int count = 0;
};
struct Prize {
  int entry = 0;
  int group = 0;
  std::string tier;
};
// Allocates each group's tiers down its ranking; a standing below `min_score` (when given) wins
// nothing, so a weak group may leave prizes unawarded.
std::vector<Prize> AllocatePrizes(const Leaderboard& board, const std::vector<PrizeTier>& tiers,
                                  std::optional<double> min_score = std::nullopt);

}  // namespace parkhub::competitions
