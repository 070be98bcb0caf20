#include "exchange/deal_gate.h"

namespace parkhub::exchange {

std::optional<CrossBorderDeal> CrossBorderDealOf(const std::string& deal_kind,
                                                 const DealParties& parties) {
  if (deal_kind != "licence" && deal_kind != "assignment") return std::nullopt;
  bool owner_supplies = parties.listing_kind != "need";
  const std::string& supplier_region =
      owner_supplies ? parties.owner_region : parties.requester_region;
  const std::string& recipient_region =
      owner_supplies ? parties.requester_region : parties.owner_region;
  bool crosses = (supplier_region == "mainland" && recipient_region == "hong_kong") ||
                 (supplier_region == "hong_kong" && recipient_region == "mainland");
  if (!crosses) return std::nullopt;
  CrossBorderDeal deal;
  deal.kind = deal_kind;
  deal.supplier = owner_supplies ? parties.owner : parties.requester;
  deal.recipient = owner_supplies ? parties.requester : parties.owner;
  deal.direction = recipient_region == "hong_kong" ? "to_hong_kong" : "to_mainland";
  return deal;
}

}  // namespace parkhub::exchange
