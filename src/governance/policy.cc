// Reading a policy document: TOML to JSON, the schema of fields, the rules and their conditions.
#include "governance/policy.h"

#include <toml++/toml.h>

#include <set>
#include <sstream>

#include "governance/json_fields.h"
#include "governance/merkle.h"

namespace parkhub::governance {
namespace {

using nlohmann::json;

Status Bad(const std::string& where, const std::string& why) {
  return Status::InvalidArgument("policy: " + where + ": " + why);
}

json NodeToJson(const toml::node& node);

json TableToJson(const toml::table& table) {
  json out = json::object();
  for (auto&& [key, value] : table) out[std::string(key.str())] = NodeToJson(value);
  return out;
}

json NodeToJson(const toml::node& node) {
  if (const auto* table = node.as_table()) return TableToJson(*table);
  if (const auto* array = node.as_array()) {
    json out = json::array();
    for (const auto& item : *array) out.push_back(NodeToJson(item));
    return out;
  }
  if (const auto* text = node.as_string()) return text->get();
  if (const auto* integer = node.as_integer()) return integer->get();
  if (const auto* real = node.as_floating_point()) return real->get();
  if (const auto* flag = node.as_boolean()) return flag->get();
  std::ostringstream text;  // dates and times: their TOML (RFC 3339) spelling
  if (const auto* date_time = node.as_date_time()) {
    text << date_time->get();
  } else if (const auto* date = node.as_date()) {
    text << date->get();
  } else if (const auto* time = node.as_time()) {
    text << time->get();
  }
  return text.str();
}

Result<Words> ReadWords(const json& value, const std::string& where) {
  if (!value.is_object()) return Bad(where, "needs zh_hans, zh_hant and en");
  Words words;
  for (auto [key, target] : {std::pair{"zh_hans", &words.zh_hans},
                             std::pair{"zh_hant", &words.zh_hant}, std::pair{"en", &words.en}}) {
    if (!value.contains(key) || !value[key].is_string() || value[key].get<std::string>().empty()) {
      return Bad(where, std::string("needs its ") + key + " wording");
    }
    *target = value[key].get<std::string>();
  }
  for (const auto& [key, _] : value.items()) {
    if (key != "zh_hans" && key != "zh_hant" && key != "en")
      return Bad(where, "unknown key " + key);
  }
  return words;
}

Result<std::vector<std::string>> ReadTexts(const json& value, const std::string& where) {
  if (!value.is_array()) return Bad(where, "must be a list of texts");
  std::vector<std::string> texts;
  for (const auto& item : value) {
    if (!item.is_string()) return Bad(where, "must be a list of texts");
    texts.push_back(item.get<std::string>());
  }
  return texts;
}

Result<FieldType> ReadType(const std::string& name, const std::string& where) {
  static const std::map<std::string, FieldType> kTypes = {{"text", FieldType::kText},
                                                          {"number", FieldType::kNumber},
                                                          {"bool", FieldType::kBool},
                                                          {"list", FieldType::kTextList},
                                                          {"time", FieldType::kTime}};
  auto found = kTypes.find(name);
  if (found == kTypes.end()) return Bad(where, "type is one of text, number, bool, list, time");
  return found->second;
}

const std::map<std::string, Op>& OpsByName() {
  static const std::map<std::string, Op> kOps = {{"eq", Op::kEq},
                                                 {"ne", Op::kNe},
                                                 {"in", Op::kIn},
                                                 {"not_in", Op::kNotIn},
                                                 {"gt", Op::kGt},
                                                 {"ge", Op::kGe},
                                                 {"lt", Op::kLt},
                                                 {"le", Op::kLe},
                                                 {"is", Op::kIs},
                                                 {"has", Op::kHas},
                                                 {"lacks", Op::kLacks},
                                                 {"whitelisted", Op::kWhitelisted},
                                                 {"not_whitelisted", Op::kNotWhitelisted}};
  return kOps;
}

bool Allowed(const FieldSpec& spec, const std::string& value) {
  return spec.values.empty() ||
         std::find(spec.values.begin(), spec.values.end(), value) != spec.values.end();
}

}  // namespace

std::string EffectName(Effect effect) {
  switch (effect) {
    case Effect::kAllow:
      return "allow";
    case Effect::kDeny:
      return "deny";
    case Effect::kNeedsApproval:
      return "needs_approval";
  }
  return "";
}

std::string OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kAllow:
      return "allow";
    case Outcome::kDeny:
      return "deny";
    case Outcome::kNotPermitted:
      return "not_permitted";
    case Outcome::kNeedsApproval:
      return "needs_approval";
  }
  return "";
}

std::string OpName(Op op) {
  for (const auto& [name, value] : OpsByName()) {
    if (value == op) return name;
  }
  return "";
}

Result<json> TomlToJson(std::string_view toml_text) {
  try {
    toml::table table = toml::parse(toml_text);
    return TableToJson(table);
  } catch (const toml::parse_error& error) {
    std::ostringstream where;
    where << "line " << error.source().begin.line << ", column " << error.source().begin.column;
    return Bad(where.str(), std::string(error.description()));
  }
}

Result<std::shared_ptr<const PolicySet>> PolicySet::FromToml(std::string_view toml_text) {
  ASSIGN_OR_RETURN(json document, TomlToJson(toml_text));
  return FromJson(document);
}

Result<std::shared_ptr<const PolicySet>> PolicySet::FromJson(const json& document) {
  if (!document.is_object()) return Bad("document", "must be an object");
  std::shared_ptr<PolicySet> policy(new PolicySet());
  policy->document_ = document;
  policy->hash_ = "sha256:" + ToHex(Sha256(document.dump()));
  for (const auto& [key, _] : document.items()) {
    if (key != "name" && key != "description" && key != "fields" && key != "rules") {
      return Bad("document", "unknown key " + key);
    }
  }
  if (!document.contains("name") || !document["name"].is_string()) {
    return Bad("name", "a policy needs a name");
  }
  policy->name_ = document["name"].get<std::string>();

  // The schema.
  if (!document.contains("fields") || !document["fields"].is_object()) {
    return Bad("fields", "a policy needs its fields");
  }
  for (const auto& [name, spec] : document["fields"].items()) {
    std::string where = "field " + name;
    if (!spec.is_object()) return Bad(where, "must be a table");
    FieldSpec field;
    field.name = name;
    for (const auto& [key, _] : spec.items()) {
      if (key != "type" && key != "values" && key != "required_for" && key != "label") {
        return Bad(where, "unknown key " + key);
      }
    }
    ASSIGN_OR_RETURN(field.type, ReadType(TextField(spec, "type"), where));
    if (spec.contains("values")) {
      ASSIGN_OR_RETURN(field.values, ReadTexts(spec["values"], where));
    }
    if (spec.contains("required_for")) {
      ASSIGN_OR_RETURN(field.required_for, ReadTexts(spec["required_for"], where));
    }
    ASSIGN_OR_RETURN(field.label, ReadWords(Member(spec, "label"), where + " label"));
    policy->slots_[name] = static_cast<int>(policy->fields_.size());
    policy->fields_.push_back(std::move(field));
  }
  auto slot = [&policy](const char* name) {
    auto found = policy->slots_.find(name);
    return found == policy->slots_.end() ? -1 : found->second;
  };
  policy->kind_slot_ = slot("kind");
  policy->direction_slot_ = slot("direction");
  policy->line_slot_ = slot("line");
  policy->channel_slot_ = slot("channel");
  policy->at_slot_ = slot("at");
  if (policy->kind_slot_ < 0 || policy->fields_[policy->kind_slot_].values.empty()) {
    return Bad("field kind", "a policy needs a text field \"kind\" listing the flow kinds");
  }
  if (policy->at_slot_ < 0 || policy->fields_[policy->at_slot_].type != FieldType::kTime) {
    return Bad("field at", "a policy needs a time field \"at\" (when the flow happens)");
  }
  policy->kinds_ = policy->fields_[policy->kind_slot_].values;
  for (const FieldSpec& field : policy->fields_) {
    for (const std::string& kind : field.required_for) {
      if (!Allowed(policy->fields_[policy->kind_slot_], kind)) {
        return Bad("field " + field.name, "required_for names an unknown kind " + kind);
      }
    }
  }

  // The rules.
  if (!document.contains("rules") || !document["rules"].is_array()) {
    return Bad("rules", "a policy needs a list of rules");
  }
  std::set<std::string> ids;
  for (const json& spec : document["rules"]) {
    if (!spec.is_object()) return Bad("rules", "each rule is a table");
    Rule rule;
    rule.id = TextField(spec, "id");
    std::string where = "rule " + (rule.id.empty() ? "(no id)" : rule.id);
    if (rule.id.empty() || !ids.insert(rule.id).second) return Bad(where, "needs a unique id");
    for (const auto& [key, _] : spec.items()) {
      if (key != "id" && key != "effect" && key != "kinds" && key != "when" && key != "approvals" &&
          key != "reason") {
        return Bad(where, "unknown key " + key);
      }
    }
    std::string effect = TextField(spec, "effect");
    if (effect == "allow")
      rule.effect = Effect::kAllow;
    else if (effect == "deny")
      rule.effect = Effect::kDeny;
    else if (effect == "needs_approval")
      rule.effect = Effect::kNeedsApproval;
    else
      return Bad(where, "effect is one of allow, deny, needs_approval");
    ASSIGN_OR_RETURN(rule.kinds, ReadTexts(Member(spec, "kinds"), where + " kinds"));
    if (rule.kinds.empty()) return Bad(where, "names the kinds of flow it concerns");
    for (const std::string& kind : rule.kinds) {
      if (!Allowed(policy->fields_[policy->kind_slot_], kind)) {
        return Bad(where, "unknown kind " + kind);
      }
    }
    json when = spec.contains("when") ? spec["when"] : json::array();
    if (!when.is_array()) return Bad(where, "when is a list of conditions");
    for (const json& item : when) {
      if (!item.is_object() || !item.contains("field") || !item["field"].is_string()) {
        return Bad(where, "each condition names a field");
      }
      std::string field_name = item["field"].get<std::string>();
      auto found = policy->slots_.find(field_name);
      if (found == policy->slots_.end()) return Bad(where, "unknown field " + field_name);
      const FieldSpec& field = policy->fields_[found->second];
      Condition condition;
      condition.field = found->second;
      int ops = 0;
      for (const auto& [key, value] : item.items()) {
        if (key == "field") continue;
        if (key == "says") {
          ASSIGN_OR_RETURN(Words says, ReadWords(value, where + " says"));
          condition.says = says;
          continue;
        }
        auto op = OpsByName().find(key);
        if (op == OpsByName().end()) return Bad(where, "unknown operator " + key);
        ++ops;
        condition.op = op->second;
        std::string what = where + " " + field_name + " " + key;
        switch (condition.op) {
          case Op::kEq:
          case Op::kNe:
            if (field.type == FieldType::kNumber && value.is_number()) {
              condition.is_number = true;
              condition.number = value.get<double>();
            } else if (field.type == FieldType::kText && value.is_string()) {
              condition.text = value.get<std::string>();
              if (!Allowed(field, condition.text)) return Bad(what, "not an allowed value");
            } else {
              return Bad(what, "compares a text or number field with a value of its type");
            }
            break;
          case Op::kIn:
          case Op::kNotIn: {
            if (field.type != FieldType::kText) return Bad(what, "needs a text field");
            ASSIGN_OR_RETURN(condition.texts, ReadTexts(value, what));
            for (const auto& text : condition.texts) {
              if (!Allowed(field, text)) return Bad(what, text + " is not an allowed value");
            }
            break;
          }
          case Op::kGt:
          case Op::kGe:
          case Op::kLt:
          case Op::kLe:
            if (field.type != FieldType::kNumber || !value.is_number()) {
              return Bad(what, "compares a number field with a number");
            }
            condition.is_number = true;
            condition.number = value.get<double>();
            break;
          case Op::kIs:
            if (field.type != FieldType::kBool || !value.is_boolean()) {
              return Bad(what, "needs a yes/no field and true or false");
            }
            condition.flag = value.get<bool>();
            break;
          case Op::kHas:
          case Op::kLacks:
            if (field.type != FieldType::kTextList || !value.is_string()) {
              return Bad(what, "needs a list field and a text");
            }
            condition.text = value.get<std::string>();
            if (!Allowed(field, condition.text)) return Bad(what, "not an allowed value");
            break;
          case Op::kWhitelisted:
          case Op::kNotWhitelisted:
            if (field.type != FieldType::kText || !value.is_string()) {
              return Bad(what, "needs a text field and the name of a whitelist");
            }
            condition.text = value.get<std::string>();
            break;
        }
      }
      if (ops != 1) return Bad(where, "each condition has exactly one operator");
      rule.conditions.push_back(std::move(condition));
    }
    if (spec.contains("approvals")) {
      if (rule.effect != Effect::kNeedsApproval) {
        return Bad(where, "only a needs_approval rule names approvals");
      }
      const json& approvals = spec["approvals"];
      ASSIGN_OR_RETURN(rule.approvals.roles,
                       ReadTexts(Member(approvals, "roles"), where + " approvals roles"));
      json count = Member(approvals, "count");
      if (!count.is_null() && !count.is_number_integer()) {
        return Bad(where, "approvals count is a whole number");
      }
      rule.approvals.count = count.is_null() ? 0 : count.get<int>();
      if (rule.approvals.count < 0 ||
          rule.approvals.count > static_cast<int>(rule.approvals.roles.size())) {
        return Bad(where, "approvals count is at most the number of roles");
      }
    } else if (rule.effect == Effect::kNeedsApproval) {
      return Bad(where, "a needs_approval rule names who approves");
    }
    const json& reason = Member(spec, "reason");
    if (!reason.is_object() || !reason.contains("code") || !reason["code"].is_string() ||
        !reason.contains("cites") || !reason["cites"].is_string()) {
      return Bad(where, "a reason needs a code and the document it cites");
    }
    rule.reason.code = reason["code"].get<std::string>();
    rule.reason.cites = reason["cites"].get<std::string>();
    json words = reason;
    words.erase("code");
    words.erase("cites");
    ASSIGN_OR_RETURN(rule.reason.text, ReadWords(words, where + " reason"));
    policy->rules_.push_back(std::move(rule));
  }
  policy->rules_by_kind_.resize(policy->kinds_.size());
  for (const Rule& rule : policy->rules_) {
    for (const std::string& kind : rule.kinds) {
      size_t k =
          std::find(policy->kinds_.begin(), policy->kinds_.end(), kind) - policy->kinds_.begin();
      policy->rules_by_kind_[k].push_back(&rule);
    }
  }
  auto strength = [](const Rule* rule) {
    return rule->effect == Effect::kDeny ? 0 : rule->effect == Effect::kNeedsApproval ? 1 : 2;
  };
  for (auto& rules : policy->rules_by_kind_) {
    std::stable_sort(rules.begin(), rules.end(), [&strength](const Rule* a, const Rule* b) {
      return strength(a) < strength(b);
    });
  }
  return std::shared_ptr<const PolicySet>(std::move(policy));
}

std::optional<int> PolicySet::FieldSlot(const std::string& name) const {
  auto found = slots_.find(name);
  if (found == slots_.end()) return std::nullopt;
  return found->second;
}

namespace {

void Flatten(const json& value, const std::string& prefix,
             std::vector<std::pair<std::string, const json*>>& out) {
  for (const auto& [key, item] : value.items()) {
    std::string name = prefix.empty() ? key : prefix + "." + key;
    if (item.is_object()) {
      Flatten(item, name, out);
    } else {
      out.emplace_back(name, &item);
    }
  }
}

}  // namespace

Result<Facts> PolicySet::ReadFacts(const json& request) const {
  if (!request.is_object()) return Status::InvalidArgument("a flow request is a JSON object");
  Facts facts;
  facts.slots.resize(fields_.size());
  std::vector<std::pair<std::string, const json*>> items;
  Flatten(request, "", items);
  FieldErrors errors;
  for (const auto& [name, value] : items) {
    auto found = slots_.find(name);
    if (found == slots_.end()) {
      errors.Add(name, "not a field of this policy", "unknown_field");
      continue;
    }
    if (value->is_null()) continue;
    const FieldSpec& spec = fields_[found->second];
    Facts::Value& slot = facts.slots[found->second];
    switch (spec.type) {
      case FieldType::kText:
        if (!value->is_string()) {
          errors.Add(name, "must be text", "wrong_type", {{"expected", "text"}});
        } else if (!Allowed(spec, value->get<std::string>())) {
          errors.Add(name, "not one of the allowed values", "not_one_of",
                     {{"allowed", spec.values}});
        } else {
          slot.text = value->get<std::string>();
          slot.present = true;
        }
        break;
      case FieldType::kNumber:
        if (!value->is_number()) {
          errors.Add(name, "must be a number", "wrong_type", {{"expected", "number"}});
        } else {
          slot.number = value->get<double>();
          slot.present = true;
        }
        break;
      case FieldType::kBool:
        if (!value->is_boolean()) {
          errors.Add(name, "must be true or false", "wrong_type", {{"expected", "bool"}});
        } else {
          slot.flag = value->get<bool>();
          slot.present = true;
        }
        break;
      case FieldType::kTextList: {
        bool ok = value->is_array();
        for (const auto& item : ok ? *value : json::array()) {
          if (!item.is_string() || !Allowed(spec, item.get<std::string>())) ok = false;
          if (ok) slot.list.push_back(item.get<std::string>());
        }
        if (!ok) {
          errors.Add(name, "must be a list of the allowed values", "not_one_of",
                     {{"allowed", spec.values}});
        } else {
          slot.present = true;
        }
        break;
      }
      case FieldType::kTime: {
        std::optional<TimePoint> time =
            value->is_string() ? ParseUtc(value->get<std::string>()) : std::nullopt;
        if (!time) {
          errors.Add(name, "must be a UTC time like 2026-06-01T09:00:00Z", "bad_format",
                     {{"format", "date_time"}});
        } else {
          slot.time = *time;
          slot.present = true;
        }
        break;
      }
    }
  }
  RETURN_IF_ERROR(errors.ToStatus());
  if (!facts.slots[kind_slot_].present) {
    return Status::Invalid("kind", "the kind of flow is required", "required");
  }
  facts.kind = static_cast<int>(
      std::find(kinds_.begin(), kinds_.end(), facts.slots[kind_slot_].text) - kinds_.begin());
  if (!facts.slots[at_slot_].present) {
    return Status::Invalid("at", "when the flow happens is required", "required");
  }
  return facts;
}

}  // namespace parkhub::governance
