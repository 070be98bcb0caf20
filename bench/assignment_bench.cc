// Judge assignment (issue 19): E entries, J judges, k judges an entry, a share of the pairs in
// conflict. ParkHub's assignment (a circulation with lower bounds, competitions/assignment.h)
// beside a naive greedy one (each entry in turn takes the k least-loaded judges free of conflict),
// the way spreadsheets and simple tools do it: time, and whether the result keeps the rules
// (exactly k judges, no conflict, loads within one of each other). Median of `--runs` runs.
// Usage: parkhub_assignment_bench [--entries 2000] [--judges 200] [--per-entry 3]
//                                 [--conflicts 5] [--runs 5]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "bench_flags.h"
#include "competitions/assignment.h"

namespace {

using namespace parkhub;
using namespace parkhub::competitions;
using bench::Flag;
using bench::MedianMs;

// Each entry in turn takes the k least-loaded judges free of conflict (ties by a seeded draw).
Assignment Greedy(const AssignmentProblem& p) {
  ConflictMatrix conflicted = ConflictsOf(p);
  std::mt19937_64 random(p.seed);
  Assignment out;
  out.judges_of_entry.resize(p.entries);
  out.load.assign(p.judges, 0);
  std::vector<int> order(p.judges);
  for (int entry = 0; entry < p.entries; ++entry) {
    for (int judge = 0; judge < p.judges; ++judge) order[judge] = judge;
    std::shuffle(order.begin(), order.end(), random);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return out.load[a] < out.load[b]; });
    for (int judge : order) {
      if (static_cast<int>(out.judges_of_entry[entry].size()) == p.per_entry) break;
      if (conflicted[entry][judge]) continue;
      out.judges_of_entry[entry].push_back(judge);
      ++out.load[judge];
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int entries = Flag(argc, argv, "--entries", 2000);
  int judges = Flag(argc, argv, "--judges", 200);
  int per_entry = Flag(argc, argv, "--per-entry", 3);
  int percent = Flag(argc, argv, "--conflicts", 5);
  int runs = Flag(argc, argv, "--runs", 5);
  std::printf(
      "%d entries, %d judges, %d judges an entry, %d%% of pairs in conflict; median of %d\n",
      entries, judges, per_entry, percent, runs);
  std::printf("| method | median ms | keeps the rules |\n|---|---|---|\n");
  std::vector<AssignmentProblem> problems;
  for (int i = 0; i < runs; ++i)
    problems.push_back(RandomAssignmentProblem(entries, judges, per_entry, percent, i));
  std::vector<Result<Assignment>> ours_results;
  std::vector<Assignment> greedy_results;
  double ours = MedianMs(runs, [&](int i) { ours_results.push_back(Assign(problems[i])); });
  double greedy = MedianMs(runs, [&](int i) { greedy_results.push_back(Greedy(problems[i])); });
  std::string ours_kept = "yes", greedy_kept = "yes";
  for (int i = 0; i < runs; ++i) {
    if (!ours_results[i].ok()) {
      ours_kept = "no: " + ours_results[i].status().ToString();
    } else if (Status s = CheckAssignment(problems[i], *ours_results[i]); !s.ok()) {
      ours_kept = "no: " + s.message();
    }
    if (Status s = CheckAssignment(problems[i], greedy_results[i]); !s.ok()) {
      greedy_kept = "no: " + s.message();
    }
  }
  std::printf("| ParkHub: circulation with lower bounds | %.1f | %s |\n", ours, ours_kept.c_str());
  std::printf("| naive: least-loaded judges, entry by entry | %.1f | %s |\n", greedy,
              greedy_kept.c_str());
  return 0;
}
