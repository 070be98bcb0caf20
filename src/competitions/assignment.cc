#include "competitions/assignment.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <random>

namespace parkhub::competitions {
namespace {

constexpr int64_t kUnbounded = std::numeric_limits<int32_t>::max();

// Dinic's maximum flow on an adjacency-list network. Edges come in pairs (forward, reverse), so
// edge i's reverse is i ^ 1 and its flow is the reverse's capacity.
class FlowNetwork {
 public:
  explicit FlowNetwork(int nodes) : head_(nodes, -1), level_(nodes), cursor_(nodes) {}

  int AddEdge(int from, int to, int64_t capacity) {
    edges_.push_back({to, head_[from], capacity});
    head_[from] = static_cast<int>(edges_.size()) - 1;
    edges_.push_back({from, head_[to], 0});
    head_[to] = static_cast<int>(edges_.size()) - 1;
    return static_cast<int>(edges_.size()) - 2;
  }

  int64_t MaxFlow(int source, int sink) {
    int64_t total = 0;
    while (Levels(source, sink)) {
      cursor_ = head_;
      while (int64_t pushed = Push(source, sink, kUnbounded)) total += pushed;
    }
    return total;
  }

  int64_t Flow(int edge) const { return edges_[edge ^ 1].capacity; }
  // After MaxFlow: whether `node` is reachable from the source in the residual network.
  bool Reachable(int node) const { return level_[node] >= 0; }

 private:
  struct Edge {
    int to;
    int next;
    int64_t capacity;
  };

  bool Levels(int source, int sink) {
    std::fill(level_.begin(), level_.end(), -1);
    std::vector<int> queue = {source};
    level_[source] = 0;
    for (size_t i = 0; i < queue.size(); ++i) {
      int node = queue[i];
      for (int e = head_[node]; e >= 0; e = edges_[e].next) {
        if (edges_[e].capacity > 0 && level_[edges_[e].to] < 0) {
          level_[edges_[e].to] = level_[node] + 1;
          queue.push_back(edges_[e].to);
        }
      }
    }
    return level_[sink] >= 0;
  }

  // One augmenting path along increasing levels (paths here are a handful of edges long).
  int64_t Push(int node, int sink, int64_t limit) {
    if (node == sink) return limit;
    for (int& e = cursor_[node]; e >= 0; e = edges_[e].next) {
      Edge& edge = edges_[e];
      if (edge.capacity <= 0 || level_[edge.to] != level_[node] + 1) continue;
      if (int64_t pushed = Push(edge.to, sink, std::min(limit, edge.capacity))) {
        edge.capacity -= pushed;
        edges_[e ^ 1].capacity += pushed;
        return pushed;
      }
    }
    return 0;
  }

  std::vector<Edge> edges_;
  std::vector<int> head_, level_, cursor_;
};

struct Eligibility {
  std::vector<std::vector<int>> judges_of_entry;  // free of conflict, cap above 0, seeded order
  std::vector<int> entries_of_judge;              // how many entries each judge may take
};

int64_t CapOf(const AssignmentProblem& problem, int judge) {
  if (problem.caps.empty() || problem.caps[judge] < 0) return kUnbounded;
  return problem.caps[judge];
}

Status CheckShape(const AssignmentProblem& p) {
  if (p.entries < 0 || p.judges < 0 || p.per_entry < 1) {
    return Status::InvalidArgument("entries and judges must not be negative, per_entry at least 1");
  }
  if (!p.caps.empty() && static_cast<int>(p.caps.size()) != p.judges) {
    return Status::InvalidArgument("caps must name every judge or none");
  }
  for (const auto& [entry, judge] : p.conflicts) {
    if (entry < 0 || entry >= p.entries || judge < 0 || judge >= p.judges) {
      return Status::InvalidArgument("a conflict names no entry or judge of the problem");
    }
  }
  return Status::Ok();
}

// Fisher–Yates with the standard's fully specified engine, so a seed means the same order on
// every platform (std::shuffle's algorithm is the library's choice).
void Shuffle(std::vector<int>& items, std::mt19937_64& random) {
  for (size_t i = items.size(); i > 1; --i) {
    std::swap(items[i - 1], items[random() % i]);
  }
}

Eligibility EligibleJudges(const AssignmentProblem& p) {
  ConflictMatrix conflicted = ConflictsOf(p);
  std::mt19937_64 random(p.seed);
  Eligibility out;
  out.judges_of_entry.resize(p.entries);
  out.entries_of_judge.assign(p.judges, 0);
  for (int entry = 0; entry < p.entries; ++entry) {
    for (int judge = 0; judge < p.judges; ++judge) {
      if (conflicted[entry][judge] || CapOf(p, judge) == 0) continue;
      out.judges_of_entry[entry].push_back(judge);
      ++out.entries_of_judge[judge];
    }
    Shuffle(out.judges_of_entry[entry], random);
  }
  return out;
}

Status Impossible(AssignmentFailure* failure, AssignmentFailure found) {
  std::string code = found.code;
  if (failure != nullptr) *failure = std::move(found);
  return Status(ErrorCode::kFailedPrecondition, "assignment_impossible",
                "the judges cannot be assigned: " + code);
}

// The smallest level t the caps let the round reach: Σ min(cap, t) ≥ needed. -1 when even every
// judge at their cap falls short.
int64_t EvenLevel(const AssignmentProblem& p, int64_t needed) {
  int64_t low = 0, high = needed;
  auto reaches = [&](int64_t level) {
    int64_t sum = 0;
    for (int judge = 0; judge < p.judges && sum < needed; ++judge) {
      sum += std::min(CapOf(p, judge), level);
    }
    return sum >= needed;
  };
  if (!reaches(high)) return -1;
  while (low < high) {
    int64_t mid = (low + high) / 2;
    if (reaches(mid)) {
      high = mid;
    } else {
      low = mid + 1;
    }
  }
  return low;
}

// Without the even spread: can every entry get its judges at all? If not, the entries the
// residual network still reaches from the source, and the judges it reaches (all fully taken),
// are where it fails.
std::optional<AssignmentFailure> CoverageFailure(const AssignmentProblem& p,
                                                 const Eligibility& eligible) {
  const int source = p.entries + p.judges, sink = source + 1;
  FlowNetwork network(sink + 1);
  for (int entry = 0; entry < p.entries; ++entry) {
    network.AddEdge(source, entry, p.per_entry);
    for (int judge : eligible.judges_of_entry[entry]) network.AddEdge(entry, p.entries + judge, 1);
  }
  for (int judge = 0; judge < p.judges; ++judge) {
    network.AddEdge(p.entries + judge, sink, CapOf(p, judge));
  }
  int64_t needed = int64_t{p.entries} * p.per_entry;
  int64_t flow = network.MaxFlow(source, sink);
  if (flow == needed) return std::nullopt;
  AssignmentFailure failure{"judges_shared", {}, {}, needed - flow, 0};
  for (int entry = 0; entry < p.entries; ++entry) {
    if (network.Reachable(entry)) failure.entries.push_back(entry);
  }
  for (int judge = 0; judge < p.judges; ++judge) {
    if (network.Reachable(p.entries + judge)) {
      failure.judges.push_back(judge);
      failure.available += CapOf(p, judge);
    }
  }
  return failure;
}

}  // namespace

ConflictMatrix ConflictsOf(const AssignmentProblem& p) {
  ConflictMatrix conflicted(p.entries, std::vector<char>(p.judges, 0));
  for (const auto& [entry, judge] : p.conflicts) conflicted[entry][judge] = 1;
  return conflicted;
}

AssignmentProblem RandomAssignmentProblem(int entries, int judges, int per_entry, int percent,
                                          uint64_t seed) {
  AssignmentProblem problem;
  problem.entries = entries;
  problem.judges = judges;
  problem.per_entry = per_entry;
  problem.seed = seed;
  std::mt19937_64 random(seed);
  for (int entry = 0; entry < entries; ++entry) {
    for (int judge = 0; judge < judges; ++judge) {
      if (static_cast<int>(random() % 100) < percent) problem.conflicts.push_back({entry, judge});
    }
  }
  return problem;
}

Result<Assignment> Assign(const AssignmentProblem& p, AssignmentFailure* failure) {
  RETURN_IF_ERROR(CheckShape(p));
  Eligibility eligible = EligibleJudges(p);
  AssignmentFailure too_few{"too_few_judges", {}, {}, p.per_entry, kUnbounded};
  for (int entry = 0; entry < p.entries; ++entry) {
    int64_t count = static_cast<int64_t>(eligible.judges_of_entry[entry].size());
    if (count >= p.per_entry) continue;
    too_few.entries.push_back(entry);
    too_few.available = std::min(too_few.available, count);
  }
  if (!too_few.entries.empty()) return Impossible(failure, std::move(too_few));
  const int64_t needed = int64_t{p.entries} * p.per_entry;
  const int64_t level = EvenLevel(p, needed);
  if (level < 0) {
    int64_t available = 0;
    for (int judge = 0; judge < p.judges; ++judge) available += CapOf(p, judge);
    return Impossible(failure, {"not_enough_capacity", {}, {}, needed, available});
  }
  if (auto uncovered = CoverageFailure(p, eligible)) return Impossible(failure, *uncovered);

  // Loads between lowest[j] and highest[j]: the even spread, or the cap where it is lower.
  std::vector<int64_t> lowest(p.judges), highest(p.judges);
  AssignmentFailure uneven{"uneven_load", {}, {}, 0, 0};
  for (int judge = 0; judge < p.judges; ++judge) {
    highest[judge] = std::min(CapOf(p, judge), level);
    lowest[judge] = std::min(CapOf(p, judge), std::max<int64_t>(level - 1, 0));
    if (eligible.entries_of_judge[judge] < lowest[judge]) {
      uneven.judges.push_back(judge);
      uneven.needed = lowest[judge];
      uneven.available = eligible.entries_of_judge[judge];
    }
  }
  if (!uneven.judges.empty()) return Impossible(failure, std::move(uneven));

  // The circulation: source → entry exactly per_entry, judge → sink within [lowest, highest],
  // sink → source unbounded; lower bounds moved onto a super source and super sink.
  const int source = p.entries + p.judges, sink = source + 1;
  const int super_source = sink + 1, super_sink = super_source + 1;
  FlowNetwork network(super_sink + 1);
  std::vector<std::vector<int>> edges_of_entry(p.entries);
  int64_t lower_total = 0;
  for (int entry = 0; entry < p.entries; ++entry) {
    network.AddEdge(super_source, entry, p.per_entry);
    for (int judge : eligible.judges_of_entry[entry]) {
      edges_of_entry[entry].push_back(network.AddEdge(entry, p.entries + judge, 1));
    }
  }
  for (int judge = 0; judge < p.judges; ++judge) {
    network.AddEdge(p.entries + judge, sink, highest[judge] - lowest[judge]);
    network.AddEdge(p.entries + judge, super_sink, lowest[judge]);
    lower_total += lowest[judge];
  }
  network.AddEdge(sink, source, kUnbounded);
  network.AddEdge(source, super_sink, needed);
  network.AddEdge(super_source, sink, lower_total);
  if (network.MaxFlow(super_source, super_sink) != needed + lower_total) {
    return Impossible(failure, {"uneven_load", {}, {}, lower_total, 0});
  }

  Assignment out;
  out.judges_of_entry.resize(p.entries);
  out.load.assign(p.judges, 0);
  for (int entry = 0; entry < p.entries; ++entry) {
    for (size_t i = 0; i < edges_of_entry[entry].size(); ++i) {
      if (network.Flow(edges_of_entry[entry][i]) == 0) continue;
      int judge = eligible.judges_of_entry[entry][i];
      out.judges_of_entry[entry].push_back(judge);
      ++out.load[judge];
    }
    std::sort(out.judges_of_entry[entry].begin(), out.judges_of_entry[entry].end());
  }
  return out;
}

Status CheckAssignment(const AssignmentProblem& p, const Assignment& a) {
  RETURN_IF_ERROR(CheckShape(p));
  if (static_cast<int>(a.judges_of_entry.size()) != p.entries) {
    return Status::InvalidArgument("not every entry is in the assignment");
  }
  ConflictMatrix conflicted = ConflictsOf(p);
  std::vector<int64_t> load(p.judges, 0);
  for (int entry = 0; entry < p.entries; ++entry) {
    std::vector<int> judges = a.judges_of_entry[entry];
    std::sort(judges.begin(), judges.end());
    if (static_cast<int>(judges.size()) != p.per_entry ||
        std::adjacent_find(judges.begin(), judges.end()) != judges.end()) {
      return Status::InvalidArgument("entry " + std::to_string(entry) + " has " +
                                     std::to_string(judges.size()) + " distinct judges, not " +
                                     std::to_string(p.per_entry));
    }
    for (int judge : judges) {
      if (judge < 0 || judge >= p.judges) return Status::InvalidArgument("no such judge");
      if (conflicted[entry][judge]) {
        return Status::InvalidArgument("judge " + std::to_string(judge) +
                                       " has a conflict with entry " + std::to_string(entry));
      }
      ++load[judge];
    }
  }
  int64_t most = load.empty() ? 0 : *std::max_element(load.begin(), load.end());
  for (int judge = 0; judge < p.judges; ++judge) {
    if (load[judge] > CapOf(p, judge)) {
      return Status::InvalidArgument("judge " + std::to_string(judge) + " is over their cap");
    }
    if (load[judge] < std::min(CapOf(p, judge), most - 1)) {
      return Status::InvalidArgument("judge " + std::to_string(judge) + " carries " +
                                     std::to_string(load[judge]) + " reviews, another " +
                                     std::to_string(most));
    }
  }
  return Status::Ok();
}

}  // namespace parkhub::competitions
