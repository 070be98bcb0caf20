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
#include "registry/org_graph.h"

namespace parkhub::exchange {

class Viewer {
 public:
  static Result<Viewer> Load(db::Connection& c, const identity::Principal& p);

  // The one scope of the exchange: the organisations the viewer acts for (registry::OrgGraph:
  // as org admin or member, and every organisation below one they administer). Whose listings
  // they may edit and see whatever the state and visibility, as whom they are named, which
  // named audiences they are in. Other roles (facility manager, judge, ...) give no standing in
  // the exchange. Empty for a platform admin, who acts for every organisation.
  const std::set<int64_t>& acting_for() const { return graph_.acting_for(); }
  bool ActsFor(int64_t org_row_id) const { return graph_.ActsFor(org_row_id); }
  bool platform_admin() const { return graph_.IsPlatformAdmin(); }
  // One of their organisations is settled in a park, or they run a park.
  bool park_member() const { return park_member_; }
  // The single-object, list and search paths all ask this (search through AudienceTerms).
  bool CanSee(const ListingRow& row) const;
  // The index's audience terms this viewer may see ("Vpublic", "Vmembers", "Vorg<id>"); empty
  // for platform admins, who see everything.
  std::vector<std::string> AudienceTerms() const;

 private:
  explicit Viewer(registry::OrgGraph graph) : graph_(std::move(graph)) {}

  registry::OrgGraph graph_;
  bool park_member_ = false;
};

}  // namespace parkhub::exchange
