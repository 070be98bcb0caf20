// The two halves of a deal across the Shenzhen–Hong Kong border, wired by the app so that
// exchange and governance do not depend on each other:
//   ExchangeDealDirectory answers governance's DealDirectory with the exchange's deals, so a
//     technology flow request can name the deal it is for;
//   FlowRequestDealGate answers exchange's DealGate with governance's flow requests: a deal that
//     moves technology across the border is signed only once a technology request for it has
//     been approved (409 flow_approval_required otherwise).
// Both are stateless and thread-safe.
#pragma once

#include "exchange/deal_gate.h"
#include "governance/flow_requests.h"

namespace parkhub::app {

class ExchangeDealDirectory final : public governance::DealDirectory {
 public:
  Result<std::optional<governance::LinkedDeal>> Find(db::Connection& c,
                                                     const std::string& id) const override;
};

class FlowRequestDealGate final : public exchange::DealGate {
 public:
  Status CheckSigning(db::Connection& c, const exchange::CrossBorderDeal& deal) const override;
};

}  // namespace parkhub::app
