// Viewer: who is looking at the exchange, resolved once per request (module-internal): the
// organisations they act for, whether they belong to a park, and the questions visibility asks.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "db/database.h"
#include "exchange/listing_rows.h"
#include "identity/principal.h"

namespace parkhub::exchange {

struct Viewer {
  const identity::Principal* principal = nullptr;
  // The one scope of the exchange: the organisations the viewer acts for (registry::OrgGraph:
  // as org admin or member, and every organisation below one they administer). Whose listings
  // they may edit and see whatever the state and visibility, as whom they are named, which
  // named audiences they are in. Other roles (facility manager, judge, ...) give no standing in
  // the exchange.
  std::set<int64_t> acting_for;
  bool park_member = false;  // one of them is settled in a park, or they run a park
  bool platform_admin = false;

  static Result<Viewer> Load(db::Connection& c, const identity::Principal& p);
  // Platform admins act for every organisation; others for those in `acting_for`.
  bool ActsFor(int64_t org_row_id) const;
  // The single-object, list and search paths all ask this (search through AudienceTerms).
  bool CanSee(const ListingRow& row) const;
  // The index's audience terms this viewer may see ("Vpublic", "Vmembers", "Vorg<id>"); empty
  // for platform admins, who see everything.
  std::vector<std::string> AudienceTerms() const;
};

}  // namespace parkhub::exchange
