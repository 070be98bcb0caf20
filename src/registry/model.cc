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

const Workflow& MembershipWorkflow() {
  static const Workflow kWorkflow("membership", {
      {"applied", "under_review", "under_review", "operator"},
      {"applied", "withdrawn", "withdrawn", "operator"},
      {"under_review", "agreement_signed", "agreement_signed", "operator"},
      {"under_review", "withdrawn", "withdrawn", "operator"},
      {"agreement_signed", "settled", "settled", "operator"},
      {"agreement_signed", "withdrawn", "withdrawn", "operator"},
      {"settled", "suspended", "suspended", "operator"},
      {"settled", "withdrawn", "withdrawn", "operator"},
      {"suspended", "settled", "settled", "operator"},
      {"suspended", "withdrawn", "withdrawn", "operator"},
  });
  return kWorkflow;
}

}  // namespace parkhub::registry
