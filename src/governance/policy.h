// The policy engine: rules as data, and the decision on a cross-border flow with every reason.
//
// A policy is a document (TOML or the same as JSON) with a schema of the request's fields and a
// list of rules; see governance/README.md for the format and policies/hetao/ for the park's
// set. Each rule has an effect (allow, deny, needs_approval), the flow kinds it concerns, the
// conditions that must all hold, and a reason: a stable code, the document it cites, and its
// wording in zh-Hans, zh-Hant and en. A policy is immutable once parsed and addressed by the
// SHA-256 of its canonical JSON (`PolicySet::hash`).
//
// Deciding (Cedar's semantics, which users of the field expect): any matching deny rule denies
// (forbid beats permit); else any matching needs_approval rule asks for approval, by the union
// of their roles and the largest of their counts; else any matching allow rule allows; else the
// flow is not_permitted (default deny, told apart from a deny). Every decision lists every rule
// that decided it. A field a rule needs and the request lacks makes its condition false and is
// reported as missing, so a dry run on a draft says what it still needs; a not_permitted
// decision also names the allow rules closest to matching and the conditions they still lack
// ("needs a MOST filing", "carrier not designated").
//
// Rules are compiled once: fields become slots, values are typed, and rules are grouped by flow
// kind, so a decision reads only its kind's rules and no strings are looked up by name.
// Thread-safe after construction (const).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace parkhub::governance {

struct Words {
  std::string zh_hans;
  std::string zh_hant;
  std::string en;
};

enum class FieldType { kText, kNumber, kBool, kTextList, kTime };

struct FieldSpec {
  std::string name;  // dotted: "material.class"
  FieldType type = FieldType::kText;
  std::vector<std::string> values;        // allowed values of a text or list field; empty: any
  std::vector<std::string> required_for;  // flow kinds that must give it
  Words label;
};

enum class Effect { kAllow, kDeny, kNeedsApproval };
enum class Outcome { kAllow, kDeny, kNotPermitted, kNeedsApproval };
std::string EffectName(Effect effect);
std::string OutcomeName(Outcome outcome);

enum class Op {
  kEq,
  kNe,
  kIn,
  kNotIn,
  kGt,
  kGe,
  kLt,
  kLe,
  kIs,
  kHas,
  kLacks,
  kWhitelisted,
  kNotWhitelisted
};
std::string OpName(Op op);

struct Condition {
  int field = 0;  // slot in PolicySet::fields
  Op op = Op::kEq;
  std::string text;                // eq, ne, has, lacks; the list kind of (not_)whitelisted
  std::vector<std::string> texts;  // in, not_in
  double number = 0;               // gt, ge, lt, le (and eq/ne on numbers)
  bool is_number = false;
  bool flag = false;          // is
  std::optional<Words> says;  // what the condition requires, in words
};

struct Approvals {
  std::vector<std::string> roles;  // distinct roles, each approves once
  int count = 0;                   // how many of them (0: every role)
};

struct Reason {
  std::string code;
  std::string cites;  // the document: 文号 and article
  Words text;
};

struct Rule {
  std::string id;
  Effect effect = Effect::kAllow;
  std::vector<std::string> kinds;
  std::vector<Condition> conditions;
  Approvals approvals;
  Reason reason;
};

// One whitelist entry as the engine sees it (governance's whitelist store keeps their history).
struct WhitelistEntry {
  std::string list;     // person, organisation, material_class, data_category, fund_channel
  std::string subject;  // the public id or class it names
  std::vector<std::string> kinds;       // flow kinds covered; empty: all
  std::vector<std::string> directions;  // empty: both
  std::vector<std::string> lines;       // first, second; empty: both
  std::vector<std::string> channels;    // empty: any
  TimePoint valid_from{};
  TimePoint valid_until{};
  std::optional<TimePoint> revoked_at;
  std::string authority;
  std::string document;  // 文号
};

// The whitelist entries in force, indexed by (list, subject). Immutable once built.
class WhitelistIndex {
 public:
  WhitelistIndex() = default;
  explicit WhitelistIndex(std::vector<WhitelistEntry> entries);
  // The entry that covers a flow of `kind`, `direction`, `line`, `channel` at `at`, if any.
  const WhitelistEntry* Covering(const std::string& list, const std::string& subject,
                                 const std::string& kind, const std::string& direction,
                                 const std::string& line, const std::string& channel,
                                 TimePoint at) const;
  size_t size() const { return entries_.size(); }
  // The position, in the order given to the constructor, of an entry Covering returned.
  size_t PositionOf(const WhitelistEntry& entry) const {
    return static_cast<size_t>(&entry - entries_.data());
  }

 private:
  std::vector<WhitelistEntry> entries_;
  // list -> subject -> entries
  std::unordered_map<std::string, std::unordered_map<std::string, std::vector<size_t>>> by_list_;
};

// A request's facts, typed by the policy's schema.
struct Facts {
  struct Value {
    bool present = false;
    std::string text;
    double number = 0;
    bool flag = false;
    std::vector<std::string> list;
    TimePoint time{};
  };
  std::vector<Value> slots;  // one per PolicySet field
  int kind = -1;             // index into PolicySet::kinds
};

struct UnmetRule {
  const Rule* rule = nullptr;
  std::vector<const Condition*> failing;  // false or missing conditions
  int held = 0;                           // conditions the request meets
};

struct Decision {
  Outcome outcome = Outcome::kNotPermitted;
  std::vector<const Rule*> deciding;  // every rule that decided it
  Approvals approvals;                // needs_approval: who must approve
  // Fields the request lacks that its kind requires, or whose absence alone keeps a rule it
  // already meets in part from deciding.
  std::vector<int> missing;
  // not_permitted: up to three allow or needs_approval rules nearest to matching, nearest first.
  std::vector<UnmetRule> closest;
};

class PolicySet {
 public:
  // From TOML text (the operator's file) or JSON (the API); kInvalidArgument naming the rule
  // and field of the first problem.
  static Result<std::shared_ptr<const PolicySet>> FromToml(std::string_view toml);
  static Result<std::shared_ptr<const PolicySet>> FromJson(const nlohmann::json& document);

  const std::string& name() const { return name_; }
  const std::string& hash() const { return hash_; }  // "sha256:" + hex of the canonical JSON
  const nlohmann::json& document() const { return document_; }
  const std::vector<FieldSpec>& fields() const { return fields_; }
  const std::vector<Rule>& rules() const { return rules_; }
  std::optional<int> FieldSlot(const std::string& name) const;

  // Reads a request (JSON, nested objects or dotted names) against the schema: 422 with a field
  // error for an unknown field, a wrong type or a value not allowed. Fields required for the
  // kind may be absent (a draft); Decide reports them missing.
  Result<Facts> ReadFacts(const nlohmann::json& request) const;

  // The outcome, the deciding rules and the approvals; leaves missing and closest empty.
  Decision Decide(const Facts& facts, const WhitelistIndex& whitelist) const;
  // Fills the decision's missing fields and, when not permitted, its closest rules: what a
  // person reads beside the outcome (a dry run, a refusal). Costs a full pass over the kind's
  // rules, which Decide spares the many decisions nobody reads the explanation of.
  void Explain(const Facts& facts, const WhitelistIndex& whitelist, Decision& decision) const;
  // The same decision by reading every rule in turn, facts by name: the baseline the bench
  // measures the compiled engine against. Same result.
  Decision DecideByScanning(const Facts& facts, const WhitelistIndex& whitelist) const;

 private:
  PolicySet() = default;
  bool Holds(const Condition& condition, const Facts& facts, const WhitelistIndex& whitelist) const;
  bool Matches(const Rule& rule, const Facts& facts, const WhitelistIndex& whitelist) const;
  // `sorted_by_effect`: candidates come deny first, then needs_approval, then allow, so the
  // first weaker rule after a match ends the search.
  Decision Conclude(const Facts& facts, const std::vector<const Rule*>& candidates,
                    const WhitelistIndex& whitelist, bool sorted_by_effect) const;

  std::string name_;
  std::string hash_;
  nlohmann::json document_;
  std::vector<FieldSpec> fields_;
  std::map<std::string, int> slots_;
  std::vector<Rule> rules_;
  std::vector<std::string> kinds_;  // the values of the "kind" field
  std::vector<std::vector<const Rule*>> rules_by_kind_;  // deny, needs_approval, allow; stable
  int kind_slot_ = -1, direction_slot_ = -1, line_slot_ = -1, channel_slot_ = -1, at_slot_ = -1;
};

// A rule as a reader sees it: id, effect, reason code, the document it cites and its words.
nlohmann::json RuleJson(const Rule& rule);
// One of `policy`'s conditions as a reader sees it: the field with its label, the operator, the
// value it compares with (text, list, number or flag; the list kind for (not_)whitelisted) and
// what it requires in words, when the rule says.
nlohmann::json ConditionJson(const PolicySet& policy, const Condition& condition);

// JSON of a decision for the API and the ledger: outcome, rules with codes, citations and words,
// approvals, missing fields with their labels, closest rules with what they lack.
nlohmann::json DecisionJson(const PolicySet& policy, const Decision& decision);

// TOML text to JSON (tables to objects, dates and times to RFC 3339 strings).
Result<nlohmann::json> TomlToJson(std::string_view toml);

}  // namespace parkhub::governance
