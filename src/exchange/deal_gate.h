// DealGate: the cross-border side of a deal. A licence or an assignment between organisations on
// the two sides of the Shenzhen–Hong Kong border moves technology across it, which the
// cross-border policy governs: such a deal is signed only once a technology flow request for it
// has been approved. The app answers the gate with governance's flow requests, so exchange does
// not depend on governance.
//
// CrossBorderDealOf says which deals cross and which way the technology goes: from a result's
// owner to the organisation that asked for the introduction; for a need, from the organisation
// that answered it to the need's owner. Pure.
#pragma once

#include <optional>
#include <string>

#include "core/status.h"
#include "db/database.h"

namespace parkhub::exchange {

// A deal that moves technology across the border, as the gate and governance read it.
struct CrossBorderDeal {
  std::string introduction_id;  // the deal's public handle: its introduction's id
  std::string listing_title;
  std::string kind;       // licence or assignment
  std::string stage;      // negotiating signed delivered abandoned
  std::string supplier;   // public id of the organisation the technology comes from
  std::string recipient;  // public id of the organisation it goes to
  std::string direction;  // to_hong_kong or to_mainland: towards the recipient's side
};

class DealGate {
 public:
  virtual ~DealGate() = default;
  // On the signing's connection: OK, or Conflict (flow_approval_required) when no approved
  // technology flow request covers `deal`.
  virtual Status CheckSigning(db::Connection& c, const CrossBorderDeal& deal) const = 0;
};

// The parties of a deal, as CrossBorderDealOf reads them.
struct DealParties {
  std::string listing_kind;  // result, need, expertise, service
  std::string owner;         // the listing owner's public id
  std::string owner_region;  // mainland, hong_kong, macao, foreign
  std::string requester;     // the introduction requester's public id
  std::string requester_region;
};

// Whether a deal of `deal_kind` between `parties` moves technology between the mainland and
// Hong Kong, and if so its supplier, recipient and direction (the other fields left empty).
std::optional<CrossBorderDeal> CrossBorderDealOf(const std::string& deal_kind,
                                                 const DealParties& parties);

}  // namespace parkhub::exchange
