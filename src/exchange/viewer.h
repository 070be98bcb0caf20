// Viewer: who is looking at the exchange, resolved once per request (module-internal): the
// organisations they act for, whether they belong to a park, and the questions visibility asks.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "db/database.h"
#include "exchange/listing_rows.h"
#include "identity/principal.h"

namespace parkhub::exchange {

struct Viewer {
  const identity::Principal* principal = nullptr;
  std::set<int64_t> organizations;  // every organisation a role of theirs is scoped to
  // Those and every organisation below one they administer (a university's admin acts for its
  // institutes): whose listings they see whatever the visibility, and as whom they are named.
  std::set<int64_t> acting_for;
  bool park_member = false;         // one of them is settled in a park, or they run a park
  bool platform_admin = false;

  static Result<Viewer> Load(db::Connection& c, const identity::Principal& p);
  // Writes for the organisation: its admins (or an ancestor's), its members, platform admins.
  Result<bool> ActsFor(db::Connection& c, int64_t org_row_id) const;
  Result<bool> CanSee(db::Connection& c, const ListingRow& row) const;
  // The index's audience terms this viewer may see ("Vpublic", "Vmembers", "Vorg<id>"); empty
  // for platform admins, who see everything.
  std::vector<std::string> AudienceTerms() const;
};

}  // namespace parkhub::exchange
