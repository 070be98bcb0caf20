// What a policy's reviewers read before they approve a version: rules that can never decide,
// pairs of rules that contradict each other, and how it differs from the version in force.
//
// The analysis is exhaustive over the rules' finite abstraction. Each field splits into the
// cells its conditions tell apart (a text field's values the rules name and one cell for every
// other value; a number's constants and the intervals between them; true and false; each listed
// value a list holds or lacks; whether a whitelist covers a value) plus "absent", which no
// condition accepts. A rule is then a box, one set of cells per field, and:
//   - it never matches when its conditions leave some field no cell (eq "a" with eq "b");
//   - it never decides when, for its every request, a stronger rule matches too (deny beats
//     needs_approval beats allow): its box lies inside the union of theirs, found by box
//     subtraction;
//   - an allow or needs_approval rule and a deny rule contradict each other when some request
//     matches both (the deny wins); the analysis gives one such request.
// Whitelist coverage is taken as free (an entry may be added or revoked at any time), so a rule
// is reported only when no whitelist could make it decide.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "governance/policy.h"

namespace parkhub::governance {

struct UnreachableRule {
  std::string rule;
  std::string code;             // never_matches, always_overridden
  std::vector<std::string> by;  // always_overridden: the stronger rules that match its requests
};

struct RuleConflict {
  std::string rule;     // allow or needs_approval
  std::string denying;  // the deny rule that wins over it
  std::string kind;     // a flow kind where both apply
  // A request that matches both: the facts (dotted names), and for each whitelist condition
  // whether the value is on that list.
  nlohmann::json example;
};

struct PolicyAnalysis {
  std::vector<UnreachableRule> unreachable;
  std::vector<RuleConflict> conflicts;
};

// kInvalidArgument when a field's conditions tell apart more than 63 values (not analysed).
Result<PolicyAnalysis> AnalysePolicy(const PolicySet& policy);

// Rules and fields by name: added, removed, and changed (the same name, another definition).
struct PolicyDiff {
  std::vector<std::string> rules_added, rules_removed, rules_changed;
  std::vector<std::string> fields_added, fields_removed, fields_changed;
};
PolicyDiff DiffPolicies(const PolicySet& from, const PolicySet& to);

// The findings with each rule as RuleJson shows it (its reason in three languages), so a reader
// reads what a rule says rather than its id.
nlohmann::json AnalysisJson(const PolicySet& policy, const PolicyAnalysis& analysis);
// Rules as RuleJson (removed ones from `from`, the others from `to`), fields with their labels.
nlohmann::json DiffJson(const PolicySet& from, const PolicySet& to, const PolicyDiff& diff);

}  // namespace parkhub::governance
