#include "app/cross_border_gate.h"

#include <chrono>

#include "core/clock.h"

namespace parkhub::app {

Status PolicyCrossBorderGate::Check(db::Connection& c,
                                    const facilities::CrossBorderUse& use) const {
  ASSIGN_OR_RETURN(std::shared_ptr<const governance::PolicySet> policy,
                   governance_.ActivePolicy(c));
  nlohmann::json request = {{"kind", use.kind},
                            {"direction", use.direction},
                            {"requester.organisation", use.organisation},
                            {"at", FormatUtc(TimePoint(std::chrono::seconds(use.at)))},
                            {"data.category", "research_data"},
                            {"data.personal_information", false},
                            {"data.important", false}};
  ASSIGN_OR_RETURN(governance::Facts facts, policy->ReadFacts(request));
  ASSIGN_OR_RETURN(governance::Decision decision, governance_.Decide(c, *policy, facts, false));
  if (decision.outcome == governance::Outcome::kAllow) return Status::Ok();
  std::string reasons;
  for (const governance::Rule* rule : decision.deciding) {
    reasons += (reasons.empty() ? "" : "; ") + rule->reason.text.en;
  }
  return Status(ErrorCode::kPermissionDenied, "flow_not_permitted",
                "this use sends data across the border, which the cross-border policy does not "
                "allow for your organisation (" +
                    governance::OutcomeName(decision.outcome) +
                    (reasons.empty() ? "" : ": " + reasons) + ")");
}

}  // namespace parkhub::app
