// Rules as boxes over the cells their conditions tell apart; see policy_analysis.h.
#include "governance/policy_analysis.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <map>
#include <set>

namespace parkhub::governance {
namespace {

using nlohmann::json;
using Cells = uint64_t;  // a set of cells of one dimension, a bit each
using Box = std::vector<Cells>;
constexpr int kMaxCells = 63;

// One dimension of the space: a field's value, whether a list holds a value, or whether a
// whitelist covers a field's value.
struct Dimension {
  enum class What { kValue, kListHolds, kWhitelisted } what = What::kValue;
  int field = 0;
  std::string name;  // kListHolds: the value; kWhitelisted: the list
  // kValue: the cells in order, the last is "absent". Text: a value each, then "other" (a value
  // no rule names); number: below the first constant, the constant, between it and the next ...,
  // above the last; bool: true, false; list and time: present.
  std::vector<std::string> texts;
  std::vector<double> samples;  // kValue of a number field: a value inside each cell
  bool has_other = false;
  int cells = 0;
  Cells all() const { return cells >= 64 ? ~Cells{0} : (Cells{1} << cells) - 1; }
};

bool Intersects(const Box& a, const Box& b) {
  for (size_t d = 0; d < a.size(); ++d) {
    if ((a[d] & b[d]) == 0) return false;
  }
  return true;
}

bool Empty(const Box& box) {
  return std::any_of(box.begin(), box.end(), [](Cells cells) { return cells == 0; });
}

// `box` minus `cut` as disjoint boxes.
std::vector<Box> Subtract(const Box& box, const Box& cut) {
  if (!Intersects(box, cut)) return {box};
  std::vector<Box> pieces;
  Box rest = box;
  for (size_t d = 0; d < box.size(); ++d) {
    Cells outside = rest[d] & ~cut[d];
    if (outside == 0) continue;
    Box piece = rest;
    piece[d] = outside;
    pieces.push_back(std::move(piece));
    rest[d] &= cut[d];
  }
  return pieces;
}

// The dimensions and rule boxes of one flow kind.
class KindSpace {
 public:
  KindSpace(const PolicySet& policy, const std::vector<const Rule*>& rules)
      : policy_(policy), rules_(rules) {}

  Status Build() {
    for (const Rule* rule : rules_) {
      for (const Condition& condition : rule->conditions) Note(condition);
    }
    for (auto& [field, constants] : texts_) RETURN_IF_ERROR(AddTextDimension(field, constants));
    for (auto& [field, constants] : numbers_) RETURN_IF_ERROR(AddNumberDimension(field, constants));
    for (int field : others_) AddPresenceDimension(field);
    for (const auto& [key, _] : atoms_) {
      Dimension atom;
      atom.what = key.second.first;
      atom.field = key.first;
      atom.name = key.second.second;
      atom.cells = 2;  // bit 0: holds or covered; bit 1: lacks or not covered
      atoms_[key] = static_cast<int>(dimensions_.size());
      dimensions_.push_back(std::move(atom));
    }
    for (const Rule* rule : rules_) boxes_.push_back(BoxOf(*rule));
    return Status::Ok();
  }

  const Box& box(size_t i) const { return boxes_[i]; }
  const std::vector<const Rule*>& rules() const { return rules_; }

  json Example(const Box& box) const {
    json facts = json::object();
    json whitelisted = json::array();
    std::map<int, json> lists;
    for (size_t d = 0; d < dimensions_.size(); ++d) {
      const Dimension& dim = dimensions_[d];
      if (box[d] == dim.all()) continue;  // the rules say nothing of it
      int cell = std::countr_zero(box[d]);
      const FieldSpec& field = policy_.fields()[dim.field];
      if (dim.what == Dimension::What::kWhitelisted) {
        whitelisted.push_back({{"field", field.name}, {"list", dim.name}, {"covered", cell == 0}});
        continue;
      }
      if (dim.what == Dimension::What::kListHolds) {
        // After the list's own dimension: the list is given unless that said absent.
        if (cell == 0 && lists.count(dim.field)) lists[dim.field].push_back(dim.name);
        continue;
      }
      if (cell == dim.cells - 1) continue;  // absent
      switch (field.type) {
        case FieldType::kText:
          // Any value no rule names: what matters of it is which whitelists cover it.
          if (field.values.empty() && dim.has_other && cell == dim.cells - 2) break;
          facts[field.name] = dim.texts[cell];
          break;
        case FieldType::kNumber:
          facts[field.name] = dim.samples[cell];
          break;
        case FieldType::kBool:
          facts[field.name] = cell == 0;
          break;
        case FieldType::kTextList:
          if (!lists.count(dim.field)) lists[dim.field] = json::array();
          break;
        case FieldType::kTime:
          break;
      }
    }
    for (auto& [field, values] : lists) facts[policy_.fields()[field].name] = values;
    return {{"facts", facts}, {"whitelisted", whitelisted}};
  }

 private:
  using AtomKey = std::pair<int, std::pair<Dimension::What, std::string>>;

  void Note(const Condition& condition) {
    const FieldSpec& field = policy_.fields()[condition.field];
    switch (condition.op) {
      case Op::kWhitelisted:
      case Op::kNotWhitelisted:
        atoms_[{condition.field, {Dimension::What::kWhitelisted, condition.text}}] = -1;
        texts_[condition.field];
        return;
      case Op::kHas:
      case Op::kLacks:
        atoms_[{condition.field, {Dimension::What::kListHolds, condition.text}}] = -1;
        others_.insert(condition.field);
        return;
      default:
        break;
    }
    if (field.type == FieldType::kText) {
      auto& constants = texts_[condition.field];
      if (!condition.text.empty()) constants.insert(condition.text);
      constants.insert(condition.texts.begin(), condition.texts.end());
    } else if (field.type == FieldType::kNumber) {
      numbers_[condition.field].insert(condition.number);
    } else {
      others_.insert(condition.field);
    }
  }

  Status TooMany(const FieldSpec& field) const {
    return Status::InvalidArgument("field " + field.name + ": more than " +
                                   std::to_string(kMaxCells) + " values to tell apart");
  }

  Status AddTextDimension(int field, const std::set<std::string>& constants) {
    const FieldSpec& spec = policy_.fields()[field];
    Dimension dim;
    dim.field = field;
    dim.texts.assign(constants.begin(), constants.end());
    std::string other;
    for (const std::string& value : spec.values) {
      if (!constants.count(value)) {
        other = value;
        break;
      }
    }
    dim.has_other = spec.values.empty() || !other.empty();
    if (dim.has_other) dim.texts.push_back(other.empty() ? "(other)" : other);
    dim.cells = static_cast<int>(dim.texts.size()) + 1;
    if (dim.cells > kMaxCells) return TooMany(spec);
    values_[field] = static_cast<int>(dimensions_.size());
    dimensions_.push_back(std::move(dim));
    return Status::Ok();
  }

  Status AddNumberDimension(int field, const std::set<double>& constants) {
    Dimension dim;
    dim.field = field;
    double previous = 0;
    bool first = true;
    for (double constant : constants) {
      dim.samples.push_back(first ? constant - 1 : (previous + constant) / 2);
      dim.samples.push_back(constant);
      previous = constant;
      first = false;
    }
    dim.samples.push_back(previous + 1);
    dim.cells = static_cast<int>(dim.samples.size()) + 1;
    if (dim.cells > kMaxCells) return TooMany(policy_.fields()[field]);
    values_[field] = static_cast<int>(dimensions_.size());
    dimensions_.push_back(std::move(dim));
    return Status::Ok();
  }

  void AddPresenceDimension(int field) {
    Dimension dim;
    dim.field = field;
    bool is_bool = policy_.fields()[field].type == FieldType::kBool;
    dim.cells = is_bool ? 3 : 2;
    values_[field] = static_cast<int>(dimensions_.size());
    dimensions_.push_back(std::move(dim));
  }

  // The cells of a value dimension whose value satisfies `condition`.
  Cells Satisfying(const Dimension& dim, const Condition& condition) const {
    const FieldSpec& field = policy_.fields()[dim.field];
    Cells cells = 0;
    for (int cell = 0; cell < dim.cells - 1; ++cell) {
      bool holds = false;
      if (field.type == FieldType::kText) {
        const std::string& value = dim.texts[cell];
        bool named = !(dim.has_other && cell == dim.cells - 2);
        auto in = [&](const std::vector<std::string>& list) {
          return named && std::find(list.begin(), list.end(), value) != list.end();
        };
        switch (condition.op) {
          case Op::kEq:
            holds = named && value == condition.text;
            break;
          case Op::kNe:
            holds = !(named && value == condition.text);
            break;
          case Op::kIn:
            holds = in(condition.texts);
            break;
          case Op::kNotIn:
            holds = !in(condition.texts);
            break;
          default:
            holds = true;
            break;  // (not_)whitelisted: any present value
        }
      } else if (field.type == FieldType::kNumber) {
        double value = dim.samples[cell];
        switch (condition.op) {
          case Op::kEq:
            holds = value == condition.number;
            break;
          case Op::kNe:
            holds = value != condition.number;
            break;
          case Op::kGt:
            holds = value > condition.number;
            break;
          case Op::kGe:
            holds = value >= condition.number;
            break;
          case Op::kLt:
            holds = value < condition.number;
            break;
          case Op::kLe:
            holds = value <= condition.number;
            break;
          default:
            holds = true;
            break;
        }
      } else if (field.type == FieldType::kBool && condition.op == Op::kIs) {
        holds = (cell == 0) == condition.flag;
      } else {
        holds = true;  // has, lacks: the list is present
      }
      if (holds) cells |= Cells{1} << cell;
    }
    return cells;
  }

  Box BoxOf(const Rule& rule) const {
    Box box(dimensions_.size());
    for (size_t d = 0; d < dimensions_.size(); ++d) box[d] = dimensions_[d].all();
    for (const Condition& condition : rule.conditions) {
      int value = values_.at(condition.field);
      box[value] &= Satisfying(dimensions_[value], condition);
      if (condition.op == Op::kWhitelisted || condition.op == Op::kNotWhitelisted) {
        int atom = atoms_.at({condition.field, {Dimension::What::kWhitelisted, condition.text}});
        box[atom] &= condition.op == Op::kWhitelisted ? 1 : 2;
      } else if (condition.op == Op::kHas || condition.op == Op::kLacks) {
        int atom = atoms_.at({condition.field, {Dimension::What::kListHolds, condition.text}});
        box[atom] &= condition.op == Op::kHas ? 1 : 2;
      }
    }
    return box;
  }

  const PolicySet& policy_;
  std::vector<const Rule*> rules_;
  std::map<int, std::set<std::string>> texts_;
  std::map<int, std::set<double>> numbers_;
  std::set<int> others_;
  std::map<AtomKey, int> atoms_;
  std::map<int, int> values_;  // field -> its value dimension
  std::vector<Dimension> dimensions_;
  std::vector<Box> boxes_;
};

int Strength(Effect effect) {
  switch (effect) {
    case Effect::kDeny:
      return 2;
    case Effect::kNeedsApproval:
      return 1;
    case Effect::kAllow:
      return 0;
  }
  return 0;
}

// True when the stronger rules cover every request of `box`; `by` gets those that meet it.
bool Overridden(const KindSpace& space, size_t rule, std::set<std::string>& by) {
  std::vector<Box> remaining = {space.box(rule)};
  int strength = Strength(space.rules()[rule]->effect);
  for (size_t other = 0; other < space.rules().size() && !remaining.empty(); ++other) {
    if (Strength(space.rules()[other]->effect) <= strength) continue;
    const Box& cut = space.box(other);
    if (!Intersects(space.box(rule), cut)) continue;
    by.insert(space.rules()[other]->id);
    std::vector<Box> next;
    for (const Box& piece : remaining) {
      for (Box& left : Subtract(piece, cut)) next.push_back(std::move(left));
    }
    remaining = std::move(next);
  }
  return remaining.empty();
}

json RuleMapById(const PolicySet& policy, const char* member) {
  json by_name = json::object();
  const json& document = policy.document();
  if (!document.contains(member)) return by_name;
  if (document[member].is_object()) return document[member];
  for (const json& item : document[member]) by_name[item.value("id", "")] = item;
  return by_name;
}

void Compare(const json& from, const json& to, std::vector<std::string>& added,
             std::vector<std::string>& removed, std::vector<std::string>& changed) {
  for (const auto& [name, definition] : to.items()) {
    if (!from.contains(name)) {
      added.push_back(name);
    } else if (from[name] != definition) {
      changed.push_back(name);
    }
  }
  for (const auto& [name, _] : from.items()) {
    if (!to.contains(name)) removed.push_back(name);
  }
}

}  // namespace

Result<PolicyAnalysis> AnalysePolicy(const PolicySet& policy) {
  const std::vector<std::string>& kinds = policy.fields()[*policy.FieldSlot("kind")].values;
  std::map<std::string, int> kinds_reaching;      // rule -> kinds where it can decide
  std::map<std::string, bool> matches_somewhere;  // rule -> some kind where it can match
  std::map<std::string, std::set<std::string>> overriding;
  std::set<std::pair<std::string, std::string>> paired;
  PolicyAnalysis analysis;
  for (const std::string& kind : kinds) {
    std::vector<const Rule*> rules;
    for (const Rule& rule : policy.rules()) {
      if (std::find(rule.kinds.begin(), rule.kinds.end(), kind) != rule.kinds.end()) {
        rules.push_back(&rule);
      }
    }
    KindSpace space(policy, rules);
    RETURN_IF_ERROR(space.Build());
    for (size_t i = 0; i < rules.size(); ++i) {
      const Rule& rule = *rules[i];
      kinds_reaching.try_emplace(rule.id, 0);
      matches_somewhere.try_emplace(rule.id, false);
      if (Empty(space.box(i))) continue;
      matches_somewhere[rule.id] = true;
      if (rule.effect == Effect::kDeny) {
        ++kinds_reaching[rule.id];
        continue;
      }
      if (!Overridden(space, i, overriding[rule.id])) ++kinds_reaching[rule.id];
      for (size_t j = 0; j < rules.size(); ++j) {
        const Rule& deny = *rules[j];
        if (deny.effect != Effect::kDeny || Empty(space.box(j))) continue;
        if (!Intersects(space.box(i), space.box(j))) continue;
        if (!paired.insert({rule.id, deny.id}).second) continue;
        Box both = space.box(i);
        for (size_t d = 0; d < both.size(); ++d) both[d] &= space.box(j)[d];
        analysis.conflicts.push_back({rule.id, deny.id, kind, space.Example(both)});
      }
    }
  }
  std::set<std::string> unreachable;
  for (const Rule& rule : policy.rules()) {
    if (!matches_somewhere[rule.id]) {
      analysis.unreachable.push_back({rule.id, "never_matches", {}});
      unreachable.insert(rule.id);
    } else if (kinds_reaching[rule.id] == 0) {
      const auto& by = overriding[rule.id];
      analysis.unreachable.push_back({rule.id, "always_overridden", {by.begin(), by.end()}});
      unreachable.insert(rule.id);
    }
  }
  // A rule that never decides is reported once, as unreachable, not again beside each deny.
  std::erase_if(analysis.conflicts,
                [&](const RuleConflict& conflict) { return unreachable.count(conflict.rule); });
  return analysis;
}

PolicyDiff DiffPolicies(const PolicySet& from, const PolicySet& to) {
  PolicyDiff diff;
  Compare(RuleMapById(from, "rules"), RuleMapById(to, "rules"), diff.rules_added,
          diff.rules_removed, diff.rules_changed);
  Compare(RuleMapById(from, "fields"), RuleMapById(to, "fields"), diff.fields_added,
          diff.fields_removed, diff.fields_changed);
  return diff;
}

json AnalysisJson(const PolicySet& policy, const PolicyAnalysis& analysis) {
  auto rule = [&policy](const std::string& id) {
    for (const Rule& candidate : policy.rules()) {
      if (candidate.id == id) return RuleJson(candidate);
    }
    return json{{"id", id}};
  };
  json unreachable = json::array();
  for (const UnreachableRule& found : analysis.unreachable) {
    json by = json::array();
    for (const std::string& id : found.by) by.push_back(rule(id));
    unreachable.push_back({{"rule", rule(found.rule)}, {"code", found.code}, {"by", by}});
  }
  json conflicts = json::array();
  for (const RuleConflict& conflict : analysis.conflicts) {
    conflicts.push_back({{"rule", rule(conflict.rule)},
                         {"denying", rule(conflict.denying)},
                         {"kind", conflict.kind},
                         {"example", conflict.example}});
  }
  return {{"unreachable", unreachable}, {"conflicts", conflicts}};
}

json DiffJson(const PolicySet& from, const PolicySet& to, const PolicyDiff& diff) {
  auto rules = [](const PolicySet& policy, const std::vector<std::string>& ids) {
    json shown = json::array();
    for (const Rule& rule : policy.rules()) {
      if (std::find(ids.begin(), ids.end(), rule.id) != ids.end()) shown.push_back(RuleJson(rule));
    }
    return shown;
  };
  auto fields = [](const PolicySet& policy, const std::vector<std::string>& names) {
    json shown = json::array();
    for (const FieldSpec& field : policy.fields()) {
      if (std::find(names.begin(), names.end(), field.name) == names.end()) continue;
      shown.push_back({{"field", field.name},
                       {"label",
                        {{"zh_hans", field.label.zh_hans},
                         {"zh_hant", field.label.zh_hant},
                         {"en", field.label.en}}}});
    }
    return shown;
  };
  // A changed rule as it now reads, with the conditions it dropped and those it gained (a
  // condition that only moved is neither), and its effect before when that changed.
  auto changed = [&from, &to](const std::vector<std::string>& ids) {
    json shown = json::array();
    for (const Rule& after : to.rules()) {
      if (std::find(ids.begin(), ids.end(), after.id) == ids.end()) continue;
      json rule = RuleJson(after);
      const Rule* before = nullptr;
      for (const Rule& candidate : from.rules()) {
        if (candidate.id == after.id) before = &candidate;
      }
      json was = json::array(), now = json::array();
      for (const Condition& condition : after.conditions)
        now.push_back(ConditionJson(to, condition));
      if (before != nullptr) {
        for (const Condition& condition : before->conditions) {
          was.push_back(ConditionJson(from, condition));
        }
        if (before->effect != after.effect) rule["effect_before"] = EffectName(before->effect);
      }
      rule["conditions_removed"] = json::array();
      rule["conditions_added"] = json::array();
      for (const json& condition : was) {
        if (std::find(now.begin(), now.end(), condition) == now.end()) {
          rule["conditions_removed"].push_back(condition);
        }
      }
      for (const json& condition : now) {
        if (std::find(was.begin(), was.end(), condition) == was.end()) {
          rule["conditions_added"].push_back(condition);
        }
      }
      shown.push_back(std::move(rule));
    }
    return shown;
  };
  return {{"rules",
           {{"added", rules(to, diff.rules_added)},
            {"removed", rules(from, diff.rules_removed)},
            {"changed", changed(diff.rules_changed)}}},
          {"fields",
           {{"added", fields(to, diff.fields_added)},
            {"removed", fields(from, diff.fields_removed)},
            {"changed", fields(to, diff.fields_changed)}}}};
}

}  // namespace parkhub::governance
