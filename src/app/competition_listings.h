// ExchangeEntryListings answers competitions' EntryListings with the exchange's listings, wired
// by the app so that competitions does not depend on exchange: an entry names the listings its
// organisation published, and its judges' co-authorship is read from their people. Stateless;
// thread-safe.
#pragma once

#include "competitions/competition_service.h"

namespace parkhub::app {

class ExchangeEntryListings final : public competitions::EntryListings {
 public:
  Result<std::optional<competitions::EntryListing>> Find(db::Connection& c,
                                                         const std::string& id) const override;
};

}  // namespace parkhub::app
