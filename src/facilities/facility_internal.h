// Internal to facilities/: what the files of FacilityService share (one class spread over a file
// per concern: resources.cc, booking_checks.cc, bookings.cc, booking_actions.cc, series.cc,
// waitlist.cc, calendar_feeds.cc). Not part of the module's interface.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/strings.h"
#include "core/text_rules.h"
#include "core/workflow.h"
#include "facilities/facility_service.h"
#include "facilities/local_time.h"
#include "identity/identity_service.h"
#include "registry/directory.h"
#include "registry/org_graph.h"

namespace parkhub::facilities {

// A booking holds its slot while the booker confirms it.
inline constexpr int64_t kHoldSeconds = 15 * 60;

// The bookings that occupy their block: the one parameter is the current instant.
inline constexpr char kActiveBlock[] =
    "state IN ('pending', 'approved', 'checked_in') OR (state = 'held' AND hold_expires_at > ?)";

// The user behind an action, or NULL for the system.
inline db::Value Actor(const Principal& p) {
  return p.user_id > 0 ? db::Value(p.user_id) : db::Value(nullptr);
}

// Who manages the facilities of an organisation: its facility managers, its admins and the
// admins of any organisation above it (registry::OrgGraph), and platform admins.
inline bool ManagesFacilitiesOf(const registry::OrgGraph& orgs, int64_t owner_id) {
  return orgs.Administers(owner_id) || orgs.HoldsRole(identity::Role::kFacilityManager, owner_id);
}

// The same, loading the principal's organisations first.
inline Result<bool> ManagesFacilitiesOf(db::Connection& c, const Principal& p, int64_t owner_id) {
  ASSIGN_OR_RETURN(auto orgs, registry::OrgGraph::Load(c, p));
  return ManagesFacilitiesOf(orgs, owner_id);
}

// A resource's names from three columns read in order: name_zh, name_zh_hant, name_en (a row
// not yet spelled in Traditional Chinese shows the Simplified name).
inline registry::Names ReadResourceNames(db::RowReader& read) {
  registry::Names names;
  names.zh_hans = read.Text();
  names.zh_hant = read.Text();
  names.en = read.Text();
  if (names.zh_hant.empty()) names.zh_hant = names.zh_hans;
  return names;
}

struct FacilityService::ResourceRow {
  int64_t id;
  int64_t owner_id;
  Resource resource;
};

// A resource with its rules and blackouts as of one value of the rules version.
struct FacilityService::ResourceSnapshot {
  int64_t rules_version = 0;
  ResourceRow row;
  std::vector<Blackout> blackouts;
};

// What a booking attempt was checked against, read in one snapshot, and that snapshot's
// version of the rules (see RulesVersion).
struct FacilityService::CheckedBooking {
  int64_t rules_version = 0;
  std::shared_ptr<const ResourceSnapshot> resource;
  BookerProfile profile;
  Quote quote;
  int64_t org_row = 0;
};

}  // namespace parkhub::facilities
