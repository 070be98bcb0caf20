// A group's entry form and eligibility rules, as data a coordinator sets, checked at entry.
//
// A group (track) asks each entry for facts (EntryField: a key, a type, required or not) and
// states its eligibility as rules over them, e.g. the team group: the leader graduated within
// 5 years (`leader_graduation_year` within_years 5), at least 3 core members; the enterprise
// group: revenue at most ¥200M, not listed, at most 2 earlier wins. CheckEntryFacts refuses
// facts that do not fit the form (unknown_field, required, wrong_type) and facts that break a
// rule (not_eligible, with the rule's operator and value as params so a page can word it).
// Pure and thread-compatible.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace parkhub::competitions {

struct EntryField {
  std::string key;
  std::string type;  // integer, number, boolean, year, text
  bool required = true;
};

struct EligibilityRule {
  std::string fact;  // an EntryField's key
  // at_least, at_most (integer, number, year), equals (any type), within_years (a year: no
  // more than `value` years before the edition's year, and not after it).
  std::string op;
  nlohmann::json value;
};

struct GroupForm {
  std::vector<EntryField> fields;
  std::vector<EligibilityRule> rules;
};

const std::vector<std::string>& EntryFieldTypes();
const std::vector<std::string>& EligibilityOperators();

// Checks a form: fields with distinct keys of a known type; rules on those fields with an
// operator that fits the field's type and a value of that type (a whole number of years for
// within_years). Field errors are named `fields[i]...` and `rules[i]...`.
Status CheckGroupForm(const GroupForm& form);

// Checks an entry's facts (an object) against `form` for an edition held in `edition_year`;
// every problem is reported, each under `facts.<key>`.
Status CheckEntryFacts(const GroupForm& form, const nlohmann::json& facts, int edition_year);

nlohmann::json GroupFormJson(const GroupForm& form);
// The inverse of GroupFormJson, checked (CheckGroupForm); `field` names where it sits.
Result<GroupForm> GroupFormFromJson(const nlohmann::json& json, const std::string& field);

// The national competition's two groups (中国创新创业大赛), the default of a new edition.
GroupForm TeamGroupForm();
GroupForm EnterpriseGroupForm();

}  // namespace parkhub::competitions
