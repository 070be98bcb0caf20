#include <nlohmann/json.hpp>

#include "core/random.h"
#include "facilities/facility_internal.h"
#include "registry/directory.h"

namespace parkhub::facilities {

using identity::Role;

namespace {

constexpr size_t kMaxBlackoutReason = 200;
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

}  // namespace

Result<FacilityService::ResourceRow> FacilityService::LoadResourceRow(db::Connection& c,
                                                                      const std::string& id) {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne("SELECT r.id, r.owner_id, r.public_id, r.kind, r.name_zh, r.name_zh_hant, "
                 "r.name_en, r.description, "
                 "r.location, r.time_zone, r.currency, r.capacity, r.approval_mode, "
                 "r.training_required, r.min_minutes, r.max_minutes, r.granularity_minutes, "
                 "r.setup_minutes, r.cleanup_minutes, r.horizon_days, r.lead_minutes, "
                 "r.allowed_regions, r.allowed_categories, r.created_at, r.quota_period, "
                 "r.user_quota_minutes, r.org_quota_minutes, r.specifications FROM resources r "
                 "WHERE r.public_id = ?",
                 {id}, "resource"));
  db::RowReader read(row);
  ResourceRow out{read.Int(), read.Int(), {}};
  Resource& r = out.resource;
  r.id = read.Text();
  r.kind = read.Text();
  r.name_zh = read.Text();
  r.name_zh_hant = read.Text();
  r.name_en = read.Text();
  r.description = read.Text();
  r.location = read.Text();
  r.time_zone = read.Text();
  r.currency = read.Text();
  r.rules.capacity = read.IntAsInt();
  r.rules.approval_mode = read.Text();
  r.rules.training_required = read.Bool();
  r.rules.min_minutes = read.IntAsInt();
  r.rules.max_minutes = read.IntAsInt();
  r.rules.granularity_minutes = read.IntAsInt();
  r.rules.setup_minutes = read.IntAsInt();
  r.rules.cleanup_minutes = read.IntAsInt();
  r.rules.horizon_days = read.IntAsInt();
  r.rules.lead_minutes = read.IntAsInt();
  r.rules.allowed_regions = SplitJoined(read.Text());
  r.rules.allowed_categories = SplitJoined(read.Text());
  r.created_at = read.Text();
  r.rules.quota_period = read.Text();
  r.rules.user_quota_minutes = read.IntAsInt();
  r.rules.org_quota_minutes = read.IntAsInt();
  r.specifications = ParseSpecifications(read.Text());
  RETURN_IF_ERROR(read.Done());
  ASSIGN_OR_RETURN(auto owners, registry::Directory::OrganizationsByRow(c, {out.owner_id}));
  if (auto owner = owners.find(out.owner_id); owner != owners.end()) {
    r.owner_id = owner->second.public_id;
    r.owner_names = owner->second.names;
  }
  ASSIGN_OR_RETURN(auto prices, c.Query("SELECT category, hourly_minor FROM resource_prices WHERE "
                                        "resource_id = ?",
                                        {out.id}));
  for (const auto& price : prices) r.hourly_prices[price.Text(0)] = price.Int(1);
  return out;
}

Status FacilityService::ValidateResource(const NewResource& input) {
  FieldErrors errors;
  const ResourceRules& rules = input.rules;
  auto one_of = [&](const std::string& field, const std::string& value,
                    const std::vector<std::string>& allowed) {
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      errors.Add(field, "not one of the allowed values", "not_one_of");
    }
  };
  one_of("kind", input.kind, ResourceKinds());
  one_of("approval_mode", rules.approval_mode, ApprovalModes());
  for (const auto& category : rules.allowed_categories) {
    one_of("allowed_categories", category, UserCategories());
  }
  for (const auto& [category, price] : input.hourly_prices) {
    one_of("hourly_prices", category, UserCategories());
    if (price < 0) {
      errors.Add("hourly_prices", "must not be negative", "out_of_range", {{"min", 0}});
    }
  }
  static const std::vector<std::string> kRegions = {"mainland", "hong_kong", "macao", "foreign"};
  for (const auto& region : rules.allowed_regions) one_of("allowed_regions", region, kRegions);
  static const std::vector<std::string> kCurrencies = {"CNY", "HKD", "MOP", "USD"};
  one_of("currency", input.currency, kCurrencies);
  if (!IsValidTimeZone(input.time_zone)) {
    errors.Add("time_zone", "not an IANA time zone", "bad_format", {{"format", "time_zone"}});
  }
  if (input.name_zh.empty() && input.name_en.empty()) {
    errors.Add("name_en", "give a name", "required");
  }
  CheckText("name_zh", input.name_zh, 200, errors);
  CheckText("name_zh_hant", input.name_zh_hant, 200, errors);
  CheckText("name_en", input.name_en, 200, errors);
  CheckText("location", input.location, 300, errors);
  CheckText("description", input.description, 4000, errors);
  if (rules.capacity < 1 || rules.capacity > 100000) {
    errors.Add("capacity", "must be 1 to 100000", "out_of_range", {{"min", 1}, {"max", 100000}});
  }
  if (rules.granularity_minutes < 1 || 1440 % rules.granularity_minutes != 0) {
    errors.Add("granularity_minutes", "must divide a day (e.g. 15, 30, 60)", "bad_format",
               {{"format", "divides_a_day"}});
  }
  if (rules.min_minutes < 1 || rules.max_minutes < rules.min_minutes || rules.max_minutes > 31 * 1440) {
    errors.Add("max_minutes", "need 1 <= min_minutes <= max_minutes <= 31 days", "out_of_range",
               {{"min", 1}, {"max", 44640}});
  }
  if (rules.setup_minutes < 0 || rules.cleanup_minutes < 0 || rules.lead_minutes < 0) {
    errors.Add("setup_minutes", "buffers and lead time must not be negative", "out_of_range",
               {{"min", 0}});
  }
  if (rules.horizon_days < 1 || rules.horizon_days > 3660) {
    errors.Add("horizon_days", "must be 1 to 3660", "out_of_range", {{"min", 1}, {"max", 3660}});
  }
  if (rules.quota_period != "week" && rules.quota_period != "month") {
    errors.Add("quota_period", "week or month", "not_one_of", {{"allowed", {"week", "month"}}});
  }
  if (rules.user_quota_minutes < 0 || rules.org_quota_minutes < 0) {
    errors.Add("user_quota_minutes", "quotas must not be negative", "out_of_range", {{"min", 0}});
  }
  if (input.specifications.size() > kMaxSpecifications) {
    errors.Add("specifications", "at most " + std::to_string(kMaxSpecifications) + " entries",
               "too_many", {{"max", kMaxSpecifications}});
  }
  for (const auto& [name, value] : input.specifications) {
    if (!CheckText("specifications", name, 100, errors) ||
        !CheckText("specifications", value, 1000, errors)) {
      break;
    }
    if (name.empty()) {
      errors.Add("specifications", "each entry needs a name", "required");
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
    ASSIGN_OR_RETURN(auto owner, registry::Directory::FindOrganization(c, input.owner_id));
    if (!owner) return Status::NotFound("organisation");
    ASSIGN_OR_RETURN(bool manages, ManagesFacilitiesOf(c, p, owner->row_id));
    if (!manages) return Status::PermissionDenied("only the owner's facility managers add resources");
    std::string now = FormatUtc(clock_.Now());
    ASSIGN_OR_RETURN(
        int64_t id,
        c.QueryInt(
            "INSERT INTO resources (public_id, owner_id, kind, name_zh, name_zh_hant, "
            "name_en, description, location, time_zone, capacity, approval_mode, "
            "training_required, min_minutes, "
            "max_minutes, granularity_minutes, setup_minutes, cleanup_minutes, "
            "horizon_days, lead_minutes, allowed_regions, allowed_categories, currency, "
            "calendar_token_hash, created_at, updated_at, quota_period, "
            "user_quota_minutes, org_quota_minutes, specifications, search_key) VALUES (?, "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?) RETURNING id",
            {public_id,
             owner->row_id,
             input.kind,
             input.name_zh,
             TraditionalName(input.name_zh, input.name_zh_hant),
             input.name_en,
             input.description,
             input.location,
             input.time_zone,
             int64_t{rules.capacity},
             rules.approval_mode,
             int64_t{rules.training_required ? 1 : 0},
             int64_t{rules.min_minutes},
             int64_t{rules.max_minutes},
             int64_t{rules.granularity_minutes},
             int64_t{rules.setup_minutes},
             int64_t{rules.cleanup_minutes},
             int64_t{rules.horizon_days},
             int64_t{rules.lead_minutes},
             JoinWith(rules.allowed_regions),
             JoinWith(rules.allowed_categories),
             input.currency,
             HashSecret(created.calendar_token),
             now,
             now,
             rules.quota_period,
             int64_t{rules.user_quota_minutes},
             int64_t{rules.org_quota_minutes},
             nlohmann::json(input.specifications).dump(),
             SearchKey(input)}));
    RETURN_IF_ERROR(WritePrices(c, id, input.hourly_prices));
    return true;
  });
  if (!result.ok()) {
    if (result.status().code() == ErrorCode::kNotFound) {
      return Status::Invalid("owner_id", "no such organisation", "unknown_reference",
                             {{"kind", "organization"}});
    }
    return result.status();
  }
  ASSIGN_OR_RETURN(created.resource, GetResource(public_id));
  return created;
}

std::string FacilityService::TraditionalName(const std::string& simplified,
                                             const std::string& given) const {
  return given.empty() ? folder_.ToTraditional(simplified) : given;
}

Status FacilityService::FillTraditionalNames() {
  auto filled = db::InTransaction<int64_t>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<int64_t> {
        ASSIGN_OR_RETURN(auto rows,
                         c.Query("SELECT id, name_zh FROM resources WHERE name_zh_hant = "
                                 "'' AND name_zh <> ''"));
        for (const auto& row : rows) {
          RETURN_IF_ERROR(c.Execute("UPDATE resources SET name_zh_hant = ? WHERE id = ?",
                                    {folder_.ToTraditional(row.Text(1)), row.Int(0)})
                              .status());
        }
        return static_cast<int64_t>(rows.size());
      });
  return filled.status();
}

std::string FacilityService::SearchKey(const NewResource& input) const {
  std::string text = input.name_zh + "\n" + input.name_en + "\n" + input.description;
  for (const auto& [name, value] : input.specifications) text += "\n" + name + " " + value;
  return folder_.Fold(text);
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
    RETURN_IF_ERROR(c.Lock("resource", id));
    ASSIGN_OR_RETURN(auto r, LoadResourceRow(c, id));
    ASSIGN_OR_RETURN(bool manages, ManagesFacilitiesOf(c, p, r.owner_id));
    if (!manages) {
      return Status::PermissionDenied("only the owner's facility managers edit a resource");
    }
    if (!input.owner_id.empty() && input.owner_id != r.resource.owner_id) {
      return Status::Invalid("owner_id", "a resource keeps its owner", "unchangeable");
    }
    RETURN_IF_ERROR(
        c.Execute(
             "UPDATE resources SET kind = ?, name_zh = ?, name_zh_hant = ?, name_en = ?, "
             "description = ?, "
             "location = ?, time_zone = ?, capacity = ?, approval_mode = ?, "
             "training_required = ?, min_minutes = ?, max_minutes = ?, "
             "granularity_minutes = ?, setup_minutes = ?, cleanup_minutes = ?, "
             "horizon_days = ?, lead_minutes = ?, allowed_regions = ?, "
             "allowed_categories = ?, currency = ?, quota_period = ?, "
             "user_quota_minutes = ?, org_quota_minutes = ?, specifications = ?, "
             "search_key = ?, updated_at = ? WHERE id = ?",
             {input.kind, input.name_zh,
              // A new Simplified name without a new Traditional one is spelled again.
              TraditionalName(input.name_zh, input.name_zh != r.resource.name_zh &&
                                                     input.name_zh_hant == r.resource.name_zh_hant
                                                 ? ""
                                                 : input.name_zh_hant),
              input.name_en, input.description, input.location, input.time_zone,
              int64_t{rules.capacity}, rules.approval_mode,
              int64_t{rules.training_required ? 1 : 0}, int64_t{rules.min_minutes},
              int64_t{rules.max_minutes}, int64_t{rules.granularity_minutes},
              int64_t{rules.setup_minutes}, int64_t{rules.cleanup_minutes},
              int64_t{rules.horizon_days}, int64_t{rules.lead_minutes},
              JoinWith(rules.allowed_regions), JoinWith(rules.allowed_categories), input.currency,
              rules.quota_period, int64_t{rules.user_quota_minutes},
              int64_t{rules.org_quota_minutes}, nlohmann::json(input.specifications).dump(),
              SearchKey(input), FormatUtc(clock_.Now()), r.id})
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
  std::string pattern = "%" + EscapeLike(folder_.Fold(q)) + "%";
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  std::vector<Resource> out;
  int64_t owner_row = 0;
  if (!owner_id.empty()) {
    ASSIGN_OR_RETURN(auto owner, registry::Directory::FindOrganization(*c, owner_id));
    if (!owner) return out;
    owner_row = owner->row_id;
  }
  ASSIGN_OR_RETURN(auto rows, c->Query("SELECT public_id FROM resources WHERE (? = '' OR kind = ?) "
                                       "AND (? = 0 OR owner_id = ?) AND search_key LIKE ? ESCAPE "
                                       "'\\' ORDER BY id",
                                       {kind, kind, owner_row, owner_row, pattern}));
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
  if (blackout.ends_at <= blackout.starts_at) {
    return Status::Invalid("ends_at", "must be after starts_at", "not_after",
                           {{"other", "starts_at"}});
  }
  // Served on every public page of the resource: kept short.
  RETURN_IF_ERROR(CheckTextField("reason", blackout.reason, kMaxBlackoutReason));
  return db::InTransaction<bool>(database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<bool> {
           RETURN_IF_ERROR(c.Lock("resource", resource_id));
           ASSIGN_OR_RETURN(auto r, LoadResourceRow(c, resource_id));
           ASSIGN_OR_RETURN(bool manages, ManagesFacilitiesOf(c, p, r.owner_id));
           if (!manages) return Status::PermissionDenied("only this resource's managers add blackouts");
           ASSIGN_OR_RETURN(auto added, c.Execute("INSERT INTO resource_blackouts (resource_id, "
                                                  "starts_at, ends_at, reason) VALUES (?, ?, ?, ?)",
                                                  {r.id, blackout.starts_at, blackout.ends_at,
                                                   blackout.reason}));
           (void)added;
           return true;
         }).status();
}

Result<std::vector<Qualification>> FacilityService::ExpiringQualifications(const Principal& p,
                                                                           int days) {
  if (!p.authenticated()) return Status::Unauthenticated();
  if (days < 1 || days > 366) {
    return Status::Invalid("days", "from 1 to 366", "out_of_range", {{"min", 1}, {"max", 366}});
  }
  int64_t now = ToUnixSeconds(clock_.Now());
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto rows,
                   c->Query("SELECT q.user_id, r.owner_id, r.public_id, r.name_zh, "
                            "r.name_zh_hant, r.name_en, q.expires_at FROM qualifications q JOIN "
                            "resources r ON r.id = q.resource_id WHERE q.expires_at > ? "
                            "AND q.expires_at <= ? ORDER BY q.expires_at, r.id LIMIT 500",
                            {now, now + int64_t{days} * 86400}));
  ASSIGN_OR_RETURN(auto orgs, registry::OrgGraph::Load(*c, p));
  ASSIGN_OR_RETURN(auto usernames, identity::IdentityService::UsernamesIn(*c, rows, 0));
  std::vector<Qualification> out;
  for (const auto& row : rows) {
    db::RowReader read(row);
    int64_t user = read.Int();
    int64_t owner = read.Int();
    Qualification q;
    q.mine = user == p.user_id;
    if (!q.mine && !ManagesFacilitiesOf(orgs, owner)) continue;
    q.user = usernames[user];
    q.resource_id = read.Text();
    q.resource_names = ReadResourceNames(read);
    q.expires_at = read.Int();
    RETURN_IF_ERROR(read.Done());
    out.push_back(std::move(q));
  }
  return out;
}

Status FacilityService::GrantQualification(const Principal& p, const std::string& resource_id,
                                           const std::string& username, int64_t expires_at) {
  if (!p.authenticated()) return Status::Unauthenticated();
  if (expires_at <= ToUnixSeconds(clock_.Now())) {
    return Status::Invalid("expires_at", "must be in the future", "in_the_past");
  }
  return db::InTransaction<bool>(database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<bool> {
           ASSIGN_OR_RETURN(auto r, LoadResourceRow(c, resource_id));
           ASSIGN_OR_RETURN(bool manages, ManagesFacilitiesOf(c, p, r.owner_id));
           if (!manages) return Status::PermissionDenied("only this resource's managers record training");
           ASSIGN_OR_RETURN(auto user, identity::IdentityService::FindUserRow(c, username));
           if (!user) {
             return Status::Invalid("username", "no such user", "unknown_reference",
                                    {{"kind", "user"}});
           }
           ASSIGN_OR_RETURN(auto saved,
                            c.Execute("INSERT INTO qualifications (user_id, resource_id, granted_by, "
                                      "granted_at, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT "
                                      "(user_id, resource_id) DO UPDATE SET expires_at = "
                                      "excluded.expires_at, granted_by = excluded.granted_by, "
                                      "granted_at = excluded.granted_at",
                                      {*user, r.id, Actor(p), FormatUtc(clock_.Now()), expires_at}));
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
  ASSIGN_OR_RETURN(auto user, identity::IdentityService::FindUserRow(*c, username));
  if (!user) {
    return Status::Invalid("username", "no such user", "unknown_reference", {{"kind", "user"}});
  }
  auto lifted = c->Execute("INSERT INTO no_show_lifts (user_id, lifted_at, lifted_by) VALUES (?, ?, ?)",
                           {*user, ToUnixSeconds(clock_.Now()), Actor(p)});
  return lifted.ok() ? Status::Ok() : lifted.status();
}

Result<std::vector<registry::Names>> FacilityService::BilingualResourceNames(db::Connection& c) {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT name_zh, name_zh_hant, name_en FROM resources "
                                      "WHERE name_en <> '' AND name_zh <> '' ORDER BY id"));
  std::vector<registry::Names> out;
  for (const auto& row : rows) {
    db::RowReader read(row);
    out.push_back(registry::ReadNames(read));
    RETURN_IF_ERROR(read.Done());
  }
  return out;
}

}  // namespace parkhub::facilities
