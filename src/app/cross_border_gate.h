// PolicyCrossBorderGate: facilities' cross-border gate (facilities/eligibility.h) answered by
// governance's policy engine. A compute pool booked from the other side of the border is a data
// flow: research data without personal information or important data (what a booking carries;
// personal data goes through a flow request first), from the booking organisation, at the
// booking's start. It passes only when the policy in force allows it with the whitelists as they
// stand; anything else (not on a whitelist, a rule forbidding it, an approval needed) refuses the
// booking with the policy's reasons. Thread-safe.
#pragma once

#include "facilities/eligibility.h"
#include "governance/governance_service.h"

namespace parkhub::app {

class PolicyCrossBorderGate final : public facilities::CrossBorderGate {
 public:
  explicit PolicyCrossBorderGate(const governance::GovernanceService& governance)
      : governance_(governance) {}
  Status Check(db::Connection& c, const facilities::CrossBorderUse& use) const override;

 private:
  const governance::GovernanceService& governance_;
};

}  // namespace parkhub::app
