#include "registry/model.h"

#include <map>

namespace parkhub::registry {

const std::vector<std::string>& OrganizationTypes() {
  static const std::vector<std::string> kTypes = {
      "university", "research_institute", "enterprise",       "park",
      "professional_park", "alliance",     "investor",         "government_agency",
      "service_provider"};
  return kTypes;
}

const std::vector<std::string>& Regions() {
  static const std::vector<std::string> kRegions = {"mainland", "hong_kong", "macao", "foreign"};
  return kRegions;
}

const std::vector<std::string>& WellKnownTags() {
  static const std::vector<std::string> kTags = {
      "985", "211", "double_first_class", "qs_top_100", "fortune_global_500_rd",
      "national_high_tech_enterprise"};
  return kTags;
}

const std::vector<std::string>& PersonKinds() {
  static const std::vector<std::string> kKinds = {"researcher", "expert",
                                                  "tech_transfer_manager"};
  return kKinds;
}

const std::vector<std::string>& MembershipStates() {
  static const std::vector<std::string> kStates = {
      "applied", "under_review", "agreement_signed", "settled", "suspended", "withdrawn"};
  return kStates;
}

std::vector<std::string> AllowedNextStates(const std::string& state) {
  static const std::map<std::string, std::vector<std::string>> kNext = {
      {"applied", {"under_review", "withdrawn"}},
      {"under_review", {"agreement_signed", "withdrawn"}},
      {"agreement_signed", {"settled", "withdrawn"}},
      {"settled", {"suspended", "withdrawn"}},
      {"suspended", {"settled", "withdrawn"}},
      {"withdrawn", {}},
  };
  auto it = kNext.find(state);
  return it == kNext.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace parkhub::registry
