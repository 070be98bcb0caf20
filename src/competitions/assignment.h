// Judge assignment for one round of a competition: a judge coordinator can trust it.
//
// Every entry gets exactly `per_entry` judges, never one with a conflict of interest, and the
// judges' loads are as even as their caps allow: every judge carries ⌊m⌋ or ⌈m⌉ reviews, where m
// is the smallest level the caps let the round reach (the plain mean when no cap binds), or its
// cap when that is lower. The same problem and seed give the same assignment on every machine.
//
// When the constraints cannot all be met, Assign says which and why (AssignmentFailure) instead
// of quietly giving an entry fewer judges: an entry with too few judges free of conflict, caps
// that add up to less than the round needs, a group of entries that share too few judges
// (Hall's condition), or a judge the even spread asks more of than their conflicts leave.
//
// How: a flow with lower bounds. Source → entry carries exactly `per_entry`; entry → judge 1
// where there is no conflict; judge → sink between its lowest and highest even load. A feasible
// circulation (Dinic's maximum flow on the usual reduction) is an assignment; the seed shuffles
// the order in which judges are tried, so ties fall differently but reproducibly. Pure and
// thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace parkhub::competitions {

struct AssignmentProblem {
  int entries = 0;  // entries are 0 .. entries-1
  int judges = 0;   // judges are 0 .. judges-1
  int per_entry = 3;
  // The most reviews each judge takes; empty, or a negative value, for no cap.
  std::vector<int> caps;
  std::vector<std::pair<int, int>> conflicts;  // (entry, judge) pairs never assigned
  uint64_t seed = 0;
};

// Why an assignment is impossible, as data the coordinator's page words:
//   too_few_judges {entry, eligible}: fewer judges free of conflict than per_entry;
//   not_enough_capacity {needed, available}: the caps add up to less than the round needs;
//   judges_shared {entries, judges, needed, available}: these entries can only be reviewed by
//     these judges, whose remaining capacity is short of what the entries need (Hall);
//   uneven_load {judge, eligible, lowest}: the even spread asks this judge for at least `lowest`
//     reviews, but only `eligible` entries are free of conflict for them.
struct AssignmentFailure {
  std::string code;
  std::vector<int> entries;
  std::vector<int> judges;
  int64_t needed = 0;
  int64_t available = 0;
};

struct Assignment {
  std::vector<std::vector<int>> judges_of_entry;  // each sorted, size per_entry
  std::vector<int> load;                          // reviews per judge
};

// The assignment, or kInvalidArgument on a malformed problem (negative sizes, a conflict naming
// no entry or judge), or kFailedPrecondition "assignment_impossible" with `failure` filled.
Result<Assignment> Assign(const AssignmentProblem& problem, AssignmentFailure* failure = nullptr);

// conflicted[entry][judge] != 0 where the pair is in conflict. Checks nothing: call on a problem
// whose conflicts name its entries and judges.
using ConflictMatrix = std::vector<std::vector<char>>;
ConflictMatrix ConflictsOf(const AssignmentProblem& problem);

// `entries` × `judges`, `per_entry` judges an entry, about `percent` of the pairs in conflict,
// drawn from `seed` (which is also the problem's): for tests and benches.
AssignmentProblem RandomAssignmentProblem(int entries, int judges, int per_entry, int percent,
                                          uint64_t seed);

// Whether `assignment` meets `problem`'s rules (exactly per_entry distinct judges an entry, no
// conflict, no cap exceeded, loads within one of each other among judges below their caps); the
// first rule it breaks, in words, when not. For tests and for a naive assignment's comparison.
Status CheckAssignment(const AssignmentProblem& problem, const Assignment& assignment);

}  // namespace parkhub::competitions
