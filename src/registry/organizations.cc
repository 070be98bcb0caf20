// Organisations and parks: validation, search across scripts, and edit permissions.
#include <algorithm>
#include <set>

#include "core/csv.h"
#include "core/random.h"
#include "registry/registry_service.h"
#include "registry/registry_internal.h"

namespace parkhub::registry {

using identity::Role;

Principal RegistryService::SystemPrincipal() {
  Principal p;
  p.user_id = kSystemUserId;
  p.username = "system";
  p.roles.push_back({Role::kPlatformAdmin, 0, ""});
  return p;
}

Result<RegistryService::OrgRow> RegistryService::FindOrg(db::Connection& c,
                                                         const std::string& public_id,
                                                         const std::string& field) {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id, type, COALESCE(parent_id, 0) FROM "
                                      "organizations WHERE public_id = ?",
                                      {public_id}));
  if (rows.empty()) {
    if (field.empty()) return Status::NotFound("organisation");
    return Status::Invalid(field, "no such organisation", "unknown_reference",
                           {{"kind", "organization"}});
  }
  return OrgRow{rows[0].Int(0), rows[0].Text(1), rows[0].Int(2)};
}

Result<std::vector<Organization>> RegistryService::LoadOrganizations(db::Connection& c,
                                                                     const std::string& where,
                                                                     const db::Params& params) {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT o.id, o.public_id, o.type, o.name_zh_hans, o.name_zh_hant, "
                           "o.name_en, o.region, o.province, o.city, o.country, o.website, "
                           "COALESCE(p.public_id, ''), o.version, o.created_at, o.updated_at "
                           "FROM organizations o LEFT JOIN organizations p ON p.id = o.parent_id " +
                               where,
                           params));
  std::vector<Organization> organizations;
  organizations.reserve(rows.size());
  for (const auto& row : rows) {
    db::RowReader read(row);
    read.Int();  // the row id, for LoadTags
    Organization o;
    o.id = read.Text();
    o.type = read.Text();
    o.names.zh_hans = read.Text();
    o.names.zh_hant = read.Text();
    o.names.en = read.Text();
    o.region = read.Text();
    o.province = read.Text();
    o.city = read.Text();
    o.country = read.Text();
    o.website = read.Text();
    o.parent_id = read.Text();
    o.version = read.Int();
    o.created_at = read.Text();
    o.updated_at = read.Text();
    RETURN_IF_ERROR(read.Done());
    organizations.push_back(std::move(o));
  }
  RETURN_IF_ERROR(LoadTags(c, rows, organizations));
  return organizations;
}

Status RegistryService::LoadTags(db::Connection& c, const std::vector<db::Row>& rows,
                                 std::vector<Organization>& organizations) {
  constexpr size_t kBatch = 500;  // bound parameters per query stay well within every driver's limit
  std::map<int64_t, Organization*> by_row;
  for (size_t i = 0; i < rows.size(); ++i) by_row[rows[i].Int(0)] = &organizations[i];
  for (size_t first = 0; first < rows.size(); first += kBatch) {
    std::vector<int64_t> ids;
    for (size_t i = first; i < std::min(rows.size(), first + kBatch); ++i) ids.push_back(rows[i].Int(0));
    db::Params params;
    std::string in = db::InList(ids, params);
    ASSIGN_OR_RETURN(auto tags, c.Query("SELECT organization_id, tag FROM organization_tags WHERE "
                                        "organization_id IN (" + in + ") ORDER BY tag",
                                        params));
    for (const auto& tag : tags) by_row[tag.Int(0)]->tags.push_back(tag.Text(1));
  }
  return Status::Ok();
}

Result<Organization> RegistryService::LoadOrganization(db::Connection& c, int64_t row_id) {
  ASSIGN_OR_RETURN(auto found, LoadOrganizations(c, "WHERE o.id = ?", {row_id}));
  if (found.empty()) return Status::NotFound("organisation");
  return found.front();
}

Result<int64_t> RegistryService::ListVersion() {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  return c->QueryInt("SELECT value FROM change_counters WHERE name = 'registry'");
}

Result<Page<Organization>> RegistryService::ListOrganizations(const OrganizationQuery& query) {
  FieldErrors errors;
  CheckPaging(query.limit, query.offset, 100, errors);
  CheckOneOf("type", query.type, OrganizationTypes(), errors, true);
  CheckOneOf("region", query.region, Regions(), errors, true);
  static const std::vector<std::string> kSorts = {"name", "-name", "created", "-created"};
  CheckOneOf("sort", query.sort, kSorts, errors, false);
  CheckText("q", query.q, 200, errors);
  CheckText("tag", query.tag, 100, errors);
  RETURN_IF_ERROR(errors.ToStatus());

  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  std::string where = "WHERE 1 = 1";
  db::Params params;
  if (!query.q.empty()) {
    where += " AND (o.search_key LIKE ? ESCAPE '\\' OR o.public_id = ?)";
    params.push_back("%" + EscapeLike(folder_.Fold(query.q)) + "%");
    params.push_back(query.q);
  }
  if (!query.type.empty()) {
    where += " AND o.type = ?";
    params.push_back(query.type);
  }
  if (!query.region.empty()) {
    where += " AND o.region = ?";
    params.push_back(query.region);
  }
  if (!query.tag.empty()) {
    where += " AND EXISTS (SELECT 1 FROM organization_tags t WHERE t.organization_id = o.id AND "
             "t.tag = ?)";
    params.push_back(query.tag);
  }
  if (!query.park_id.empty()) {
    auto park = FindOrg(*c, query.park_id, "park");
    if (!park.ok()) return park.status();
    where += " AND EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = o.id AND "
             "m.park_id = ? AND m.state = 'settled')";
    params.push_back(park->id);
  }
  if (!query.parent_id.empty()) {
    auto parent = FindOrg(*c, query.parent_id, "parent");
    if (!parent.ok()) return parent.status();
    where += " AND o.parent_id = ?";
    params.push_back(parent->id);
  }
  static const std::vector<std::string> kLanguages = {"en", "zh-Hans", "zh-Hant"};
  CheckOneOf("lang", query.lang, kLanguages, errors, false);
  RETURN_IF_ERROR(errors.ToStatus());
  static const std::map<std::string, std::string> kNameColumn = {
      {"en", "o.sort_name"}, {"zh-Hans", "o.sort_key_zh_hans"}, {"zh-Hant", "o.sort_key_zh_hant"}};
  const std::string& name = kNameColumn.at(query.lang);
  const std::map<std::string, std::string> order = {{"name", name + ", o.id"},
                                                    {"-name", name + " DESC, o.id DESC"},
                                                    {"created", "o.id"},
                                                    {"-created", "o.id DESC"}};
  return CountThenPage<Organization>(
      *c, "FROM organizations o " + where, params, query.limit, query.offset,
      [&](const db::Params& paged) {
        return LoadOrganizations(
            *c, where + " ORDER BY " + order.at(query.sort) + " LIMIT ? OFFSET ?", paged);
      });
}

Result<Organization> RegistryService::GetOrganization(const std::string& id) {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto found, LoadOrganizations(*c, "WHERE o.public_id = ?", {id}));
  if (found.empty()) return Status::NotFound("organisation");
  return found.front();
}

std::string RegistryService::SearchKey(const OrganizationInput& input) const {
  return folder_.Fold(input.name_zh_hans.value_or("") + "\n" + input.name_zh_hant.value_or("") +
                      "\n" + input.name_en.value_or(""));
}

std::pair<std::string, std::string> RegistryService::ChineseSortKeys(const Names& names) const {
  const std::string& simplified = !names.zh_hans.empty()   ? names.zh_hans
                                  : !names.zh_hant.empty() ? names.zh_hant
                                                           : names.en;
  const std::string& traditional = !names.zh_hant.empty()   ? names.zh_hant
                                   : !names.zh_hans.empty() ? names.zh_hans
                                                            : names.en;
  return {collation_.SortKey(simplified, text::NameOrder::kPinyin),
          collation_.SortKey(traditional, text::NameOrder::kStroke)};
}

Status RegistryService::FillSortKeys() {
  auto filled = db::InTransaction<int64_t>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<int64_t> {
        ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id, name_zh_hans, name_zh_hant, name_en FROM "
                                            "organizations WHERE sort_key_zh_hans = '' OR "
                                            "sort_key_zh_hant = ''"));
        for (const auto& row : rows) {
          auto [simplified, traditional] = ChineseSortKeys({row.Text(1), row.Text(2), row.Text(3)});
          RETURN_IF_ERROR(
              c.Execute("UPDATE organizations SET sort_key_zh_hans = ?, sort_key_zh_hant "
                        "= ? WHERE id = ?",
                        {simplified, traditional, row.Int(0)})
                  .status());
        }
        return static_cast<int64_t>(rows.size());
      });
  return filled.status();
}

std::string RegistryService::SortName(const OrganizationInput& input) const {
  std::string en = input.name_en.value_or("");
  if (!en.empty()) return en;
  std::string zh = input.name_zh_hans.value_or("");
  return zh.empty() ? input.name_zh_hant.value_or("") : zh;
}

Status RegistryService::ValidateOrganization(db::Connection& c, OrganizationInput& input,
                                             bool creating, int64_t self_id,
                                             FieldErrors& errors) {
  if (creating || input.type) {
    CheckOneOf("type", input.type.value_or(""), OrganizationTypes(), errors, false);
  }
  if (creating || input.region) {
    CheckOneOf("region", input.region.value_or(""), Regions(), errors, false);
  }
  for (auto [field, value] : {std::pair{"name_zh_hans", &input.name_zh_hans},
                              {"name_zh_hant", &input.name_zh_hant},
                              {"name_en", &input.name_en},
                              {"province", &input.province},
                              {"city", &input.city},
                              {"country", &input.country}}) {
    if (*value) {
      *value = std::string(Trim(**value));
      CheckText(field, **value, 300, errors);
    }
  }
  if (input.website) {
    *input.website = std::string(Trim(*input.website));
    CheckText("website", *input.website, 500, errors);
    if (!input.website->empty() && input.website->rfind("http://", 0) != 0 &&
        input.website->rfind("https://", 0) != 0) {
      errors.Add("website", "must start with http:// or https://", "bad_format",
                 {{"format", "url"}});
    }
  }
  if (creating && input.name_zh_hans.value_or("").empty() &&
      input.name_zh_hant.value_or("").empty() && input.name_en.value_or("").empty()) {
    errors.Add("name_en", "give at least one name (zh-Hans, zh-Hant or en)", "required");
  }
  if (input.region && *input.region == "foreign" && creating &&
      input.country.value_or("").empty()) {
    errors.Add("country", "required for a foreign organisation", "required");
  }
  if (input.tags) {
    std::set<std::string> unique;
    for (auto& tag : *input.tags) {
      tag = std::string(Trim(tag));
      if (!CheckText("tags", tag, 60, errors)) break;
      if (tag.empty() || tag.find('|') != std::string::npos) {
        errors.Add("tags", "each tag must be 1 to 60 characters without '|'", "out_of_range",
                   {{"min", 1}, {"max", 60}});
        break;
      }
      unique.insert(tag);
    }
    if (unique.size() > 30) errors.Add("tags", "at most 30 tags", "too_many", {{"max", 30}});
    input.tags = std::vector<std::string>(unique.begin(), unique.end());
  }
  if (input.parent_id && !input.parent_id->empty()) {
    auto parent = FindOrg(c, *input.parent_id, "parent_id");
    if (!parent.ok()) {
      errors.Add("parent_id", "no such organisation", "unknown_reference",
                 {{"kind", "organization"}});
    } else if (parent->id == self_id) {
      errors.Add("parent_id", "an organisation cannot be its own parent", "would_make_a_cycle");
    } else if (self_id != 0) {
      ASSIGN_OR_RETURN(auto ancestors, OrgGraph::AncestorIds(c, parent->id));
      if (std::find(ancestors.begin(), ancestors.end(), self_id) != ancestors.end()) {
        errors.Add("parent_id", "would make a cycle", "would_make_a_cycle");
      }
    }
  }
  // A record typed only in Simplified gets a Hong Kong Traditional spelling derived for it.
  if (creating && input.name_zh_hant.value_or("").empty() &&
      !input.name_zh_hans.value_or("").empty()) {
    input.name_zh_hant = folder_.ToTraditional(*input.name_zh_hans);
  }
  return Status::Ok();
}

Status RegistryService::WriteTags(db::Connection& c, int64_t org_id,
                                  const std::vector<std::string>& tags) {
  ASSIGN_OR_RETURN(auto removed,
                   c.Execute("DELETE FROM organization_tags WHERE organization_id = ?", {org_id}));
  (void)removed;
  for (const auto& tag : tags) {
    ASSIGN_OR_RETURN(auto added, c.Execute("INSERT INTO organization_tags (organization_id, tag) "
                                           "VALUES (?, ?)",
                                           {org_id, tag}));
    (void)added;
  }
  return Status::Ok();
}

Result<int64_t> RegistryService::InsertOrganization(db::Connection& c,
                                                    const OrganizationInput& input) {
  db::Value parent = nullptr;
  if (input.parent_id && !input.parent_id->empty()) {
    ASSIGN_OR_RETURN(auto row, FindOrg(c, *input.parent_id, "parent_id"));
    parent = row.id;
  }
  std::string now = Now();
  auto sort_keys = ChineseSortKeys({input.name_zh_hans.value_or(""),
                                    input.name_zh_hant.value_or(""), input.name_en.value_or("")});
  ASSIGN_OR_RETURN(
      int64_t id,
      c.QueryInt("INSERT INTO organizations (public_id, type, name_zh_hans, "
                 "name_zh_hant, name_en, region, province, city, country, website, "
                 "parent_id, search_key, sort_name, sort_key_zh_hans, "
                 "sort_key_zh_hant, created_at, updated_at) VALUES (?, ?, ?, ?, ?, "
                 "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 {NewPublicId("org"), *input.type, input.name_zh_hans.value_or(""),
                  input.name_zh_hant.value_or(""), input.name_en.value_or(""), *input.region,
                  input.province.value_or(""), input.city.value_or(""), input.country.value_or(""),
                  input.website.value_or(""), parent, SearchKey(input), SortName(input),
                  sort_keys.first, sort_keys.second, now, now}));
  RETURN_IF_ERROR(WriteTags(c, id, input.tags.value_or(std::vector<std::string>{})));
  return id;
}

Result<Organization> RegistryService::CreateOrganization(const Principal& principal,
                                                         const OrganizationInput& given) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  if (!principal.IsPlatformAdmin() && !principal.HasRoleAnywhere(Role::kParkOperator)) {
    return Status::PermissionDenied("only platform admins and park operators add organisations");
  }
  OrganizationInput input = given;
  return db::InTransaction<Organization>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Organization> {
        FieldErrors errors;
        RETURN_IF_ERROR(ValidateOrganization(c, input, true, 0, errors));
        RETURN_IF_ERROR(errors.ToStatus());
        ASSIGN_OR_RETURN(int64_t id, InsertOrganization(c, input));
        return LoadOrganization(c, id);
      });
}

Result<Organization> RegistryService::UpdateOrganization(const Principal& principal,
                                                         const std::string& id,
                                                         const OrganizationInput& given) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  OrganizationInput patch = given;
  return db::InTransaction<Organization>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Organization> {
        ASSIGN_OR_RETURN(auto org, FindOrg(c, id, ""));
        ASSIGN_OR_RETURN(bool allowed, CanEditOrganization(c, principal, org.id));
        if (!allowed) return Status::PermissionDenied("you do not administer this organisation");
        FieldErrors errors;
        RETURN_IF_ERROR(ValidateOrganization(c, patch, false, org.id, errors));
        RETURN_IF_ERROR(errors.ToStatus());
        ASSIGN_OR_RETURN(Organization current, LoadOrganization(c, org.id));
        if (patch.expected_version && *patch.expected_version != current.version) {
          return Status::Conflict("version_mismatch",
                                  "the organisation was changed by someone else; reload it")
              .SetExtension("current_version", current.version);
        }
        OrganizationInput merged;
        merged.type = patch.type.value_or(current.type);
        merged.name_zh_hans = patch.name_zh_hans.value_or(current.names.zh_hans);
        merged.name_zh_hant = patch.name_zh_hant.value_or(current.names.zh_hant);
        merged.name_en = patch.name_en.value_or(current.names.en);
        merged.region = patch.region.value_or(current.region);
        merged.province = patch.province.value_or(current.province);
        merged.city = patch.city.value_or(current.city);
        merged.country = patch.country.value_or(current.country);
        merged.website = patch.website.value_or(current.website);
        if (merged.name_zh_hans->empty() && merged.name_zh_hant->empty() && merged.name_en->empty()) {
          return Status::Invalid("name_en", "an organisation keeps at least one name", "required");
        }
        db::Value parent = org.parent_id == 0 ? db::Value(nullptr) : db::Value(org.parent_id);
        if (patch.parent_id) {
          parent = nullptr;
          if (!patch.parent_id->empty()) {
            ASSIGN_OR_RETURN(auto row, FindOrg(c, *patch.parent_id, "parent_id"));
            parent = row.id;
          }
        }
        auto sort_keys =
            ChineseSortKeys({*merged.name_zh_hans, *merged.name_zh_hant, *merged.name_en});
        ASSIGN_OR_RETURN(
            auto changed,
            c.Execute("UPDATE organizations SET type = ?, name_zh_hans = ?, "
                      "name_zh_hant = ?, name_en = ?, region = ?, province = ?, city "
                      "= ?, country = ?, website = ?, parent_id = ?, search_key = ?, "
                      "sort_name = ?, sort_key_zh_hans = ?, sort_key_zh_hant = ?, "
                      "version = version + 1, updated_at = ? WHERE id = ?",
                      {*merged.type, *merged.name_zh_hans, *merged.name_zh_hant, *merged.name_en,
                       *merged.region, *merged.province, *merged.city, *merged.country,
                       *merged.website, parent, SearchKey(merged), SortName(merged),
                       sort_keys.first, sort_keys.second, Now(), org.id}));
        (void)changed;
        if (patch.tags) RETURN_IF_ERROR(WriteTags(c, org.id, *patch.tags));
        return LoadOrganization(c, org.id);
      });
}

Result<std::vector<int64_t>> RegistryService::ParkIdsOf(db::Connection& c, int64_t org_id) {
  // The parks an organisation belongs to (any state but withdrawn), and for a park or
  // professional park itself, the park and the parks above it.
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT park_id FROM memberships WHERE organization_id = ? "
                                      "AND state <> 'withdrawn'",
                                      {org_id}));
  std::vector<int64_t> ids;
  for (const auto& row : rows) ids.push_back(row.Int(0));
  ids.push_back(org_id);
  ASSIGN_OR_RETURN(auto ancestors, OrgGraph::AncestorIds(c, org_id));
  ids.insert(ids.end(), ancestors.begin(), ancestors.end());
  return ids;
}

Result<bool> RegistryService::CanEditOrganization(db::Connection& c, const Principal& p,
                                                  int64_t org_id) {
  ASSIGN_OR_RETURN(auto graph, OrgGraph::Load(c, p));
  if (graph.Administers(org_id)) return true;
  ASSIGN_OR_RETURN(auto parks, ParkIdsOf(c, org_id));
  return p.OperatesAnyOf(parks);
}

Result<std::vector<Organization>> RegistryService::ListParks() {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  return LoadOrganizations(*c, "WHERE o.type = 'park' ORDER BY o.id", {});
}

Result<ParkSummary> RegistryService::GetPark(const std::string& id) {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto park, FindOrg(*c, id, ""));
  if (park.type != "park" && park.type != "professional_park") return Status::NotFound("park");
  ParkSummary summary;
  ASSIGN_OR_RETURN(summary.organization, LoadOrganization(*c, park.id));
  ASSIGN_OR_RETURN(summary.professional_parks,
                   LoadOrganizations(*c, "WHERE o.parent_id = ? AND o.type = 'professional_park' "
                                         "ORDER BY o.id",
                                     {park.id}));
  ASSIGN_OR_RETURN(auto states, c->Query("SELECT state, COUNT(*) FROM memberships WHERE park_id = "
                                         "? GROUP BY state ORDER BY state",
                                         {park.id}));
  for (const auto& row : states) summary.members_by_state.emplace_back(row.Text(0), row.Int(1));
  ASSIGN_OR_RETURN(auto tags, c->Query("SELECT t.tag, COUNT(*) FROM memberships m JOIN "
                                       "organization_tags t ON t.organization_id = "
                                       "m.organization_id WHERE m.park_id = ? AND m.state = "
                                       "'settled' GROUP BY t.tag ORDER BY COUNT(*) DESC, t.tag",
                                       {park.id}));
  for (const auto& row : tags) summary.settled_by_tag.emplace_back(row.Text(0), row.Int(1));
  ASSIGN_OR_RETURN(auto regions, c->Query("SELECT o.region, COUNT(*) FROM memberships m JOIN "
                                          "organizations o ON o.id = m.organization_id WHERE "
                                          "m.park_id = ? AND m.state = 'settled' GROUP BY "
                                          "o.region ORDER BY o.region",
                                          {park.id}));
  for (const auto& row : regions) summary.settled_by_region.emplace_back(row.Text(0), row.Int(1));
  return summary;
}

}  // namespace parkhub::registry
