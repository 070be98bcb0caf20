#include "governance/policy_tests.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "governance/json_fields.h"

namespace parkhub::governance {
namespace {

using nlohmann::json;

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("cannot read " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<std::vector<std::string>> Texts(const json& value, const std::string& what) {
  std::vector<std::string> texts;
  if (value.is_null()) return texts;
  if (!value.is_array()) return Status::InvalidArgument(what + " must be a list of texts");
  for (const auto& item : value) {
    if (!item.is_string()) return Status::InvalidArgument(what + " must be a list of texts");
    texts.push_back(item.get<std::string>());
  }
  return texts;
}

Result<TimePoint> Time(const json& value, const std::string& what) {
  std::optional<TimePoint> time =
      value.is_string() ? ParseUtc(value.get<std::string>()) : std::nullopt;
  if (!time) return Status::InvalidArgument(what + " must be a UTC time like 2026-01-01T00:00:00Z");
  return *time;
}

// A list of texts from a case; malformed lists read as a list nothing matches.
std::vector<std::string> Wanted(const json& value) {
  auto texts = Texts(value, "");
  return texts.ok() ? *texts : std::vector<std::string>{"(malformed)"};
}

std::string Joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& value : values) out += (out.empty() ? "" : ", ") + value;
  return "[" + out + "]";
}

// Why a decision is not the one a case expects, or "".
std::string Mismatch(const PolicySet& policy, const Decision& decision, const json& expected) {
  std::string outcome = OutcomeName(decision.outcome);
  std::vector<std::string> rules;
  for (const Rule* rule : decision.deciding) rules.push_back(rule->id);
  std::sort(rules.begin(), rules.end());
  if (TextField(expected, "expect") != outcome) {
    return "expected " + TextField(expected, "expect", "?") + ", got " + outcome + " by " +
           Joined(rules);
  }
  if (expected.contains("rules")) {
    std::vector<std::string> want = Wanted(expected["rules"]);
    std::sort(want.begin(), want.end());
    if (want != rules) return "expected the rules " + Joined(want) + ", got " + Joined(rules);
  }
  if (expected.contains("missing")) {
    std::vector<std::string> want = Wanted(expected["missing"]);
    std::vector<std::string> got;
    for (int slot : decision.missing) got.push_back(policy.fields()[slot].name);
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    if (want != got) return "expected missing " + Joined(want) + ", got " + Joined(got);
  }
  if (expected.contains("closest")) {
    std::string want =
        expected["closest"].is_string() ? expected["closest"].get<std::string>() : "";
    std::vector<std::string> got;
    for (const UnmetRule& unmet : decision.closest) got.push_back(unmet.rule->id);
    if (std::find(got.begin(), got.end(), want) == got.end()) {
      return "expected " + want + " among the closest rules, got " + Joined(got);
    }
  }
  if (expected.contains("approvals") && expected["approvals"] != decision.approvals.count) {
    return "expected " + expected["approvals"].dump() + " approvals, got " +
           std::to_string(decision.approvals.count);
  }
  return "";
}

}  // namespace

Result<WhitelistEntry> WhitelistEntryFromJson(const json& entry) {
  if (!entry.is_object()) return Status::InvalidArgument("a whitelist entry is a table");
  WhitelistEntry out;
  out.list = TextField(entry, "list");
  out.subject = TextField(entry, "subject");
  if (out.list.empty() || out.subject.empty()) {
    return Status::InvalidArgument("a whitelist entry needs a list and a subject");
  }
  ASSIGN_OR_RETURN(out.kinds, Texts(Member(entry, "kinds"), "kinds"));
  ASSIGN_OR_RETURN(out.directions, Texts(Member(entry, "directions"), "directions"));
  ASSIGN_OR_RETURN(out.lines, Texts(Member(entry, "lines"), "lines"));
  ASSIGN_OR_RETURN(out.channels, Texts(Member(entry, "channels"), "channels"));
  ASSIGN_OR_RETURN(out.valid_from, Time(Member(entry, "valid_from"), "valid_from"));
  ASSIGN_OR_RETURN(out.valid_until, Time(Member(entry, "valid_until"), "valid_until"));
  if (entry.contains("revoked_at")) {
    ASSIGN_OR_RETURN(TimePoint revoked, Time(entry["revoked_at"], "revoked_at"));
    out.revoked_at = revoked;
  }
  out.authority = TextField(entry, "authority");
  out.document = TextField(entry, "document");
  return out;
}

Result<PolicyTestReport> RunPolicyTests(const std::string& directory) {
  namespace fs = std::filesystem;
  ASSIGN_OR_RETURN(std::string rules_text, ReadFile(fs::path(directory) / "rules.toml"));
  auto policy = PolicySet::FromToml(rules_text);
  if (!policy.ok()) return Status::InvalidArgument("rules.toml: " + policy.status().message());
  PolicyTestReport report;
  report.policy_name = (*policy)->name();
  report.policy_hash = (*policy)->hash();
  ASSIGN_OR_RETURN(report.analysis, AnalysePolicy(**policy));
  std::vector<fs::path> files;
  std::error_code error;
  for (const auto& item : fs::directory_iterator(fs::path(directory) / "tests", error)) {
    if (item.path().extension() == ".toml") files.push_back(item.path());
  }
  if (error) return Status::InvalidArgument("cannot list " + directory + "/tests");
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    std::string name = file.filename().string();
    ASSIGN_OR_RETURN(std::string text, ReadFile(file));
    auto document = TomlToJson(text);
    if (!document.ok()) return Status::InvalidArgument(name + ": " + document.status().message());
    std::vector<WhitelistEntry> entries;
    for (const json& entry :
         Member(*document, "whitelist").is_array() ? (*document)["whitelist"] : json::array()) {
      auto read = WhitelistEntryFromJson(entry);
      if (!read.ok()) return Status::InvalidArgument(name + ": " + read.status().message());
      entries.push_back(std::move(*read));
    }
    WhitelistIndex whitelist(std::move(entries));
    for (const json& test :
         Member(*document, "cases").is_array() ? (*document)["cases"] : json::array()) {
      ++report.cases;
      std::string case_name = TextField(test, "name", "(unnamed)");
      auto facts = (*policy)->ReadFacts(Member(test, "request"));
      if (!facts.ok()) {
        std::string why = facts.status().message();
        for (const auto& field : facts.status().field_errors())
          why += "; " + field.field + ": " + field.reason;
        report.failures.push_back({name, case_name, "the request is invalid: " + why});
        continue;
      }
      Decision decision = (*policy)->Decide(*facts, whitelist);
      (*policy)->Explain(*facts, whitelist, decision);
      std::string mismatch = Mismatch(**policy, decision, test);
      Decision scanned = (*policy)->DecideByScanning(*facts, whitelist);
      if (mismatch.empty() &&
          (scanned.outcome != decision.outcome || scanned.deciding != decision.deciding)) {
        mismatch = "the scanning baseline decided otherwise";
      }
      if (!mismatch.empty()) report.failures.push_back({name, case_name, mismatch});
    }
  }
  return report;
}

}  // namespace parkhub::governance
