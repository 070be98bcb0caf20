#include "competitions/eligibility.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace parkhub::competitions {
namespace {

bool Contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

bool IsNumeric(const std::string& type) {
  return type == "integer" || type == "number" || type == "year";
}

bool IsWhole(const nlohmann::json& value) {
  if (value.is_number_integer()) return true;
  if (!value.is_number_float()) return false;
  double v = value.get<double>();
  return std::isfinite(v) && v == std::floor(v);
}

bool FitsType(const std::string& type, const nlohmann::json& value) {
  if (type == "integer" || type == "year") return IsWhole(value);
  if (type == "number") return value.is_number() && std::isfinite(value.get<double>());
  if (type == "boolean") return value.is_boolean();
  return value.is_string();
}

const EntryField* FieldOf(const GroupForm& form, const std::string& key) {
  for (const EntryField& field : form.fields) {
    if (field.key == key) return &field;
  }
  return nullptr;
}

bool Keeps(const EligibilityRule& rule, const nlohmann::json& fact, int edition_year) {
  if (rule.op == "equals") return fact == rule.value;
  double value = fact.get<double>();
  double bound = rule.value.get<double>();
  if (rule.op == "at_least") return value >= bound;
  if (rule.op == "at_most") return value <= bound;
  return value <= edition_year && value >= edition_year - bound;  // within_years
}

}  // namespace

const std::vector<std::string>& EntryFieldTypes() {
  static const std::vector<std::string> kTypes = {"integer", "number", "boolean", "year", "text"};
  return kTypes;
}

const std::vector<std::string>& EligibilityOperators() {
  static const std::vector<std::string> kOperators = {"at_least", "at_most", "equals",
                                                      "within_years"};
  return kOperators;
}

Status CheckGroupForm(const GroupForm& form) {
  Status status(ErrorCode::kUnprocessable, "validation_failed", "some fields are invalid");
  std::set<std::string> keys;
  for (size_t i = 0; i < form.fields.size(); ++i) {
    const EntryField& field = form.fields[i];
    std::string at = "fields[" + std::to_string(i) + "]";
    if (field.key.empty()) {
      status.AddFieldError(at + ".key", "required", "required");
    } else if (!keys.insert(field.key).second) {
      status.AddFieldError(at + ".key", "two fields share this key", "duplicate",
                           {{"id", field.key}});
    }
    if (!Contains(EntryFieldTypes(), field.type)) {
      status.AddFieldError(at + ".type", "not a field type", "not_one_of",
                           {{"allowed", EntryFieldTypes()}});
    }
  }
  for (size_t i = 0; i < form.rules.size(); ++i) {
    const EligibilityRule& rule = form.rules[i];
    std::string at = "rules[" + std::to_string(i) + "]";
    const EntryField* field = FieldOf(form, rule.fact);
    if (!field) {
      status.AddFieldError(at + ".fact", "names no field of the form", "unknown_reference",
                           {{"kind", "field"}, {"id", rule.fact}});
      continue;
    }
    bool op_fits = rule.op == "equals" ||
                   (rule.op == "within_years" ? field->type == "year" : IsNumeric(field->type));
    if (!op_fits) {
      status.AddFieldError(at + ".op", "this comparison does not fit the field's type",
                           "not_one_of", {{"allowed", EligibilityOperators()}});
      continue;
    }
    bool value_fits = rule.op == "within_years" ? IsWhole(rule.value) && rule.value >= 0
                                                : FitsType(field->type, rule.value);
    if (!value_fits) {
      status.AddFieldError(at + ".value", "the value does not fit the field's type", "wrong_type",
                           {{"expected", rule.op == "within_years" ? "integer" : field->type}});
    }
  }
  return status.field_errors().empty() ? Status::Ok() : status;
}

Status CheckEntryFacts(const GroupForm& form, const nlohmann::json& facts, int edition_year) {
  if (!facts.is_object()) {
    return Status::Invalid("facts", "an object of the form's fields", "wrong_type",
                           {{"expected", "object"}});
  }
  Status status(ErrorCode::kUnprocessable, "validation_failed", "some fields are invalid");
  for (const auto& [key, value] : facts.items()) {
    if (!FieldOf(form, key)) {
      status.AddFieldError("facts." + key, "not a field of this group's form", "unknown_field");
    }
  }
  std::set<std::string> readable;
  for (const EntryField& field : form.fields) {
    auto it = facts.find(field.key);
    if (it == facts.end() || it->is_null()) {
      if (field.required) status.AddFieldError("facts." + field.key, "required", "required");
    } else if (!FitsType(field.type, *it)) {
      status.AddFieldError("facts." + field.key, "expected " + field.type, "wrong_type",
                           {{"expected", field.type}});
    } else {
      readable.insert(field.key);
    }
  }
  for (const EligibilityRule& rule : form.rules) {
    if (!readable.count(rule.fact)) continue;
    if (!Keeps(rule, facts[rule.fact], edition_year)) {
      status.AddFieldError("facts." + rule.fact,
                           "does not meet the group's rule: " + rule.op + " " + rule.value.dump(),
                           "not_eligible", {{"op", rule.op}, {"value", rule.value}});
    }
  }
  return status.field_errors().empty() ? Status::Ok() : status;
}

nlohmann::json GroupFormJson(const GroupForm& form) {
  nlohmann::json out = {{"fields", nlohmann::json::array()}, {"rules", nlohmann::json::array()}};
  for (const EntryField& field : form.fields) {
    out["fields"].push_back(
        {{"key", field.key}, {"type", field.type}, {"required", field.required}});
  }
  for (const EligibilityRule& rule : form.rules) {
    out["rules"].push_back({{"fact", rule.fact}, {"op", rule.op}, {"value", rule.value}});
  }
  return out;
}

Result<GroupForm> GroupFormFromJson(const nlohmann::json& json, const std::string& field) {
  auto wrong = [&](const std::string& where, const std::string& expected) {
    return Status::Invalid(field + where, "expected " + expected, "wrong_type",
                           {{"expected", expected}});
  };
  if (!json.is_object()) return wrong("", "object");
  GroupForm form;
  const nlohmann::json fields = json.value("fields", nlohmann::json::array());
  const nlohmann::json rules = json.value("rules", nlohmann::json::array());
  if (!fields.is_array()) return wrong(".fields", "array");
  if (!rules.is_array()) return wrong(".rules", "array");
  for (size_t i = 0; i < fields.size(); ++i) {
    const nlohmann::json& f = fields[i];
    std::string at = ".fields[" + std::to_string(i) + "]";
    if (!f.is_object() || !f.value("key", nlohmann::json()).is_string() ||
        !f.value("type", nlohmann::json()).is_string()) {
      return wrong(at, "object with key and type");
    }
    form.fields.push_back({f["key"], f["type"], f.value("required", true)});
  }
  for (size_t i = 0; i < rules.size(); ++i) {
    const nlohmann::json& r = rules[i];
    std::string at = ".rules[" + std::to_string(i) + "]";
    if (!r.is_object() || !r.value("fact", nlohmann::json()).is_string() ||
        !r.value("op", nlohmann::json()).is_string() || !r.contains("value")) {
      return wrong(at, "object with fact, op and value");
    }
    form.rules.push_back({r["fact"], r["op"], r["value"]});
  }
  Status checked = CheckGroupForm(form);
  if (!checked.ok()) {
    Status prefixed(ErrorCode::kUnprocessable, "validation_failed", "some fields are invalid");
    for (const FieldError& e : checked.field_errors()) {
      prefixed.AddFieldError(field + "." + e.field, e.reason, e.code, e.params);
    }
    return prefixed;
  }
  return form;
}

GroupForm TeamGroupForm() {
  return {{{"leader_graduation_year", "year", true}, {"core_members", "integer", true}},
          {{"leader_graduation_year", "within_years", 5}, {"core_members", "at_least", 3}}};
}

GroupForm EnterpriseGroupForm() {
  return {{{"revenue_cny", "number", true},
           {"listed", "boolean", true},
           {"earlier_wins", "integer", true}},
          {{"revenue_cny", "at_most", 200000000},
           {"listed", "equals", false},
           {"earlier_wins", "at_most", 2}}};
}

}  // namespace parkhub::competitions
