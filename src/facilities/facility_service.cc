#include "facilities/facility_service.h"

#include "core/text_rules.h"

#include <algorithm>
#include <future>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "core/csv.h"
#include "core/random.h"
#include "core/strings.h"
#include "facilities/local_time.h"
#include "facilities/recurrence.h"

namespace parkhub::facilities {

using identity::Role;

namespace {

constexpr int64_t kHoldSeconds = 15 * 60;
constexpr int64_t kNoShowWindow = 90 * 24 * 3600;
constexpr int kNoShowLimit = 3;
constexpr int kMaxOccurrences = 200;
constexpr size_t kMaxBlackoutReason = 200;
constexpr size_t kMaxCachedSnapshots = 10'000;
constexpr size_t kMaxSpecifications = 50;

// Specifications are stored as a JSON object of strings (written only by this service).
std::map<std::string, std::string> ParseSpecifications(const std::string& text) {
  std::map<std::string, std::string> out;
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_object()) return out;
  for (const auto& [name, value] : parsed.items()) {
    if (value.is_string()) out[name] = value.get<std::string>();
  }
  return out;
}
const char kActiveBlock[] =
    "state IN ('pending', 'approved', 'checked_in') OR (state = 'held' AND hold_expires_at > ?)";

db::Value Actor(const Principal& p) {
  return p.user_id > 0 ? db::Value(p.user_id) : db::Value(nullptr);
}

std::string IcalEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ';' || c == ',') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

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

Result<FacilityService::ResourceRow> FacilityService::LoadResourceRow(db::Connection& c,
                                                                      const std::string& id) {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne("SELECT r.id, r.owner_id, r.public_id, o.public_id, CASE WHEN o.name_en = '' THEN "
                 "o.name_zh_hans ELSE o.name_en END, r.kind, r.name_zh, r.name_en, r.description, "
                 "r.location, r.time_zone, r.currency, r.capacity, r.approval_mode, "
                 "r.training_required, r.min_minutes, r.max_minutes, r.granularity_minutes, "
                 "r.setup_minutes, r.cleanup_minutes, r.horizon_days, r.lead_minutes, "
                 "r.allowed_regions, r.allowed_categories, r.created_at, r.quota_period, "
                 "r.user_quota_minutes, r.org_quota_minutes, r.specifications FROM resources r "
                 "JOIN "
                 "organizations o ON o.id = r.owner_id WHERE r.public_id = ?",
                 {id}, "resource"));
  ResourceRow out{row.Int(0), row.Int(1), {}};
  Resource& r = out.resource;
  r.id = row.Text(2);
  r.owner_id = row.Text(3);
  r.owner_name = row.Text(4);
  r.kind = row.Text(5);
  r.name_zh = row.Text(6);
  r.name_en = row.Text(7);
  r.description = row.Text(8);
  r.location = row.Text(9);
  r.time_zone = row.Text(10);
  r.currency = row.Text(11);
  r.rules.capacity = static_cast<int>(row.Int(12));
  r.rules.approval_mode = row.Text(13);
  r.rules.training_required = row.Int(14) != 0;
  r.rules.min_minutes = static_cast<int>(row.Int(15));
  r.rules.max_minutes = static_cast<int>(row.Int(16));
  r.rules.granularity_minutes = static_cast<int>(row.Int(17));
  r.rules.setup_minutes = static_cast<int>(row.Int(18));
  r.rules.cleanup_minutes = static_cast<int>(row.Int(19));
  r.rules.horizon_days = static_cast<int>(row.Int(20));
  r.rules.lead_minutes = static_cast<int>(row.Int(21));
  r.rules.allowed_regions = SplitJoined(row.Text(22));
  r.rules.allowed_categories = SplitJoined(row.Text(23));
  r.created_at = row.Text(24);
  r.rules.quota_period = row.Text(25);
  r.rules.user_quota_minutes = static_cast<int>(row.Int(26));
  r.rules.org_quota_minutes = static_cast<int>(row.Int(27));
  r.specifications = ParseSpecifications(row.Text(28));
  ASSIGN_OR_RETURN(auto prices, c.Query("SELECT category, hourly_minor FROM resource_prices WHERE "
                                        "resource_id = ?",
                                        {out.id}));
  for (const auto& price : prices) r.hourly_prices[price.Text(0)] = price.Int(1);
  return out;
}

bool FacilityService::Manages(const Principal& p, int64_t owner_id) {
  return p.IsPlatformAdmin() || p.HasRole(Role::kFacilityManager, owner_id) ||
         p.HasRole(Role::kOrgAdmin, owner_id);
}

Status FacilityService::ValidateResource(const NewResource& input) {
  FieldErrors errors;
  const ResourceRules& rules = input.rules;
  auto one_of = [&](const std::string& field, const std::string& value,
                    const std::vector<std::string>& allowed) {
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      errors.Add(field, "not one of the allowed values");
    }
  };
  one_of("kind", input.kind, ResourceKinds());
  one_of("approval_mode", rules.approval_mode, ApprovalModes());
  for (const auto& category : rules.allowed_categories) {
    one_of("allowed_categories", category, UserCategories());
  }
  for (const auto& [category, price] : input.hourly_prices) {
    one_of("hourly_prices", category, UserCategories());
    if (price < 0) errors.Add("hourly_prices", "must not be negative");
  }
  static const std::vector<std::string> kRegions = {"mainland", "hong_kong", "macao", "foreign"};
  for (const auto& region : rules.allowed_regions) one_of("allowed_regions", region, kRegions);
  static const std::vector<std::string> kCurrencies = {"CNY", "HKD", "MOP", "USD"};
  one_of("currency", input.currency, kCurrencies);
  if (!IsValidTimeZone(input.time_zone)) errors.Add("time_zone", "not an IANA time zone");
  if (input.name_zh.empty() && input.name_en.empty()) errors.Add("name_en", "give a name");
  CheckText("name_zh", input.name_zh, 200, errors);
  CheckText("name_en", input.name_en, 200, errors);
  CheckText("location", input.location, 300, errors);
  CheckText("description", input.description, 4000, errors);
  if (rules.capacity < 1 || rules.capacity > 100000) errors.Add("capacity", "must be 1 to 100000");
  if (rules.granularity_minutes < 1 || 1440 % rules.granularity_minutes != 0) {
    errors.Add("granularity_minutes", "must divide a day (e.g. 15, 30, 60)");
  }
  if (rules.min_minutes < 1 || rules.max_minutes < rules.min_minutes || rules.max_minutes > 31 * 1440) {
    errors.Add("max_minutes", "need 1 <= min_minutes <= max_minutes <= 31 days");
  }
  if (rules.setup_minutes < 0 || rules.cleanup_minutes < 0 || rules.lead_minutes < 0) {
    errors.Add("setup_minutes", "buffers and lead time must not be negative");
  }
  if (rules.horizon_days < 1 || rules.horizon_days > 3660) errors.Add("horizon_days", "must be 1 to 3660");
  if (rules.quota_period != "week" && rules.quota_period != "month") {
    errors.Add("quota_period", "week or month");
  }
  if (rules.user_quota_minutes < 0 || rules.org_quota_minutes < 0) {
    errors.Add("user_quota_minutes", "quotas must not be negative");
  }
  if (input.specifications.size() > kMaxSpecifications) {
    errors.Add("specifications", "at most " + std::to_string(kMaxSpecifications) + " entries");
  }
  for (const auto& [name, value] : input.specifications) {
    if (!CheckText("specifications", name, 100, errors) ||
        !CheckText("specifications", value, 1000, errors)) {
      break;
    }
    if (name.empty()) {
      errors.Add("specifications", "each entry needs a name");
      break;
    }
  }
  return errors.ToStatus();
}

Result<CreatedResource> FacilityService::CreateResource(const Principal& p,
                                                        const NewResource& input) {
  if (!p.authenticated()) return Status::Unauthenticated();
  RETURN_IF_ERROR(ValidateResource(input));
  const ResourceRules& rules = input.rules;
  CreatedResource created;
  created.calendar_token = RandomToken(24);
  std::string public_id = NewPublicId("res");
  auto result = db::InTransaction<bool>(database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<bool> {
    ASSIGN_OR_RETURN(auto owner, c.QueryOne("SELECT id FROM organizations WHERE public_id = ?",
                                            {input.owner_id}, "organisation"));
    bool manages = Manages(p, owner.Int(0));
    if (!manages) return Status::PermissionDenied("only the owner's facility managers add resources");
    std::string now = FormatUtc(clock_.Now());
    ASSIGN_OR_RETURN(
        int64_t id,
        c.QueryInt("INSERT INTO resources (public_id, owner_id, kind, name_zh, name_en, description, "
                   "location, time_zone, capacity, approval_mode, training_required, min_minutes, "
                   "max_minutes, granularity_minutes, setup_minutes, cleanup_minutes, "
                   "horizon_days, lead_minutes, allowed_regions, allowed_categories, currency, "
                   "calendar_token_hash, created_at, updated_at, quota_period, "
                   "user_quota_minutes, org_quota_minutes, specifications) VALUES (?, ?, ?, ?, "
                   "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                   "RETURNING id",
                   {public_id, owner.Int(0), input.kind, input.name_zh, input.name_en,
                    input.description, input.location, input.time_zone, int64_t{rules.capacity},
                    rules.approval_mode, int64_t{rules.training_required ? 1 : 0},
                    int64_t{rules.min_minutes}, int64_t{rules.max_minutes},
                    int64_t{rules.granularity_minutes}, int64_t{rules.setup_minutes},
                    int64_t{rules.cleanup_minutes}, int64_t{rules.horizon_days},
                    int64_t{rules.lead_minutes}, JoinWith(rules.allowed_regions),
                    JoinWith(rules.allowed_categories), input.currency,
                    HashSecret(created.calendar_token), now, now, rules.quota_period,
                    int64_t{rules.user_quota_minutes}, int64_t{rules.org_quota_minutes},
                    nlohmann::json(input.specifications).dump()}));
    RETURN_IF_ERROR(WritePrices(c, id, input.hourly_prices));
    return true;
  });
  if (!result.ok()) {
    if (result.status().code() == ErrorCode::kNotFound) return Status::Invalid("owner_id", "no such organisation");
    return result.status();
  }
  ASSIGN_OR_RETURN(created.resource, GetResource(public_id));
  return created;
}

Status FacilityService::WritePrices(db::Connection& c, int64_t resource_row,
                                    const std::map<std::string, int64_t>& prices) {
  RETURN_IF_ERROR(c.Execute("DELETE FROM resource_prices WHERE resource_id = ?", {resource_row})
                      .status());
  for (const auto& [category, price] : prices) {
    RETURN_IF_ERROR(c.Execute("INSERT INTO resource_prices (resource_id, category, hourly_minor) "
                              "VALUES (?, ?, ?)",
                              {resource_row, category, price})
                        .status());
  }
  return Status::Ok();
}

Result<Resource> FacilityService::UpdateResource(const Principal& p, const std::string& id,
                                                 const NewResource& input) {
  if (!p.authenticated()) return Status::Unauthenticated();
  RETURN_IF_ERROR(ValidateResource(input));
  const ResourceRules& rules = input.rules;
  auto updated = db::InTransaction<bool>(database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<bool> {
    ASSIGN_OR_RETURN(auto r, LoadResourceRow(c, id));
    if (!Manages(p, r.owner_id)) {
      return Status::PermissionDenied("only the owner's facility managers edit a resource");
    }
    if (!input.owner_id.empty() && input.owner_id != r.resource.owner_id) {
      return Status::Invalid("owner_id", "a resource keeps its owner");
    }
    RETURN_IF_ERROR(
        c.Execute("UPDATE resources SET kind = ?, name_zh = ?, name_en = ?, description = ?, "
                  "location = ?, time_zone = ?, capacity = ?, approval_mode = ?, "
                  "training_required = ?, min_minutes = ?, max_minutes = ?, "
                  "granularity_minutes = ?, setup_minutes = ?, cleanup_minutes = ?, "
                  "horizon_days = ?, lead_minutes = ?, allowed_regions = ?, "
                  "allowed_categories = ?, currency = ?, quota_period = ?, "
                  "user_quota_minutes = ?, org_quota_minutes = ?, specifications = ?, "
                  "updated_at = ? WHERE id = ?",
                  {input.kind, input.name_zh, input.name_en, input.description, input.location,
                   input.time_zone, int64_t{rules.capacity}, rules.approval_mode,
                   int64_t{rules.training_required ? 1 : 0}, int64_t{rules.min_minutes},
                   int64_t{rules.max_minutes}, int64_t{rules.granularity_minutes},
                   int64_t{rules.setup_minutes}, int64_t{rules.cleanup_minutes},
                   int64_t{rules.horizon_days}, int64_t{rules.lead_minutes},
                   JoinWith(rules.allowed_regions), JoinWith(rules.allowed_categories),
                   input.currency, rules.quota_period, int64_t{rules.user_quota_minutes},
                   int64_t{rules.org_quota_minutes}, nlohmann::json(input.specifications).dump(),
                   FormatUtc(clock_.Now()), r.id})
            .status());
    RETURN_IF_ERROR(WritePrices(c, r.id, input.hourly_prices));
    return true;
  });
  if (!updated.ok()) return updated.status();
  return GetResource(id);
}

Result<Resource> FacilityService::GetResource(const std::string& id) {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto row, LoadResourceRow(*c, id));
  return row.resource;
}

Result<std::vector<Resource>> FacilityService::ListResources(const std::string& kind,
                                                             const std::string& owner_id,
                                                             const std::string& q) {
  RETURN_IF_ERROR(CheckTextField("q", q, 200));
  std::string pattern = "%" + EscapeLike(q) + "%";
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto rows, c->Query("SELECT r.public_id FROM resources r JOIN organizations o ON "
                                       "o.id = r.owner_id WHERE (? = '' OR r.kind = ?) AND (? = '' "
                                       "OR o.public_id = ?) AND (? = '' OR r.name_zh LIKE ? ESCAPE "
                                       "'\\' OR r.name_en LIKE ? ESCAPE '\\' OR r.description LIKE ? "
                                       "ESCAPE '\\' OR r.specifications LIKE ? ESCAPE '\\') "
                                       "ORDER BY r.id",
                                       {kind, kind, owner_id, owner_id, q, pattern, pattern, pattern,
                                        pattern}));
  std::vector<Resource> out;
  for (const auto& row : rows) {
    ASSIGN_OR_RETURN(auto r, LoadResourceRow(*c, row.Text(0)));
    out.push_back(std::move(r.resource));
  }
  return out;
}

Result<std::vector<Blackout>> FacilityService::ListBlackouts(const std::string& resource_id) {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto r, LoadResourceRow(*c, resource_id));
  ASSIGN_OR_RETURN(auto rows, c->Query("SELECT starts_at, ends_at, reason FROM resource_blackouts "
                                       "WHERE resource_id = ? ORDER BY starts_at",
                                       {r.id}));
  std::vector<Blackout> out;
  for (const auto& row : rows) out.push_back({row.Int(0), row.Int(1), row.Text(2)});
  return out;
}

Status FacilityService::AddBlackout(const Principal& p, const std::string& resource_id,
                                    const Blackout& blackout) {
  if (!p.authenticated()) return Status::Unauthenticated();
  if (blackout.ends_at <= blackout.starts_at) return Status::Invalid("ends_at", "must be after starts_at");
  // Served on every public page of the resource: kept short.
  RETURN_IF_ERROR(CheckTextField("reason", blackout.reason, kMaxBlackoutReason));
  return db::InTransaction<bool>(database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<bool> {
           ASSIGN_OR_RETURN(auto r, LoadResourceRow(c, resource_id));
           bool manages = Manages(p, r.owner_id);
           if (!manages) return Status::PermissionDenied("only this resource's managers add blackouts");
           ASSIGN_OR_RETURN(auto added, c.Execute("INSERT INTO resource_blackouts (resource_id, "
                                                  "starts_at, ends_at, reason) VALUES (?, ?, ?, ?)",
                                                  {r.id, blackout.starts_at, blackout.ends_at,
                                                   blackout.reason}));
           (void)added;
           return true;
         }).status();
}

Status FacilityService::GrantQualification(const Principal& p, const std::string& resource_id,
                                           const std::string& username, int64_t expires_at) {
  if (!p.authenticated()) return Status::Unauthenticated();
  if (expires_at <= ToUnixSeconds(clock_.Now())) return Status::Invalid("expires_at", "must be in the future");
  return db::InTransaction<bool>(database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<bool> {
           ASSIGN_OR_RETURN(auto r, LoadResourceRow(c, resource_id));
           bool manages = Manages(p, r.owner_id);
           if (!manages) return Status::PermissionDenied("only this resource's managers record training");
           auto user = c.QueryOne("SELECT id FROM users WHERE username = ?", {username}, "user");
           if (!user.ok()) return Status::Invalid("username", "no such user");
           ASSIGN_OR_RETURN(auto saved,
                            c.Execute("INSERT INTO qualifications (user_id, resource_id, granted_by, "
                                      "granted_at, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT "
                                      "(user_id, resource_id) DO UPDATE SET expires_at = "
                                      "excluded.expires_at, granted_by = excluded.granted_by, "
                                      "granted_at = excluded.granted_at",
                                      {user->Int(0), r.id, Actor(p), FormatUtc(clock_.Now()), expires_at}));
           (void)saved;
           return true;
         }).status();
}

Status FacilityService::LiftNoShowBlock(const Principal& p, const std::string& username) {
  if (!p.authenticated()) return Status::Unauthenticated();
  if (!p.IsPlatformAdmin() && !p.HasRoleAnywhere(Role::kFacilityManager)) {
    return Status::PermissionDenied("only facility managers lift no-show blocks");
  }
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  auto user = c->QueryOne("SELECT id FROM users WHERE username = ?", {username}, "user");
  if (!user.ok()) return Status::Invalid("username", "no such user");
  auto lifted = c->Execute("INSERT INTO no_show_lifts (user_id, lifted_at, lifted_by) VALUES (?, ?, ?)",
                           {user->Int(0), ToUnixSeconds(clock_.Now()), Actor(p)});
  return lifted.ok() ? Status::Ok() : lifted.status();
}

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
    ASSIGN_OR_RETURN(int64_t shared_park,
                     c.QueryInt("SELECT COUNT(*) FROM memberships a JOIN memberships b ON "
                                "a.park_id = b.park_id WHERE a.organization_id = ? AND "
                                "b.organization_id = ? AND a.state = 'settled' AND b.state = "
                                "'settled'",
                                {org.id, resource.owner_id}));
    profile.category = shared_park > 0 ? "member_academic" : "external_academic";
  } else {
    profile.category = "industry";
  }
  return profile;
}

Status FacilityService::CheckTimeRules(const ResourceSnapshot& snapshot,
                                       const BookingRequest& request, int64_t now) {
  const ResourceRow& row = snapshot.row;
  const ResourceRules& rules = row.resource.rules;
  if (request.ends_at <= request.starts_at) {
    return Status::Invalid("ends_at", "must be after starts_at");
  }
  int64_t seconds = request.ends_at - request.starts_at;
  if (seconds % 60 != 0 || request.starts_at % 60 != 0) {
    return Status::Invalid("starts_at", "times must be whole minutes");
  }
  int64_t minutes = seconds / 60;
  if (minutes < rules.min_minutes) {
    return Status::Invalid("ends_at", "shorter than the minimum of " + std::to_string(rules.min_minutes) + " minutes");
  }
  if (minutes > rules.max_minutes) {
    return Status::Invalid("ends_at", "longer than the maximum of " + std::to_string(rules.max_minutes) + " minutes");
  }
  int g = rules.granularity_minutes;
  if (LocalMinuteOfDay(request.starts_at, row.resource.time_zone) % g != 0 || minutes % g != 0) {
    return Status::Invalid("starts_at", "bookings start and last in steps of " + std::to_string(g) +
                                            " minutes of " + row.resource.time_zone + " time");
  }
  if (request.starts_at < now) return Status::Invalid("starts_at", "is in the past");
  if (request.starts_at < now + int64_t{rules.lead_minutes} * 60) {
    return Status::Invalid("starts_at", "must be at least " + std::to_string(rules.lead_minutes) +
                                            " minutes from now");
  }
  if (request.starts_at > now + int64_t{rules.horizon_days} * 86400) {
    return Status::Invalid("starts_at", "beyond the booking horizon of " +
                                            std::to_string(rules.horizon_days) + " days");
  }
  if (request.units < 1 || request.units > rules.capacity) {
    return Status::Invalid("units", "must be 1 to " + std::to_string(rules.capacity));
  }
  int64_t block_start = request.starts_at - int64_t{rules.setup_minutes} * 60;
  int64_t block_end = request.ends_at + int64_t{rules.cleanup_minutes} * 60;
  for (const Blackout& blackout : snapshot.blackouts) {
    if (blackout.starts_at < block_end && blackout.ends_at > block_start) {
      return Status::Invalid("starts_at", "falls in a blackout window" +
                                              (blackout.reason.empty() ? std::string()
                                                                       : ": " + blackout.reason));
    }
  }
  return Status::Ok();
}

Result<std::shared_ptr<const FacilityService::ResourceSnapshot>> FacilityService::Snapshot(
    db::Connection& c, const std::string& resource_id, int64_t rules_version) {
  {
    std::shared_lock lock(snapshots_mutex_);
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
  std::unique_lock lock(snapshots_mutex_);
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
  // The organisation, whether the booker is trained and their recent no-shows, in one read:
  // this runs per booking.
  auto row = c.QueryOne("SELECT o.id, o.type, o.region, (SELECT COUNT(*) FROM qualifications q "
                        "WHERE q.user_id = ?1 AND q.resource_id = ?2 AND q.expires_at > ?3), "
                        "(SELECT COUNT(*) FROM bookings b WHERE b.user_id = ?1 AND b.state = "
                        "'no_show' AND b.no_show_at > MAX(?3 - ?4, COALESCE((SELECT "
                        "MAX(lifted_at) FROM no_show_lifts WHERE user_id = ?1), 0))) FROM "
                        "organizations o WHERE o.public_id = ?5",
                        {p.user_id, r.id, now, kNoShowWindow, request.organization_id},
                        "organisation");
  if (!row.ok()) return Status::Invalid("organization_id", "no such organisation");
  OrgFacts org{row->Int(0), row->Text(1), row->Text(2), row->Int(3) > 0};
  *org_row = org.id;
  bool acts_for = p.IsPlatformAdmin();
  for (Role role : {Role::kMember, Role::kOrgAdmin, Role::kFacilityManager}) {
    acts_for = acts_for || p.HasRole(role, *org_row);
  }
  if (!acts_for) {
    return Status::PermissionDenied("you book only for organisations you belong to");
  }
  ASSIGN_OR_RETURN(*profile, Profile(c, r, org));
  profile->recent_no_shows = static_cast<int>(row->Int(4));
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
  RETURN_IF_ERROR(policy_.Check(resource->row.resource, profile));
  return quote;
}

Status FacilityService::Record(db::Connection& c, int64_t booking_row, const std::string& from,
                               const std::string& to, const Principal& p, const std::string& note) {
  auto recorded = c.Execute("INSERT INTO booking_events (booking_id, from_state, to_state, "
                            "actor_user_id, at, note) VALUES (?, ?, ?, ?, ?, ?)",
                            {booking_row, from.empty() ? db::Value(nullptr) : db::Value(from), to,
                             Actor(p), FormatUtc(clock_.Now()), note});
  return recorded.ok() ? Status::Ok() : recorded.status();
}

Status FacilityService::CheckRequestText(const BookingRequest& request) {
  FieldErrors errors;
  if (CheckText("idempotency_key", request.idempotency_key, 100, errors) &&
      request.idempotency_key.empty()) {
    errors.Add("idempotency_key", "required, at most 100 characters");
  }
  CheckText("purpose", request.purpose, 2000, errors);
  return errors.ToStatus();
}

// What a booking attempt was checked against, read in one snapshot, and that snapshot's
// version of the rules (see RulesVersion).
struct FacilityService::CheckedBooking {
  int64_t rules_version = 0;
  std::shared_ptr<const ResourceSnapshot> resource;
  BookerProfile profile;
  Quote quote;
  int64_t org_row = 0;
};

Result<int64_t> FacilityService::RulesVersion(db::Connection& c) {
  return c.QueryInt("SELECT value FROM change_counters WHERE name = 'facility_rules'");
}

Result<Booking> FacilityService::CreateBooking(const Principal& p, const BookingRequest& request) {
  std::promise<Result<Booking>> finished;
  auto result = finished.get_future();
  CreateBookingAsync(p, request,
                     [&finished](Result<Booking> booking) { finished.set_value(std::move(booking)); });
  return result.get();
}

// Two phases. On the caller's thread, in a read snapshot: every check that reads rules and
// people but no other booking. In the group commit: the rules version (if anything moved since
// the snapshot, all checks run again inside the transaction), then quota, overlap and insert,
// so the write lock is held only for the part that must be exact. A retried request finds its
// booking by idempotency key whenever a check refuses it (its own booking takes its slot).
void FacilityService::CreateBookingAsync(const Principal& p, const BookingRequest& request,
                                         std::function<void(Result<Booking>)> done) {
  if (!p.authenticated()) return done(Status::Unauthenticated());
  if (Status s = CheckRequestText(request); !s.ok()) return done(s);
  auto checked = std::make_shared<CheckedBooking>();
  {
    auto c = database_.Acquire();
    if (!c.ok()) return done(c.status());
    auto snapshot = db::Transaction::Begin(**c, db::TxMode::kRead);
    if (!snapshot.ok()) return done(snapshot.status());
    auto result = CheckBooking(**c, p, request, ToUnixSeconds(clock_.Now()));
    if (!result.ok()) return done(ReplayOr(**c, p, request, result.status()));
    *checked = std::move(result).value();
  }
  auto booking = std::make_shared<std::optional<Booking>>();
  committer_.Submit(
      [this, p, request, checked, booking](db::Connection& c) -> Status {
        int64_t now = ToUnixSeconds(clock_.Now());
        ASSIGN_OR_RETURN(int64_t version, RulesVersion(c));
        if (version != checked->rules_version) {
          auto rechecked = CheckBooking(c, p, request, now);
          if (!rechecked.ok()) return ReplayInto(c, p, request, rechecked.status(), *booking);
          *checked = std::move(rechecked).value();
        }
        auto inserted = InsertBooking(c, p, request, *checked, now);
        if (!inserted.ok()) return ReplayInto(c, p, request, inserted.status(), *booking);
        *booking = std::move(inserted).value();
        return Status::Ok();
      },
      [booking, done = std::move(done)](const Status& status) {
        if (!status.ok()) return done(status);
        done(std::move(**booking));
      });
}

Result<Booking> FacilityService::ReplayOr(db::Connection& c, const Principal& p,
                                          const BookingRequest& request, const Status& refusal) {
  ASSIGN_OR_RETURN(auto replay, Replay(c, p, request));
  if (replay) return std::move(*replay);
  return refusal;
}

Status FacilityService::ReplayInto(db::Connection& c, const Principal& p,
                                   const BookingRequest& request, const Status& refusal,
                                   std::optional<Booking>& booking) {
  ASSIGN_OR_RETURN(booking, ReplayOr(c, p, request, refusal));
  return Status::Ok();
}

Result<std::optional<Booking>> FacilityService::Replay(db::Connection& c, const Principal& p,
                                                       const BookingRequest& request) {
  ASSIGN_OR_RETURN(auto replay, c.Query("SELECT b.id, r.public_id, b.starts_at, b.ends_at, "
                                        "b.units FROM bookings b JOIN resources r ON r.id = "
                                        "b.resource_id WHERE b.user_id = ? AND "
                                        "b.idempotency_key = ?",
                                        {p.user_id, request.idempotency_key}));
  if (replay.empty()) return std::optional<Booking>();
  const db::Row& prior = replay[0];
  if (prior.Text(1) != request.resource_id || prior.Int(2) != request.starts_at ||
      prior.Int(3) != request.ends_at || prior.Int(4) != request.units) {
    return Status::Conflict("idempotency_key_reused",
                            "this idempotency key was used for a different booking");
  }
  ASSIGN_OR_RETURN(Booking booking, LoadBooking(c, prior.Int(0)));
  return std::optional<Booking>(std::move(booking));
}

Result<Booking> FacilityService::BookInTransaction(db::Connection& c, const Principal& p,
                                                   const BookingRequest& request, int64_t now) {
  auto checked = CheckBooking(c, p, request, now);
  if (!checked.ok()) return ReplayOr(c, p, request, checked.status());
  auto inserted = InsertBooking(c, p, request, *checked, now);
  if (!inserted.ok()) return ReplayOr(c, p, request, inserted.status());
  return inserted;
}

Result<FacilityService::CheckedBooking> FacilityService::CheckBooking(
    db::Connection& c, const Principal& p, const BookingRequest& request, int64_t now) {
  CheckedBooking checked;
  ASSIGN_OR_RETURN(checked.rules_version, RulesVersion(c));
  ASSIGN_OR_RETURN(checked.resource, Snapshot(c, request.resource_id, checked.rules_version));
  RETURN_IF_ERROR(CheckTimeRules(*checked.resource, request, now));
  ASSIGN_OR_RETURN(checked.quote, Price(c, p, checked.resource->row, request, now,
                                        &checked.profile, &checked.org_row));
  RETURN_IF_ERROR(policy_.Check(checked.resource->row.resource, checked.profile));
  if (checked.profile.recent_no_shows >= kNoShowLimit) {
    return Status(ErrorCode::kPermissionDenied, "no_show_block",
                  "three no-shows in 90 days: a facility manager must lift the block first");
  }
  return checked;
}

Result<Booking> FacilityService::InsertBooking(db::Connection& c, const Principal& p,
                                               const BookingRequest& request,
                                               const CheckedBooking& checked, int64_t now) {
  const ResourceRow& r = checked.resource->row;
  const Quote& quote = checked.quote;
  RETURN_IF_ERROR(CheckQuota(c, r, request, checked.org_row, p.user_id));
  int64_t block_start = request.starts_at - int64_t{r.resource.rules.setup_minutes} * 60;
  int64_t block_end = request.ends_at + int64_t{r.resource.rules.cleanup_minutes} * 60;
  RETURN_IF_ERROR(CheckSlotFree(c, r, block_start, block_end, request.units, now));
  std::string state = "pending";
  if (request.hold) {
    state = "held";
  } else if (r.resource.rules.approval_mode == "automatic" ||
             (r.resource.rules.approval_mode == "automatic_if_trained" && checked.profile.trained)) {
    state = "approved";
  }
  TimePoint created_at = clock_.Now();
  std::string created = FormatUtc(created_at);
  std::string public_id = NewTimeOrderedPublicId("bkg", created_at);
  // The creation opens the history through initial_state, not a booking_events row.
  RETURN_IF_ERROR(
      c.Execute("INSERT INTO bookings (public_id, resource_id, user_id, organization_id, state, "
                 "starts_at, ends_at, block_start, block_end, units, category, price_minor, "
                 "currency, purpose, idempotency_key, hold_expires_at, created_at, updated_at, "
                 "initial_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 {public_id, r.id, p.user_id, checked.org_row, state, request.starts_at,
                  request.ends_at, block_start, block_end, int64_t{request.units},
                  quote.category, quote.total_minor, quote.currency, request.purpose,
                  request.idempotency_key,
                  request.hold ? db::Value(now + kHoldSeconds) : db::Value(nullptr), created,
                  created, state})
          .status());
  // The new booking is answered from what was just written, without reading it back.
  Booking b;
  b.id = public_id;
  b.resource_id = r.resource.id;
  b.resource_name = r.resource.name_en.empty() ? r.resource.name_zh : r.resource.name_en;
  b.time_zone = r.resource.time_zone;
  b.user = p.username;
  b.organization_id = request.organization_id;
  b.state = state;
  b.starts_at = request.starts_at;
  b.ends_at = request.ends_at;
  b.units = request.units;
  b.price = quote;
  b.purpose = request.purpose;
  if (request.hold) b.hold_expires_at = now + kHoldSeconds;
  b.history.push_back({"", state, p.user_id > 0 ? p.username : "", created, request.purpose});
  b.created_at = created;
  return b;
}

Result<SeriesResult> FacilityService::CreateSeries(const Principal& p, const BookingRequest& first,
                                                   const std::string& rrule, bool skip_conflicts) {
  if (!p.authenticated()) return Status::Unauthenticated();
  RETURN_IF_ERROR(CheckRequestText(first));
  if (first.ends_at <= first.starts_at) return Status::Invalid("ends_at", "must be after starts_at");
  std::string zone;
  RecurrenceLimits limits{kMaxOccurrences, 0, &clock_};
  {
    // Who books for whom, and whether the resource admits them, before any work on the rule.
    ASSIGN_OR_RETURN(auto c, database_.Acquire());
    ASSIGN_OR_RETURN(auto snapshot, db::Transaction::Begin(*c, db::TxMode::kRead));
    ASSIGN_OR_RETURN(auto r, LoadResourceRow(*c, first.resource_id));
    int64_t now = ToUnixSeconds(clock_.Now());
    BookerProfile profile;
    int64_t org_row = 0;
    RETURN_IF_ERROR(Price(*c, p, r, first, now, &profile, &org_row).status());
    RETURN_IF_ERROR(policy_.Check(r.resource, profile));
    zone = r.resource.time_zone;
    limits.latest_start = now + int64_t{r.resource.rules.horizon_days} * 86400;
  }
  ASSIGN_OR_RETURN(auto starts, ExpandRecurrence(rrule, first.starts_at, zone, limits));
  int64_t length = first.ends_at - first.starts_at;
  return db::InTransaction<SeriesResult>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<SeriesResult> {
        SeriesResult result;
        int64_t now = ToUnixSeconds(clock_.Now());
        for (size_t i = 0; i < starts.size(); ++i) {
          BookingRequest occurrence = first;
          occurrence.starts_at = starts[i];
          occurrence.ends_at = starts[i] + length;
          occurrence.idempotency_key = first.idempotency_key + "#" + std::to_string(i);
          RETURN_IF_ERROR(c.Execute("SAVEPOINT occurrence").status());
          auto booked = BookInTransaction(c, p, occurrence, now);
          if (booked.ok()) {
            RETURN_IF_ERROR(c.Execute("RELEASE occurrence").status());
            result.booked.push_back(std::move(booked).value());
            continue;
          }
          RETURN_IF_ERROR(c.Execute("ROLLBACK TO occurrence").status());
          RETURN_IF_ERROR(c.Execute("RELEASE occurrence").status());
          // Taken slots and blackout windows may be skipped; any other problem fails the series.
          bool skippable = booked.status().reason() == "slot_taken" ||
                           (booked.status().code() == ErrorCode::kUnprocessable &&
                            !booked.status().field_errors().empty() &&
                            booked.status().field_errors()[0].reason.find("blackout") !=
                                std::string::npos);
          if (!skip_conflicts || !skippable) {
            Status failed = booked.status();
            failed.SetExtension("occurrence_starts_at", FormatUtc(FromUnixSeconds(starts[i])));
            return failed;
          }
          std::string reason = booked.status().field_errors().empty()
                                   ? booked.status().message()
                                   : booked.status().field_errors()[0].reason;
          result.skipped.push_back({starts[i], reason});
        }
        return result;
      });
}

Result<Booking> FacilityService::LoadBooking(db::Connection& c, int64_t booking_row) {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT b.public_id, r.public_id, CASE WHEN r.name_en = '' "
                                        "THEN r.name_zh ELSE r.name_en END, r.time_zone, "
                                        "u.username, o.public_id, b.state, b.starts_at, "
                                        "b.ends_at, b.units, b.category, b.price_minor, "
                                        "b.currency, b.purpose, b.hold_expires_at, b.created_at, "
                                        "b.initial_state "
                                        "FROM bookings b JOIN resources r ON r.id = b.resource_id "
                                        "JOIN users u ON u.id = b.user_id JOIN organizations o "
                                        "ON o.id = b.organization_id WHERE b.id = ?",
                                        {booking_row}, "booking"));
  Booking b;
  b.id = row.Text(0);
  b.resource_id = row.Text(1);
  b.resource_name = row.Text(2);
  b.time_zone = row.Text(3);
  b.user = row.Text(4);
  b.organization_id = row.Text(5);
  b.state = row.Text(6);
  b.starts_at = row.Int(7);
  b.ends_at = row.Int(8);
  b.units = static_cast<int>(row.Int(9));
  b.price.category = row.Text(10);
  b.price.total_minor = row.Int(11);
  b.price.currency = row.Text(12);
  b.price.minutes = static_cast<int>((b.ends_at - b.starts_at) / 60);
  b.price.units = b.units;
  b.purpose = row.Text(13);
  if (!row.IsNull(14)) b.hold_expires_at = row.Int(14);
  b.created_at = row.Text(15);
  // Bookings made before initial_state existed have their creation as an event row instead.
  if (!row.IsNull(16)) b.history.push_back({"", row.Text(16), b.user, b.created_at, b.purpose});
  ASSIGN_OR_RETURN(auto events, c.Query("SELECT COALESCE(e.from_state, ''), e.to_state, "
                                        "COALESCE(u.username, ''), e.at, e.note FROM "
                                        "booking_events e LEFT JOIN users u ON u.id = "
                                        "e.actor_user_id WHERE e.booking_id = ? ORDER BY e.id",
                                        {booking_row}));
  for (const auto& e : events) b.history.push_back({e.Text(0), e.Text(1), e.Text(2), e.Text(3), e.Text(4)});
  return b;
}

Result<Booking> FacilityService::Act(const Principal& p, const std::string& booking_id,
                                     const std::string& action, const std::string& note) {
  if (!p.authenticated()) return Status::Unauthenticated();
  static const std::map<std::string, std::pair<std::vector<std::string>, bool>> kActions = {
      // action -> (states it applies to, managers only)
      {"confirm", {{"held"}, false}},           {"approve", {{"pending"}, true}},
      {"reject", {{"pending"}, true}},          {"cancel", {{"held", "pending", "approved"}, false}},
      {"check_in", {{"approved"}, false}},      {"check_out", {{"checked_in"}, false}},
      {"no_show", {{"approved"}, true}},
  };
  auto action_it = kActions.find(action);
  if (action_it == kActions.end()) return Status::Invalid("action", "unknown action");
  RETURN_IF_ERROR(CheckTextField("note", note, 2000));
  return db::InTransaction<Booking>(database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Booking> {
    ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT b.id, b.state, b.user_id, r.owner_id, "
                                          "r.approval_mode, b.hold_expires_at, r.public_id, "
                                          "b.starts_at, b.resource_id, b.block_start, b.block_end "
                                          "FROM bookings b JOIN resources r ON r.id = "
                                          "b.resource_id WHERE b.public_id = ?",
                                          {booking_id}, "booking"));
    bool manager = Manages(p, row.Int(3));
    bool owner = row.Int(2) == p.user_id;
    if (!manager && !owner) return Status::NotFound("booking");
    const auto& [from_states, managers_only] = action_it->second;
    if (managers_only && !manager) {
      return Status::PermissionDenied("only this resource's facility managers may " + action);
    }
    std::string from = row.Text(1);
    int64_t now = ToUnixSeconds(clock_.Now());
    if ((action == "no_show" || action == "check_out") && now < row.Int(7)) {
      return Status::Conflict("too_early", "the booking has not started yet");
    }
    if (from == "held" && !row.IsNull(5) && row.Int(5) <= now && action == "confirm") {
      return Status::Conflict("hold_expired", "the hold expired; book again");
    }
    if (std::find(from_states.begin(), from_states.end(), from) == from_states.end()) {
      std::vector<std::string> possible;
      for (const auto& [name, spec] : kActions) {
        if (std::find(spec.first.begin(), spec.first.end(), from) != spec.first.end()) possible.push_back(name);
      }
      return Status::Conflict("invalid_transition", "a " + from + " booking cannot be " + action + "ed")
          .SetExtension("allowed_actions", possible);
    }
    std::string to;
    if (action == "confirm") {
      to = row.Text(4) == "automatic" ? "approved" : "pending";
      if (row.Text(4) == "automatic_if_trained") {
        ASSIGN_OR_RETURN(int64_t trained, c.QueryInt("SELECT COUNT(*) FROM qualifications q JOIN "
                                                     "resources r ON r.id = q.resource_id WHERE "
                                                     "q.user_id = ? AND r.public_id = ? AND "
                                                     "q.expires_at > ?",
                                                     {row.Int(2), row.Text(6), now}));
        if (trained > 0) to = "approved";
      }
    } else {
      static const std::map<std::string, std::string> kTargets = {
          {"approve", "approved"}, {"reject", "rejected"},      {"cancel", "cancelled"},
          {"check_in", "checked_in"}, {"check_out", "completed"}, {"no_show", "no_show"}};
      to = kTargets.at(action);
    }
    std::string extra;
    if (action == "check_in") extra = ", checked_in_at = " + std::to_string(now);
    if (action == "check_out") extra = ", checked_out_at = " + std::to_string(now);
    if (action == "no_show") extra = ", no_show_at = " + std::to_string(now);
    ASSIGN_OR_RETURN(auto changed, c.Execute("UPDATE bookings SET state = ?, hold_expires_at = NULL, "
                                             "updated_at = ?" + extra + " WHERE id = ? AND state = ?",
                                             {to, FormatUtc(clock_.Now()), row.Int(0), from}));
    if (changed != 1) return Status::Conflict("concurrent_change", "changed meanwhile; reload");
    RETURN_IF_ERROR(Record(c, row.Int(0), from, to, p, note));
    ASSIGN_OR_RETURN(Booking booking, LoadBooking(c, row.Int(0)));
    std::string when = FormatInLocal(booking.starts_at, booking.time_zone);
    if ((to == "approved" || to == "rejected") && row.Int(2) != p.user_id) {
      RETURN_IF_ERROR(notifier_.Notify(c, row.Int(2), "booking_" + to,
                                       "Your booking of " + booking.resource_name + " at " + when +
                                           " was " + to + (note.empty() ? "" : ": " + note),
                                       "#/bookings"));
    }
    if (to == "cancelled" || to == "rejected") {
      RETURN_IF_ERROR(NotifyWaitlist(c, row.Int(8), row.Int(9), row.Int(10)));
    }
    return booking;
  });
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

Status FacilityService::NotifyWaitlist(db::Connection& c, int64_t resource_row,
                                       int64_t block_start, int64_t block_end) {
  ASSIGN_OR_RETURN(auto waiting, c.Query("SELECT w.id, w.user_id, w.starts_at, r.public_id, "
                                         "r.time_zone, CASE WHEN r.name_en = '' THEN r.name_zh "
                                         "ELSE r.name_en END FROM waitlist_entries w JOIN "
                                         "resources r ON r.id = w.resource_id WHERE "
                                         "w.resource_id = ? AND w.notified_at IS NULL AND "
                                         "w.starts_at < ? AND w.ends_at > ?",
                                         {resource_row, block_end, block_start}));
  for (const auto& w : waiting) {
    RETURN_IF_ERROR(notifier_.Notify(c, w.Int(1), "slot_freed",
                                     "A slot you waited for on " + w.Text(5) + " at " +
                                         FormatInLocal(w.Int(2), w.Text(4)) + " is free",
                                     "#/resources/" + w.Text(3)));
    ASSIGN_OR_RETURN(auto marked, c.Execute("UPDATE waitlist_entries SET notified_at = ? WHERE id = ?",
                                            {FormatUtc(clock_.Now()), w.Int(0)}));
    (void)marked;
  }
  return Status::Ok();
}

Result<std::string> FacilityService::JoinWaitlist(const Principal& p, const std::string& resource_id,
                                                  int64_t starts_at, int64_t ends_at) {
  if (!p.authenticated()) return Status::Unauthenticated();
  if (ends_at <= starts_at) return Status::Invalid("ends_at", "must be after starts_at");
  if (starts_at < ToUnixSeconds(clock_.Now())) return Status::Invalid("starts_at", "is in the past");
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto r, LoadResourceRow(*c, resource_id));
  std::string id = NewPublicId("wai");
  ASSIGN_OR_RETURN(auto added, c->Execute("INSERT INTO waitlist_entries (public_id, resource_id, "
                                          "user_id, starts_at, ends_at, created_at) VALUES (?, ?, "
                                          "?, ?, ?, ?)",
                                          {id, r.id, p.user_id, starts_at, ends_at,
                                           FormatUtc(clock_.Now())}));
  (void)added;
  return id;
}

Result<int> FacilityService::SendDueReminders() {
  int64_t now = ToUnixSeconds(clock_.Now());
  return db::InTransaction<int>(database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<int> {
    ASSIGN_OR_RETURN(auto due, c.Query("SELECT b.id, b.public_id, b.user_id, b.starts_at, "
                                       "r.time_zone, CASE WHEN r.name_en = '' THEN r.name_zh ELSE "
                                       "r.name_en END FROM bookings b JOIN resources r ON r.id = "
                                       "b.resource_id WHERE b.state = 'approved' AND b.starts_at > "
                                       "? AND b.starts_at <= ?",
                                       {now, now + 24 * 3600}));
    int sent = 0;
    for (const auto& b : due) {
      ASSIGN_OR_RETURN(int64_t existing, c.QueryInt("SELECT COUNT(*) FROM notifications WHERE "
                                                    "user_id = ? AND dedupe_key = ?",
                                                    {b.Int(2), "reminder:" + b.Text(1)}));
      if (existing > 0) continue;
      RETURN_IF_ERROR(notifier_.Notify(c, b.Int(2), "booking_reminder",
                                       "Reminder: " + b.Text(5) + " at " +
                                           FormatInLocal(b.Int(3), b.Text(4)),
                                       "#/bookings", "reminder:" + b.Text(1)));
      ++sent;
    }
    return sent;
  });
}

Result<Booking> FacilityService::GetBooking(const Principal& p, const std::string& booking_id) {
  if (!p.authenticated()) return Status::Unauthenticated();
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto row, c->QueryOne("SELECT b.id, b.user_id, r.owner_id FROM bookings b JOIN "
                                         "resources r ON r.id = b.resource_id WHERE b.public_id = ?",
                                         {booking_id}, "booking"));
  bool manager = Manages(p, row.Int(2));
  if (!manager && row.Int(1) != p.user_id) return Status::NotFound("booking");
  return LoadBooking(*c, row.Int(0));
}

Result<std::vector<Booking>> FacilityService::ListMyBookings(const Principal& p) {
  if (!p.authenticated()) return Status::Unauthenticated();
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto rows, c->Query("SELECT id FROM bookings WHERE user_id = ? ORDER BY "
                                       "starts_at DESC LIMIT 200",
                                       {p.user_id}));
  std::vector<Booking> out;
  for (const auto& row : rows) {
    ASSIGN_OR_RETURN(auto b, LoadBooking(*c, row.Int(0)));
    out.push_back(std::move(b));
  }
  return out;
}

Result<std::vector<Booking>> FacilityService::ListPendingApprovals(const Principal& p) {
  if (!p.authenticated()) return Status::Unauthenticated();
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto rows, c->Query("SELECT b.id, r.owner_id FROM bookings b JOIN resources r "
                                       "ON r.id = b.resource_id WHERE b.state = 'pending' ORDER BY "
                                       "b.starts_at LIMIT 500"));
  std::vector<Booking> out;
  for (const auto& row : rows) {
    bool manager = Manages(p, row.Int(1));
    if (!manager) continue;
    ASSIGN_OR_RETURN(auto b, LoadBooking(*c, row.Int(0)));
    out.push_back(std::move(b));
  }
  return out;
}

Result<std::vector<std::pair<int64_t, int64_t>>> FacilityService::BusyBlocks(
    const std::string& resource_id, int64_t from, int64_t to) {
  if (to <= from || to - from > 92 * 86400) return Status::Invalid("to", "a window of at most 92 days after from");
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto r, LoadResourceRow(*c, resource_id));
  ASSIGN_OR_RETURN(auto rows, c->Query(std::string("SELECT block_start, block_end FROM bookings "
                                                   "WHERE resource_id = ? AND block_start < ? AND "
                                                   "block_end > ? AND (") +
                                           kActiveBlock + ") ORDER BY block_start",
                                       {r.id, to, from, ToUnixSeconds(clock_.Now())}));
  std::vector<std::pair<int64_t, int64_t>> out;
  for (const auto& row : rows) out.emplace_back(row.Int(0), row.Int(1));
  return out;
}

namespace {

struct FeedEvent {
  std::string uid;
  int64_t starts_at;
  int64_t ends_at;
  std::string summary;
  std::string state;
};

std::string RenderIcs(const std::string& name, const std::string& zone,
                      const std::vector<FeedEvent>& events, int64_t now) {
  std::string ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ParkHub//Facilities//EN\r\n"
                    "X-WR-CALNAME:" + IcalEscape(name) + "\r\n";
  if (!zone.empty()) ics += "X-WR-TIMEZONE:" + zone + "\r\n";
  std::string stamp = FormatIcalUtc(now);
  for (const auto& e : events) {
    ics += "BEGIN:VEVENT\r\nUID:" + e.uid + "@parkhub\r\nDTSTAMP:" + stamp +
           "\r\nDTSTART:" + FormatIcalUtc(e.starts_at) + "\r\nDTEND:" + FormatIcalUtc(e.ends_at) +
           "\r\nSUMMARY:" + IcalEscape(e.summary + " (" + e.state + ")") +
           "\r\nSTATUS:" + (e.state == "pending" ? "TENTATIVE" : "CONFIRMED") + "\r\nEND:VEVENT\r\n";
  }
  return ics + "END:VCALENDAR\r\n";
}

}  // namespace

Result<std::string> FacilityService::CalendarFeed(const std::string& resource_id,
                                                  const std::string& token) {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  auto hash = c->QueryOne("SELECT calendar_token_hash FROM resources WHERE public_id = ?",
                          {resource_id}, "calendar");
  // A wrong token and a missing resource look the same.
  if (!hash.ok() || !ConstantTimeEquals(hash->Text(0), HashSecret(token))) {
    return Status::NotFound("calendar");
  }
  ASSIGN_OR_RETURN(auto r, LoadResourceRow(*c, resource_id));
  ASSIGN_OR_RETURN(auto rows, c->Query("SELECT public_id, starts_at, ends_at, state FROM bookings "
                                       "WHERE resource_id = ? AND state IN ('pending', "
                                       "'approved', 'checked_in', 'completed') ORDER BY starts_at",
                                       {r.id}));
  std::string name = r.resource.name_en.empty() ? r.resource.name_zh : r.resource.name_en;
  std::vector<FeedEvent> events;
  for (const auto& row : rows) {
    events.push_back({row.Text(0), row.Int(1), row.Int(2), name, row.Text(3)});
  }
  return RenderIcs(name, r.resource.time_zone, events, ToUnixSeconds(clock_.Now()));
}

Result<std::string> FacilityService::IssueUserCalendarToken(const Principal& p) {
  if (!p.authenticated()) return Status::Unauthenticated();
  std::string token = RandomToken(24);
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto saved, c->Execute("INSERT INTO user_calendar_tokens (user_id, token_hash, "
                                          "created_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO "
                                          "UPDATE SET token_hash = excluded.token_hash, "
                                          "created_at = excluded.created_at",
                                          {p.user_id, HashSecret(token), FormatUtc(clock_.Now())}));
  (void)saved;
  return token;
}

Result<std::string> FacilityService::UserCalendarFeed(const std::string& token) {
  if (token.empty() || token.size() > 200) return Status::NotFound("calendar");
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto owner, c->Query("SELECT t.user_id, u.username FROM user_calendar_tokens t "
                                        "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?",
                                        {HashSecret(token)}));
  if (owner.empty()) return Status::NotFound("calendar");
  ASSIGN_OR_RETURN(auto rows, c->Query("SELECT b.public_id, b.starts_at, b.ends_at, b.state, CASE "
                                       "WHEN r.name_en = '' THEN r.name_zh ELSE r.name_en END FROM "
                                       "bookings b JOIN resources r ON r.id = b.resource_id WHERE "
                                       "b.user_id = ? AND b.state IN ('pending', 'approved', "
                                       "'checked_in', 'completed') ORDER BY b.starts_at",
                                       {owner[0].Int(0)}));
  std::vector<FeedEvent> events;
  for (const auto& row : rows) {
    events.push_back({row.Text(0), row.Int(1), row.Int(2), row.Text(4), row.Text(3)});
  }
  return RenderIcs("ParkHub bookings of " + owner[0].Text(1), "", events,
                   ToUnixSeconds(clock_.Now()));
}

}  // namespace parkhub::facilities
