// Golden tests of a policy, in the manner of `opa test` and OpenFGA's `.fga.yaml`: a directory
// holds the policy (rules.toml) and test files (tests/*.toml), each with whitelist entries and
// cases: a request, the outcome expected, and optionally the exact deciding rules, the missing
// fields, a rule among the closest and the number of approvals. `parkhub policy test DIR`
// runs them; so does ctest over policies/hetao. Format in governance/README.md.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "governance/policy.h"
#include "governance/policy_analysis.h"

namespace parkhub::governance {

struct PolicyTestFailure {
  std::string file;
  std::string name;
  std::string message;
};

struct PolicyTestReport {
  std::string policy_name;
  std::string policy_hash;
  int cases = 0;
  std::vector<PolicyTestFailure> failures;
  PolicyAnalysis analysis;  // rules that can never decide fail the run; conflicts are told
};

// Reads a whitelist entry ({list, subject, kinds, directions, lines, channels, valid_from,
// valid_until, revoked_at, authority, document}; times as RFC 3339 UTC).
Result<WhitelistEntry> WhitelistEntryFromJson(const nlohmann::json& entry);

// Errors when the policy or a test file cannot be read; failing cases are in the report.
Result<PolicyTestReport> RunPolicyTests(const std::string& directory);

}  // namespace parkhub::governance
