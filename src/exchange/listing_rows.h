// Reading listings from the database, shared by the service and the indexer (module-internal).
#pragma once

#include <cstdint>
#include <vector>

#include "db/database.h"
#include "exchange/model.h"

namespace parkhub::exchange {

struct ListingRow {
  int64_t row_id = 0;
  int64_t owner_row_id = 0;
  int64_t author_row_id = 0;
  int64_t person_row_id = 0;  // 0: none
  std::vector<int64_t> audience_row_ids;
  Listing listing;  // without history and with every field shown

  bool confidential() const {
    return listing.kind == "need" && listing.details.value("confidential", false);
  }
};

// The listings with these row ids (those that exist), in id order, with their audience.
Result<std::vector<ListingRow>> LoadListingRows(db::Connection& c, const std::vector<int64_t>& ids);
// The listings with these public ids (those that exist), in id order.
Result<std::vector<ListingRow>> LoadListingRowsByPublicIds(db::Connection& c,
                                                           const std::vector<std::string>& ids);
// One listing by public id; NotFound("listing") when there is none.
Result<ListingRow> LoadListingByPublicId(db::Connection& c, const std::string& public_id);

}  // namespace parkhub::exchange
