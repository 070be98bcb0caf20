#include "facilities/facility_internal.h"

#include <algorithm>

namespace parkhub::facilities {

using identity::Role;

namespace {

constexpr int64_t kNoShowWindow = 90 * 24 * 3600;
constexpr int kNoShowLimit = 3;
constexpr size_t kMaxCachedSnapshots = 10'000;

}  // namespace

Result<BookerProfile> FacilityService::Profile(db::Connection& c, const ResourceRow& resource,
                                               const OrgFacts& org) {
  BookerProfile profile;
  profile.region = org.region;
  profile.trained = org.trained;
  if (org.id == resource.owner_id) {
    profile.category = "internal";
  } else if (profile.region == "hong_kong" || profile.region == "macao") {
    profile.category = "hk_macao";
  } else if (org.type == "university" || org.type == "research_institute") {
    ASSIGN_OR_RETURN(bool shared_park,
                     registry::Directory::ShareSettledPark(c, org.id, resource.owner_id));
    profile.category = shared_park ? "member_academic" : "external_academic";
  } else {
    profile.category = "industry";
  }
  return profile;
}

Status FacilityService::CheckEligible(db::Connection& c, const ResourceRow& r,
                                      const BookerProfile& profile, int64_t starts_at) {
  RETURN_IF_ERROR(policy_.Check(r.resource, profile));
  if (gate_ == nullptr || r.resource.kind != "compute_pool") return Status::Ok();
  ASSIGN_OR_RETURN(auto owners, registry::Directory::OrganizationsByRow(c, {r.owner_id}));
  auto owner = owners.find(r.owner_id);
  if (owner == owners.end()) return Status::Internal("a resource without its owner");
  std::optional<CrossBorderUse> use =
      CrossBorderUseOf(r.resource, owner->second.region, profile, starts_at);
  return use ? gate_->Check(c, *use) : Status::Ok();
}

Status FacilityService::CheckTimeRules(const ResourceSnapshot& snapshot,
                                       const BookingRequest& request, int64_t now) {
  const ResourceRow& row = snapshot.row;
  const ResourceRules& rules = row.resource.rules;
  if (request.ends_at <= request.starts_at) {
    return Status::Invalid("ends_at", "must be after starts_at", "not_after",
                           {{"other", "starts_at"}});
  }
  int64_t seconds = request.ends_at - request.starts_at;
  if (seconds % 60 != 0 || request.starts_at % 60 != 0) {
    return Status::Invalid("starts_at", "times must be whole minutes", "bad_format",
                           {{"format", "whole_minutes"}});
  }
  int64_t minutes = seconds / 60;
  if (minutes < rules.min_minutes) {
    return Status::Invalid(
        "ends_at", "shorter than the minimum of " + std::to_string(rules.min_minutes) + " minutes",
        "too_short", {{"min_minutes", rules.min_minutes}});
  }
  if (minutes > rules.max_minutes) {
    return Status::Invalid(
        "ends_at", "longer than the maximum of " + std::to_string(rules.max_minutes) + " minutes",
        "too_long", {{"max_minutes", rules.max_minutes}});
  }
  int g = rules.granularity_minutes;
  if (LocalMinuteOfDay(request.starts_at, row.resource.time_zone) % g != 0 || minutes % g != 0) {
    return Status::Invalid("starts_at",
                           "bookings start and last in steps of " + std::to_string(g) +
                               " minutes of " + row.resource.time_zone + " time",
                           "off_grid",
                           {{"step_minutes", g}, {"time_zone", row.resource.time_zone}});
  }
  if (request.starts_at < now) return Status::Invalid("starts_at", "is in the past", "in_the_past");
  if (request.starts_at < now + int64_t{rules.lead_minutes} * 60) {
    return Status::Invalid(
        "starts_at", "must be at least " + std::to_string(rules.lead_minutes) + " minutes from now",
        "too_soon", {{"lead_minutes", rules.lead_minutes}});
  }
  if (request.starts_at > now + int64_t{rules.horizon_days} * 86400) {
    return Status::Invalid(
        "starts_at",
        "beyond the booking horizon of " + std::to_string(rules.horizon_days) + " days",
        "beyond_horizon", {{"horizon_days", rules.horizon_days}});
  }
  if (request.units < 1 || request.units > rules.capacity) {
    return Status::Invalid("units", "must be 1 to " + std::to_string(rules.capacity),
                           "out_of_range", {{"min", 1}, {"max", rules.capacity}});
  }
  int64_t block_start = request.starts_at - int64_t{rules.setup_minutes} * 60;
  int64_t block_end = request.ends_at + int64_t{rules.cleanup_minutes} * 60;
  for (const Blackout& blackout : snapshot.blackouts) {
    if (blackout.starts_at < block_end && blackout.ends_at > block_start) {
      return Status::Invalid("starts_at",
                             "falls in a blackout window" +
                                 (blackout.reason.empty() ? std::string() : ": " + blackout.reason),
                             "in_blackout", {{"reason", blackout.reason}});
    }
  }
  return Status::Ok();
}

Result<std::shared_ptr<const FacilityService::ResourceSnapshot>> FacilityService::Snapshot(
    db::Connection& c, const std::string& resource_id, int64_t rules_version) {
  {
    ReaderLock lock(snapshots_mutex_);
    auto it = snapshots_.find(resource_id);
    if (it != snapshots_.end() && it->second->rules_version == rules_version) return it->second;
  }
  auto snapshot = std::make_shared<ResourceSnapshot>();
  snapshot->rules_version = rules_version;
  ASSIGN_OR_RETURN(snapshot->row, LoadResourceRow(c, resource_id));
  ASSIGN_OR_RETURN(auto blackouts, c.Query("SELECT starts_at, ends_at, reason FROM "
                                           "resource_blackouts WHERE resource_id = ?",
                                           {snapshot->row.id}));
  for (const auto& b : blackouts) snapshot->blackouts.push_back({b.Int(0), b.Int(1), b.Text(2)});
  WriterLock lock(snapshots_mutex_);
  if (snapshots_.size() >= kMaxCachedSnapshots) snapshots_.clear();
  snapshots_[resource_id] = snapshot;
  return std::shared_ptr<const ResourceSnapshot>(std::move(snapshot));
}

Status FacilityService::CheckSlotFree(db::Connection& c, const ResourceRow& r, int64_t block_start,
                                      int64_t block_end, int units, int64_t now) {
  // Only blocks starting less than the resource's longest block before this one can reach it.
  ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT block_start, block_end, units FROM "
                                                  "bookings WHERE resource_id = ? AND block_start "
                                                  "< ? AND block_start > ? - COALESCE((SELECT "
                                                  "longest_seconds FROM resource_block_extents "
                                                  "WHERE resource_id = ?), 0) AND block_end > ? "
                                                  "AND (") +
                                          kActiveBlock + ")",
                                      {r.id, block_end, block_start, r.id, block_start, now}));
  // The load peaks at the new block's start or at the start of an overlapping block.
  std::vector<int64_t> points = {block_start};
  for (const auto& row : rows) points.push_back(std::max(block_start, row.Int(0)));
  int64_t peak = 0;
  for (int64_t point : points) {
    int64_t load = 0;
    for (const auto& row : rows) {
      if (row.Int(0) <= point && point < row.Int(1)) load += row.Int(2);
    }
    peak = std::max(peak, load);
  }
  if (peak + units > r.resource.rules.capacity) {
    return Status::Conflict("slot_taken", "that time is already booked (set-up and clean-up included)");
  }
  return Status::Ok();
}

Result<Quote> FacilityService::Price(db::Connection& c, const Principal& p, const ResourceRow& r,
                                     const BookingRequest& request, int64_t now,
                                     BookerProfile* profile, int64_t* org_row) {
  ASSIGN_OR_RETURN(auto booker_org, registry::Directory::FindOrganization(c, request.organization_id));
  if (!booker_org) {
    return Status::Invalid("organization_id", "no such organisation", "unknown_reference",
                           {{"kind", "organization"}});
  }
  // Whether the booker is trained and their recent no-shows, in one read: this runs per booking.
  // No-shows count within the window and after the last lift of a block.
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT (SELECT COUNT(*) FROM qualifications q WHERE "
                                        "q.user_id = ? AND q.resource_id = ? AND q.expires_at > "
                                        "?), (SELECT COUNT(*) FROM bookings b WHERE b.user_id = ? "
                                        "AND b.state = 'no_show' AND b.no_show_at > ? AND "
                                        "b.no_show_at > COALESCE((SELECT MAX(lifted_at) FROM "
                                        "no_show_lifts WHERE user_id = ?), 0))",
                                        {p.user_id, r.id, now, p.user_id, now - kNoShowWindow,
                                         p.user_id},
                                        "booker"));
  OrgFacts org{booker_org->row_id, booker_org->type, booker_org->region, row.Int(0) > 0};
  *org_row = org.id;
  // Facility managers book for their organisation's own instruments as well.
  ASSIGN_OR_RETURN(auto orgs, registry::OrgGraph::Load(c, p));
  if (!orgs.ActsFor(org.id) && !orgs.HoldsRole(Role::kFacilityManager, org.id)) {
    return Status::PermissionDenied("you book only for organisations you belong to");
  }
  ASSIGN_OR_RETURN(*profile, Profile(c, r, org));
  profile->organisation = booker_org->public_id;
  profile->recent_no_shows = static_cast<int>(row.Int(1));
  Quote quote;
  quote.category = profile->category;
  quote.currency = r.resource.currency;
  quote.units = request.units;
  quote.minutes = static_cast<int>((request.ends_at - request.starts_at) / 60);
  auto it = r.resource.hourly_prices.find(profile->category);
  quote.hourly_minor = it == r.resource.hourly_prices.end() ? 0 : it->second;
  // Rounded up to the minor unit: a facility never charges less than its rate.
  quote.total_minor = (quote.hourly_minor * quote.minutes * quote.units + 59) / 60;
  return quote;
}

Result<Quote> FacilityService::QuoteBooking(const Principal& p, const BookingRequest& request) {
  if (!p.authenticated()) return Status::Unauthenticated();
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto snapshot, db::Transaction::Begin(*c, db::TxMode::kRead));
  ASSIGN_OR_RETURN(int64_t version, RulesVersion(*c));
  ASSIGN_OR_RETURN(auto resource, Snapshot(*c, request.resource_id, version));
  int64_t now = ToUnixSeconds(clock_.Now());
  RETURN_IF_ERROR(CheckTimeRules(*resource, request, now));
  BookerProfile profile;
  int64_t org_row = 0;
  ASSIGN_OR_RETURN(Quote quote, Price(*c, p, resource->row, request, now, &profile, &org_row));
  RETURN_IF_ERROR(CheckEligible(*c, resource->row, profile, request.starts_at));
  return quote;
}

Status FacilityService::CheckRequestText(const BookingRequest& request) {
  FieldErrors errors;
  if (CheckText("idempotency_key", request.idempotency_key, 100, errors) &&
      request.idempotency_key.empty()) {
    errors.Add("idempotency_key", "required, at most 100 characters", "required");
  }
  CheckText("purpose", request.purpose, 2000, errors);
  return errors.ToStatus();
}

Result<int64_t> FacilityService::RulesVersion(db::Connection& c) {
  return c.QueryInt("SELECT value FROM change_counters WHERE name = 'facility_rules'");
}

Result<FacilityService::CheckedBooking> FacilityService::CheckBooking(
    db::Connection& c, const Principal& p, const BookingRequest& request, int64_t now) {
  CheckedBooking checked;
  ASSIGN_OR_RETURN(checked.rules_version, RulesVersion(c));
  ASSIGN_OR_RETURN(checked.resource, Snapshot(c, request.resource_id, checked.rules_version));
  RETURN_IF_ERROR(CheckTimeRules(*checked.resource, request, now));
  ASSIGN_OR_RETURN(checked.quote, Price(c, p, checked.resource->row, request, now,
                                        &checked.profile, &checked.org_row));
  RETURN_IF_ERROR(CheckEligible(c, checked.resource->row, checked.profile, request.starts_at));
  if (checked.profile.recent_no_shows >= kNoShowLimit) {
    return Status(ErrorCode::kPermissionDenied, "no_show_block",
                  "three no-shows in 90 days: a facility manager must lift the block first");
  }
  return checked;
}

Status FacilityService::CheckQuota(db::Connection& c, const ResourceRow& r,
                                   const BookingRequest& request, int64_t org_row,
                                   int64_t user_id) {
  const ResourceRules& rules = r.resource.rules;
  if (rules.user_quota_minutes == 0 && rules.org_quota_minutes == 0) return Status::Ok();
  const auto window = PeriodWindow(request.starts_at, r.resource.time_zone, rules.quota_period);
  const int64_t from = window.first, to = window.second;
  int64_t asked = (request.ends_at - request.starts_at) / 60 * request.units;
  auto used = [&](const char* column, int64_t id) -> Result<int64_t> {
    return c.QueryInt(std::string("SELECT COALESCE(SUM((ends_at - starts_at) / 60 * units), 0) "
                                  "FROM bookings WHERE resource_id = ? AND ") +
                          column + " = ? AND starts_at >= ? AND starts_at < ? AND state IN "
                                   "('held', 'pending', 'approved', 'checked_in', 'completed', "
                                   "'no_show')",
                      {r.id, id, from, to});
  };
  for (auto [column, id, quota, who] :
       {std::tuple{"user_id", user_id, rules.user_quota_minutes, "your"},
        std::tuple{"organization_id", org_row, rules.org_quota_minutes, "your organisation's"}}) {
    if (quota == 0) continue;
    ASSIGN_OR_RETURN(int64_t minutes, used(column, id));
    if (minutes + asked > quota) {
      return Status::Conflict("quota_exceeded", std::string("this would exceed ") + who + " " +
                                                    rules.quota_period + "ly quota of " +
                                                    std::to_string(quota) + " minutes")
          .SetExtension("remaining_minutes", std::max<int64_t>(0, quota - minutes));
    }
  }
  return Status::Ok();
}

}  // namespace parkhub::facilities
