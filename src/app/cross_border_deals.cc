#include "app/cross_border_deals.h"

#include "exchange/exchange_service.h"

namespace parkhub::app {

Result<std::optional<governance::LinkedDeal>> ExchangeDealDirectory::Find(
    db::Connection& c, const std::string& id) const {
  ASSIGN_OR_RETURN(std::optional<exchange::CrossBorderDeal> deal,
                   exchange::ExchangeService::CrossBorderDealAt(c, id));
  if (!deal) return std::optional<governance::LinkedDeal>();
  return std::optional<governance::LinkedDeal>(
      governance::LinkedDeal{deal->introduction_id, deal->listing_title, deal->kind, deal->stage,
                             deal->supplier, deal->recipient, deal->direction});
}

Status FlowRequestDealGate::CheckSigning(db::Connection& c,
                                         const exchange::CrossBorderDeal& deal) const {
  ASSIGN_OR_RETURN(bool approved,
                   governance::FlowRequestService::ApprovedForDeal(c, deal.introduction_id));
  if (approved) return Status::Ok();
  return Status::Conflict("flow_approval_required",
                          "this " + deal.kind + " moves technology across the border (" +
                              deal.direction +
                              "): a technology flow request for it must be approved before it "
                              "is signed");
}

}  // namespace parkhub::app
