#include "app/competition_listings.h"

#include "exchange/exchange_service.h"

namespace parkhub::app {

Result<std::optional<competitions::EntryListing>> ExchangeEntryListings::Find(
    db::Connection& c, const std::string& id) const {
  ASSIGN_OR_RETURN(auto outline, exchange::ExchangeService::ListingOutlineAt(c, id));
  if (!outline) return std::optional<competitions::EntryListing>();
  return std::optional<competitions::EntryListing>(
      competitions::EntryListing{outline->id, outline->title, outline->owner, outline->people});
}

}  // namespace parkhub::app
