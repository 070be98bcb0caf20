// Deciding a flow: conditions, the outcome from the matching rules, the whitelist index, and the
// decision as JSON.
#include <algorithm>
#include <set>

#include "governance/policy.h"

namespace parkhub::governance {
namespace {

using nlohmann::json;

bool Contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

bool InScope(const std::vector<std::string>& scope, const std::string& value) {
  return scope.empty() || Contains(scope, value);
}

json WordsJson(const Words& words) {
  return {{"zh_hans", words.zh_hans}, {"zh_hant", words.zh_hant}, {"en", words.en}};
}

}  // namespace

WhitelistIndex::WhitelistIndex(std::vector<WhitelistEntry> entries) : entries_(std::move(entries)) {
  for (size_t i = 0; i < entries_.size(); ++i) {
    by_list_[entries_[i].list][entries_[i].subject].push_back(i);
  }
}

const WhitelistEntry* WhitelistIndex::Covering(const std::string& list, const std::string& subject,
                                               const std::string& kind,
                                               const std::string& direction,
                                               const std::string& line, const std::string& channel,
                                               TimePoint at) const {
  auto in_list = by_list_.find(list);
  if (in_list == by_list_.end()) return nullptr;
  auto found = in_list->second.find(subject);
  if (found == in_list->second.end()) return nullptr;
  for (size_t i : found->second) {
    const WhitelistEntry& entry = entries_[i];
    if (at < entry.valid_from || at >= entry.valid_until) continue;
    if (entry.revoked_at && at >= *entry.revoked_at) continue;
    if (InScope(entry.kinds, kind) && InScope(entry.directions, direction) &&
        InScope(entry.lines, line) && InScope(entry.channels, channel)) {
      return &entry;
    }
  }
  return nullptr;
}

bool PolicySet::Holds(const Condition& condition, const Facts& facts,
                      const WhitelistIndex& whitelist) const {
  const Facts::Value& value = facts.slots[condition.field];
  if (!value.present) return false;
  switch (condition.op) {
    case Op::kEq:
      return condition.is_number ? value.number == condition.number : value.text == condition.text;
    case Op::kNe:
      return condition.is_number ? value.number != condition.number : value.text != condition.text;
    case Op::kIn:
      return Contains(condition.texts, value.text);
    case Op::kNotIn:
      return !Contains(condition.texts, value.text);
    case Op::kGt:
      return value.number > condition.number;
    case Op::kGe:
      return value.number >= condition.number;
    case Op::kLt:
      return value.number < condition.number;
    case Op::kLe:
      return value.number <= condition.number;
    case Op::kIs:
      return value.flag == condition.flag;
    case Op::kHas:
      return Contains(value.list, condition.text);
    case Op::kLacks:
      return !Contains(value.list, condition.text);
    case Op::kWhitelisted:
    case Op::kNotWhitelisted: {
      auto text_of = [&facts](int slot) {
        return slot >= 0 && facts.slots[slot].present ? facts.slots[slot].text : std::string();
      };
      bool covered =
          whitelist.Covering(condition.text, value.text, kinds_[facts.kind],
                             text_of(direction_slot_), text_of(line_slot_), text_of(channel_slot_),
                             facts.slots[at_slot_].time) != nullptr;
      return condition.op == Op::kWhitelisted ? covered : !covered;
    }
  }
  return false;
}

bool PolicySet::Matches(const Rule& rule, const Facts& facts,
                        const WhitelistIndex& whitelist) const {
  for (const Condition& condition : rule.conditions) {
    if (!Holds(condition, facts, whitelist)) return false;
  }
  return true;
}

Decision PolicySet::Decide(const Facts& facts, const WhitelistIndex& whitelist) const {
  return Conclude(facts, rules_by_kind_[facts.kind], whitelist, true);
}

Decision PolicySet::DecideByScanning(const Facts& facts, const WhitelistIndex& whitelist) const {
  // Every rule read in turn, its kinds compared as text and each condition's field found by
  // name, as an interpreter without compilation would.
  std::vector<const Rule*> candidates;
  const std::string& kind = facts.slots[slots_.at("kind")].text;
  for (const Rule& rule : rules_) {
    bool concerns = false;
    for (const std::string& rule_kind : rule.kinds) concerns = concerns || rule_kind == kind;
    if (!concerns) continue;
    for (const Condition& condition : rule.conditions) {
      (void)slots_.at(fields_[condition.field].name);
    }
    candidates.push_back(&rule);
  }
  return Conclude(facts, candidates, whitelist, false);
}

Decision PolicySet::Conclude(const Facts& facts, const std::vector<const Rule*>& candidates,
                             const WhitelistIndex& whitelist, bool sorted_by_effect) const {
  Decision decision;
  // The strongest effect matched so far decides; rules of weaker effects are dropped.
  auto rank = [](Effect effect) {
    return effect == Effect::kDeny ? 3 : effect == Effect::kNeedsApproval ? 2 : 1;
  };
  int strongest = 0;
  for (const Rule* rule : candidates) {
    if (rank(rule->effect) < strongest) {
      if (sorted_by_effect) break;  // only weaker rules follow
      continue;
    }
    if (!Matches(*rule, facts, whitelist)) continue;
    if (rank(rule->effect) > strongest) {
      strongest = rank(rule->effect);
      decision.deciding.clear();
    }
    decision.deciding.push_back(rule);
  }
  if (strongest == 3) {
    decision.outcome = Outcome::kDeny;
  } else if (strongest == 2) {
    decision.outcome = Outcome::kNeedsApproval;
    for (const Rule* rule : decision.deciding) {
      for (const std::string& role : rule->approvals.roles) {
        if (!Contains(decision.approvals.roles, role)) decision.approvals.roles.push_back(role);
      }
      int count = rule->approvals.count == 0 ? static_cast<int>(rule->approvals.roles.size())
                                             : rule->approvals.count;
      decision.approvals.count = std::max(decision.approvals.count, count);
    }
  } else if (strongest == 1) {
    decision.outcome = Outcome::kAllow;
  } else {
    decision.outcome = Outcome::kNotPermitted;
  }
  return decision;
}

void PolicySet::Explain(const Facts& facts, const WhitelistIndex& whitelist,
                        Decision& decision) const {
  std::set<int> missing;
  std::vector<UnmetRule> unmet;
  for (const Rule* rule : rules_by_kind_[facts.kind]) {
    UnmetRule failing{rule, {}, 0};
    std::vector<int> absent;
    bool present_hold = true;
    bool any_hold = false;
    for (const Condition& condition : rule->conditions) {
      if (Holds(condition, facts, whitelist)) {
        any_hold = true;
        ++failing.held;
        continue;
      }
      failing.failing.push_back(&condition);
      if (facts.slots[condition.field].present) {
        present_hold = false;
      } else {
        absent.push_back(condition.field);
      }
    }
    if (failing.failing.empty()) continue;
    // A field whose absence alone keeps a rule the request already meets in part from deciding.
    if (present_hold && any_hold) missing.insert(absent.begin(), absent.end());
    if (rule->effect != Effect::kDeny) unmet.push_back(std::move(failing));
  }
  for (size_t slot = 0; slot < fields_.size(); ++slot) {
    if (!facts.slots[slot].present && Contains(fields_[slot].required_for, kinds_[facts.kind])) {
      missing.insert(static_cast<int>(slot));
    }
  }
  decision.missing.assign(missing.begin(), missing.end());
  decision.closest.clear();
  if (decision.outcome != Outcome::kNotPermitted) return;
  // Fewest conditions lacking first; of those, the rule the request meets most of.
  std::stable_sort(unmet.begin(), unmet.end(), [](const UnmetRule& a, const UnmetRule& b) {
    if (a.failing.size() != b.failing.size()) return a.failing.size() < b.failing.size();
    return a.held > b.held;
  });
  if (unmet.size() > 3) unmet.resize(3);
  decision.closest = std::move(unmet);
}

json RuleJson(const Rule& rule) {
  return json{{"id", rule.id},
              {"effect", EffectName(rule.effect)},
              {"code", rule.reason.code},
              {"cites", rule.reason.cites},
              {"reason", WordsJson(rule.reason.text)}};
}

json ConditionJson(const PolicySet& policy, const Condition& condition) {
  const FieldSpec& field = policy.fields()[condition.field];
  json out = {
      {"field", field.name}, {"label", WordsJson(field.label)}, {"op", OpName(condition.op)}};
  switch (condition.op) {
    case Op::kIn:
    case Op::kNotIn:
      out["value"] = condition.texts;
      break;
    case Op::kIs:
      out["value"] = condition.flag;
      break;
    case Op::kGt:
    case Op::kGe:
    case Op::kLt:
    case Op::kLe:
      out["value"] = condition.number;
      break;
    default:
      out["value"] = condition.is_number ? json(condition.number) : json(condition.text);
  }
  if (condition.says) out["says"] = WordsJson(*condition.says);
  return out;
}

json DecisionJson(const PolicySet& policy, const Decision& decision) {
  auto rule_json = RuleJson;
  auto field_json = [&policy](int slot) {
    const FieldSpec& field = policy.fields()[slot];
    return json{{"field", field.name}, {"label", WordsJson(field.label)}};
  };
  json out = {{"outcome", OutcomeName(decision.outcome)},
              {"policy", {{"name", policy.name()}, {"hash", policy.hash()}}}};
  out["rules"] = json::array();
  for (const Rule* rule : decision.deciding) out["rules"].push_back(rule_json(*rule));
  if (decision.outcome == Outcome::kNeedsApproval) {
    out["approvals"] = {{"roles", decision.approvals.roles}, {"count", decision.approvals.count}};
  }
  out["missing"] = json::array();
  for (int slot : decision.missing) out["missing"].push_back(field_json(slot));
  out["closest"] = json::array();
  for (const UnmetRule& unmet : decision.closest) {
    json rule = rule_json(*unmet.rule);
    rule["lacks"] = json::array();
    for (const Condition* condition : unmet.failing) {
      json lack = field_json(condition->field);
      lack["op"] = OpName(condition->op);
      if (condition->says) lack["says"] = WordsJson(*condition->says);
      rule["lacks"].push_back(std::move(lack));
    }
    out["closest"].push_back(std::move(rule));
  }
  return out;
}

}  // namespace parkhub::governance
