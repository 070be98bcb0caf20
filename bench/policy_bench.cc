// The policy engine's decisions (issue 18): a synthetic policy of N rules over the Hetao
// schema (policies/hetao/rules.toml's fields) and W whitelist entries, random requests decided by
// the compiled engine (rules grouped by kind, fields in slots) beside the same decisions by a
// scan over every rule. One thread; median and p99 per decision, decisions per second.
// Usage: parkhub_policy_bench [--rules 500] [--whitelist 10000] [--decisions 200000] RULES_TOML
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "governance/policy.h"

namespace {

using namespace parkhub;
using namespace parkhub::governance;
using nlohmann::json;
using Stopwatch = std::chrono::steady_clock;

// A condition on a random field of the schema, of an operator its type takes.
json RandomCondition(const json& fields, std::mt19937_64& random, int subjects) {
  std::vector<std::string> names;
  for (const auto& [name, _] : fields.items()) {
    if (name != "kind" && name != "at") names.push_back(name);
  }
  const std::string& name = names[random() % names.size()];
  const json& spec = fields[name];
  std::string type = spec["type"];
  if (type == "bool") return {{"field", name}, {"is", random() % 2 == 0}};
  if (type == "number")
    return {{"field", name}, {random() % 2 ? "gt" : "le", double(random() % 1000)}};
  if (type == "list") {
    const json& values = spec["values"];
    return {{"field", name}, {"has", values[random() % values.size()]}};
  }
  if (spec.contains("values")) {
    const json& values = spec["values"];
    json chosen = json::array({values[random() % values.size()], values[random() % values.size()]});
    return {{"field", name}, {"in", chosen}};
  }
  // A free-text field: a whitelist check on it.
  (void)subjects;
  return {{"field", name}, {"whitelisted", random() % 2 ? "organisation" : "person"}};
}

json RandomValue(const json& spec, std::mt19937_64& random, int subjects) {
  std::string type = spec["type"];
  if (type == "bool") return random() % 2 == 0;
  if (type == "number") return double(random() % 1000);
  if (type == "list") {
    json list = json::array();
    for (const auto& value : spec["values"]) {
      if (random() % 3 == 0) list.push_back(value);
    }
    return list;
  }
  if (type == "time") return "2026-06-01T09:00:00Z";
  if (spec.contains("values")) return spec["values"][random() % spec["values"].size()];
  return "subject-" + std::to_string(random() % (subjects * 2));
}

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * (values.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  int rules = 500, whitelist_size = 10000, decisions = 200000;
  std::string rules_path;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--rules" && i + 1 < argc)
      rules = std::stoi(argv[++i]);
    else if (flag == "--whitelist" && i + 1 < argc)
      whitelist_size = std::stoi(argv[++i]);
    else if (flag == "--decisions" && i + 1 < argc)
      decisions = std::stoi(argv[++i]);
    else
      rules_path = flag;
  }
  std::ifstream in(rules_path);
  if (!in) {
    std::fprintf(stderr, "usage: %s [--rules N] [--whitelist N] [--decisions N] RULES_TOML\n",
                 argv[0]);
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto hetao = TomlToJson(text.str());
  if (!hetao.ok()) return 1;
  const json& fields = (*hetao)["fields"];
  std::mt19937_64 random(42);
  json document = {{"name", "bench"}, {"fields", fields}, {"rules", json::array()}};
  std::vector<std::string> kinds = fields["kind"]["values"];
  const char* effects[] = {"allow", "allow", "allow", "deny", "needs_approval"};
  for (int r = 0; r < rules; ++r) {
    std::string effect = effects[random() % 5];
    json rule = {{"id", "rule-" + std::to_string(r)},
                 {"effect", effect},
                 {"kinds", {kinds[random() % kinds.size()]}},
                 {"when", json::array()},
                 {"reason",
                  {{"code", "code_" + std::to_string(r)},
                   {"cites", "doc"},
                   {"zh_hans", "理由"},
                   {"zh_hant", "理由"},
                   {"en", "reason"}}}};
    int conditions = 2 + static_cast<int>(random() % 4);
    for (int c = 0; c < conditions; ++c)
      rule["when"].push_back(RandomCondition(fields, random, whitelist_size));
    if (effect == "needs_approval")
      rule["approvals"] = {{"roles", {"compliance_officer"}}, {"count", 1}};
    document["rules"].push_back(rule);
  }
  auto policy = PolicySet::FromJson(document);
  if (!policy.ok()) {
    std::fprintf(stderr, "%s\n", policy.status().message().c_str());
    return 1;
  }
  std::vector<WhitelistEntry> entries;
  for (int w = 0; w < whitelist_size; ++w) {
    WhitelistEntry entry;
    entry.list = w % 2 ? "organisation" : "person";
    entry.subject = "subject-" + std::to_string(random() % (whitelist_size * 2));
    entry.kinds = {kinds[random() % kinds.size()]};
    entry.valid_from = *ParseUtc("2026-01-01T00:00:00Z");
    entry.valid_until = *ParseUtc(random() % 4 ? "2027-01-01T00:00:00Z" : "2026-03-01T00:00:00Z");
    entries.push_back(entry);
  }
  WhitelistIndex whitelist(std::move(entries));
  std::vector<Facts> requests;
  for (int q = 0; q < 1000; ++q) {
    json request = json::object();
    for (const auto& [name, spec] : fields.items()) {
      if (random() % 5 != 0 || name == "kind" || name == "at")
        request[name] = RandomValue(spec, random, whitelist_size);
    }
    auto facts = (*policy)->ReadFacts(request);
    if (!facts.ok()) {
      std::fprintf(stderr, "%s\n", facts.status().message().c_str());
      return 1;
    }
    requests.push_back(*facts);
  }

  auto measure = [&](const char* name, auto decide) {
    std::vector<double> micros;
    micros.reserve(decisions);
    int outcomes[4] = {0, 0, 0, 0};
    auto start = Stopwatch::now();
    for (int d = 0; d < decisions; ++d) {
      auto t0 = Stopwatch::now();
      Decision decision = decide(requests[d % requests.size()]);
      micros.push_back(std::chrono::duration<double, std::micro>(Stopwatch::now() - t0).count());
      ++outcomes[static_cast<int>(decision.outcome)];
    }
    (void)start;
    // Throughput apart, without a clock read around each decision.
    auto untimed = Stopwatch::now();
    size_t checksum = 0;
    for (int d = 0; d < decisions; ++d) {
      checksum += decide(requests[d % requests.size()]).deciding.size();
    }
    double seconds = std::chrono::duration<double>(Stopwatch::now() - untimed).count();
    if (checksum == 0) std::printf("(no rule decided anything)\n");
    std::printf("| %s | %d | %d | %.2f | %.2f | %.0f | %d/%d/%d/%d |\n", name, rules,
                whitelist_size, Percentile(micros, 0.5), Percentile(micros, 0.99),
                decisions / seconds, outcomes[0], outcomes[1], outcomes[2], outcomes[3]);
  };
  std::printf(
      "| engine | rules | whitelist entries | median µs | p99 µs | decisions/s | "
      "allow/deny/not_permitted/needs_approval |\n|---|---|---|---|---|---|---|\n");
  measure("compiled (rules by kind, fields in slots)",
          [&](const Facts& facts) { return (*policy)->Decide(facts, whitelist); });
  measure("compiled, with the explanation (missing fields, closest rules)",
          [&](const Facts& facts) {
            Decision decision = (*policy)->Decide(facts, whitelist);
            (*policy)->Explain(facts, whitelist, decision);
            return decision;
          });
  measure("scan over every rule",
          [&](const Facts& facts) { return (*policy)->DecideByScanning(facts, whitelist); });
  return 0;
}
