#include "exchange/model.h"

#include <algorithm>
#include <map>
#include <regex>

#include "core/text_rules.h"

namespace parkhub::exchange {
namespace {

bool IsDate(const std::string& text) {
  static const std::regex kDate(R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))");
  return std::regex_match(text, kDate);
}

// Reads details for one kind: each check records a field error and never throws.
class DetailsChecker {
 public:
  DetailsChecker(const json& details, FieldErrors& errors) : details_(details), errors_(errors) {}

  void Allow(const std::vector<std::string>& known) {
    for (const auto& [key, value] : details_.items()) {
      if (!IsOneOf(known, key))
        errors_.Add(Field(key), "not a field of this kind of listing", "unknown_field");
    }
  }
  bool Has(const std::string& key) const { return details_.contains(key); }
  size_t Count(const std::string& key) const {
    return Has(key) && details_.at(key).is_array() ? details_.at(key).size() : 0;
  }
  void String(const std::string& key, bool required, size_t max_length = 4000) {
    if (!Has(key)) {
      if (required) errors_.Add(Field(key), "is required", "required");
      return;
    }
    const json& value = details_.at(key);
    if (!value.is_string())
      return errors_.Add(Field(key), "must be a string", "wrong_type", {{"expected", "string"}});
    std::string text = value.get<std::string>();
    if (!CheckText(Field(key), text, max_length, errors_)) return;
    if (required && text.empty()) errors_.Add(Field(key), "must not be empty", "required");
  }
  void OneOf(const std::string& key, const std::vector<std::string>& allowed) {
    if (!Has(key)) return;
    const json& value = details_.at(key);
    if (!value.is_string() || !IsOneOf(allowed, value.get<std::string>())) {
      errors_.Add(Field(key), "not one of the allowed values", "not_one_of",
                  {{"allowed", allowed}});
    }
  }
  void Strings(const std::string& key, const std::vector<std::string>* allowed = nullptr) {
    if (!Has(key)) return;
    const json& value = details_.at(key);
    if (!value.is_array() || value.size() > 100)
      return errors_.Add(Field(key), "must be a list of strings", "wrong_type",
                         {{"expected", "list"}});
    for (const auto& item : value) {
      if (!item.is_string())
        return errors_.Add(Field(key), "must be a list of strings", "wrong_type",
                           {{"expected", "list"}});
      if (!CheckText(Field(key), item.get<std::string>(), 200, errors_)) return;
      if (allowed != nullptr && !IsOneOf(*allowed, item.get<std::string>())) {
        return errors_.Add(Field(key), "holds a value that is not allowed", "not_one_of",
                           {{"allowed", *allowed}});
      }
    }
  }
  void Money(const std::string& key) {
    if (!Has(key)) return;
    const json& value = details_.at(key);
    if (!value.is_number_integer() || value.get<int64_t>() < 0) {
      errors_.Add(Field(key), "must be a whole amount of the currency's minor unit, at least 0",
                  "out_of_range", {{"min", 0}});
    }
  }
  void Boolean(const std::string& key) {
    if (Has(key) && !details_.at(key).is_boolean())
      errors_.Add(Field(key), "must be true or false", "wrong_type", {{"expected", "boolean"}});
  }
  void Date(const std::string& key) {
    if (!Has(key)) return;
    const json& value = details_.at(key);
    if (!value.is_string() || !IsDate(value.get<std::string>())) {
      errors_.Add(Field(key), "must be a date, YYYY-MM-DD", "bad_format", {{"format", "date"}});
    }
  }
  void Currency(const std::string& key) {
    if (!Has(key)) return;
    static const std::regex kCode("[A-Z]{3}");
    const json& value = details_.at(key);
    if (!value.is_string() || !std::regex_match(value.get<std::string>(), kCode)) {
      errors_.Add(Field(key), "must be an ISO 4217 code such as CNY or HKD", "bad_format",
                  {{"format", "currency"}});
    }
  }
  int64_t IntegerOr(const std::string& key, int64_t fallback) const {
    return Has(key) && details_.at(key).is_number_integer() ? details_.at(key).get<int64_t>() : fallback;
  }
  void Add(const std::string& key, const std::string& reason, const std::string& code,
           nlohmann::json params = nlohmann::json::object()) {
    errors_.Add(Field(key), reason, code, std::move(params));
  }

 private:
  static std::string Field(const std::string& key) { return "details." + key; }
  const json& details_;
  FieldErrors& errors_;
};

void CheckResult(DetailsChecker& d) {
  d.Allow({"ip_status", "patent_numbers", "transfer_modes", "negotiable", "asking_price_minor",
           "currency"});
  d.OneOf("ip_status", IpStatuses());
  d.Strings("patent_numbers");
  d.Strings("transfer_modes", &TransferModes());
  if (d.Count("transfer_modes") == 0)
    d.Add("transfer_modes", "name at least one way to transfer it", "required");
  d.Boolean("negotiable");
  d.Money("asking_price_minor");
  d.Currency("currency");
  if (!d.Has("negotiable") && !d.Has("asking_price_minor")) {
    d.Add("asking_price_minor", "give an asking price or say it is negotiable", "required");
  }
}

void CheckNeed(DetailsChecker& d) {
  d.Allow({"problem", "capability", "budget_min_minor", "budget_max_minor", "currency", "deadline",
           "location", "confidential"});
  d.String("problem", true);
  d.String("capability", false);
  d.Money("budget_min_minor");
  d.Money("budget_max_minor");
  if (d.IntegerOr("budget_min_minor", 0) > d.IntegerOr("budget_max_minor", INT64_MAX)) {
    d.Add("budget_max_minor", "must not be below budget_min_minor", "not_after",
          {{"other", "details.budget_min_minor"}});
  }
  d.Currency("currency");
  d.Date("deadline");
  d.String("location", false, 200);
  d.Boolean("confidential");
}

void CheckExpertise(DetailsChecker& d) {
  d.Allow({"past_projects"});
  d.Strings("past_projects");
}

void CheckService(DetailsChecker& d) {
  d.Allow({"service_type", "capacity", "price"});
  d.OneOf("service_type", ServiceTypes());
  if (!d.Has("service_type")) d.Add("service_type", "is required", "required");
  d.String("capacity", false, 1000);
  d.String("price", false, 200);
}

}  // namespace

const std::vector<std::string>& ListingKinds() {
  static const std::vector<std::string> k = {"result", "need", "expertise", "service"};
  return k;
}
const std::vector<std::string>& ListingStates() {
  static const std::vector<std::string> k = {"draft", "published", "closed", "expired"};
  return k;
}
const std::vector<std::string>& Visibilities() {
  static const std::vector<std::string> k = {"public", "members", "named"};
  return k;
}
const std::vector<std::string>& TransferModes() {
  static const std::vector<std::string> k = {"licence", "assignment", "joint_development", "equity",
                                             "service"};
  return k;
}
const std::vector<std::string>& IpStatuses() {
  static const std::vector<std::string> k = {"none", "pending", "granted"};
  return k;
}
const std::vector<std::string>& ServiceTypes() {
  static const std::vector<std::string> k = {"testing", "pilot", "prototyping", "other"};
  return k;
}
const std::vector<std::string>& DealKinds() {
  static const std::vector<std::string> k = {"licence", "assignment", "joint_rd", "service_contract",
                                             "equity"};
  return k;
}
const std::vector<std::string>& DealStages() {
  static const std::vector<std::string> k = {"negotiating", "signed", "delivered", "abandoned"};
  return k;
}

bool IsOneOf(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

const Workflow& ListingWorkflow() {
  static const Workflow kWorkflow("listing", {
      {"draft", "publish", "published", "owner"},
      {"expired", "publish", "published", "owner"},
      {"draft", "close", "closed", "owner"},
      {"published", "close", "closed", "owner"},
      {"expired", "close", "closed", "owner"},
  });
  return kWorkflow;
}

const Workflow& IntroductionWorkflow() {
  static const Workflow kWorkflow("introduction", {
      {"requested", "accept", "accepted", "owner"},
      {"requested", "decline", "declined", "owner"},
  });
  return kWorkflow;
}

const Workflow& DealWorkflow() {
  static const Workflow kWorkflow("deal", {
      {"negotiating", "signed", "signed", "either side"},
      {"negotiating", "abandoned", "abandoned", "either side"},
      {"signed", "delivered", "delivered", "either side"},
      {"signed", "abandoned", "abandoned", "either side"},
  });
  return kWorkflow;
}

void ValidateDetails(const std::string& kind, const json& details, FieldErrors& errors) {
  if (!details.is_object()) {
    return errors.Add("details", "must be an object", "wrong_type", {{"expected", "object"}});
  }
  DetailsChecker checker(details, errors);
  if (kind == "result") CheckResult(checker);
  if (kind == "need") CheckNeed(checker);
  if (kind == "expertise") CheckExpertise(checker);
  if (kind == "service") CheckService(checker);
}

std::string DetailsText(const json& details) {
  std::string text;
  auto append = [&](const json& value) {
    if (value.is_string()) text += value.get<std::string>() + "\n";
  };
  for (const char* key : {"problem", "capability", "capacity", "location"}) {
    if (details.contains(key)) append(details.at(key));
  }
  if (details.contains("past_projects") && details.at("past_projects").is_array()) {
    for (const auto& project : details.at("past_projects")) append(project);
  }
  return text;
}

}  // namespace parkhub::exchange
