#include "registry/directory.h"

#include <algorithm>

namespace parkhub::registry {
namespace {

constexpr char kOrganizationColumns[] =
    "SELECT id, public_id, type, region, name_zh_hans, name_zh_hant, name_en FROM organizations ";
constexpr char kPersonColumns[] = "SELECT id, public_id, name_zh, name_en FROM people ";

Result<OrganizationRef> ReadOrganization(const db::Row& row) {
  db::RowReader read(row);
  OrganizationRef org;
  org.row_id = read.Int();
  org.public_id = read.Text();
  org.type = read.Text();
  org.region = read.Text();
  org.names = ReadNames(read);
  RETURN_IF_ERROR(read.Done());
  return org;
}

Result<PersonRef> ReadPerson(const db::Row& row) {
  db::RowReader read(row);
  PersonRef person;
  person.row_id = read.Int();
  person.public_id = read.Text();
  std::string zh = read.Text();
  std::string en = read.Text();
  person.names = Names::ChineseAndEnglish(zh, en);
  RETURN_IF_ERROR(read.Done());
  return person;
}

// The rows of `select` whose `column` is one of `keys`, read by `read` and keyed by `key_of`.
template <typename Key, typename Ref, typename ReadRow, typename KeyOf>
Result<std::map<Key, Ref>> LoadKeyed(db::Connection& c, const std::string& select,
                                     const std::string& column, const std::vector<Key>& keys,
                                     ReadRow read, KeyOf key_of) {
  std::map<Key, Ref> out;
  if (keys.empty()) return out;
  db::Params params;
  std::string in = db::InList(keys, params);
  ASSIGN_OR_RETURN(auto rows, c.Query(select + "WHERE " + column + " IN (" + in + ")", params));
  for (const auto& row : rows) {
    ASSIGN_OR_RETURN(Ref ref, read(row));
    Key key = key_of(ref);
    out.emplace(std::move(key), std::move(ref));
  }
  return out;
}

}  // namespace

Names ReadNames(db::RowReader& read) {
  Names names;
  names.zh_hans = read.Text();
  names.zh_hant = read.Text();
  names.en = read.Text();
  return names;
}

Result<std::optional<OrganizationRef>> Directory::FindOrganization(db::Connection& c,
                                                                   const std::string& public_id) {
  ASSIGN_OR_RETURN(auto found, OrganizationsByPublicId(c, {public_id}));
  if (found.empty()) return std::optional<OrganizationRef>();
  return std::optional<OrganizationRef>(std::move(found.begin()->second));
}

Result<std::map<int64_t, OrganizationRef>> Directory::OrganizationsByRow(
    db::Connection& c, const std::vector<int64_t>& rows) {
  return LoadKeyed<int64_t, OrganizationRef>(c, kOrganizationColumns, "id", rows, ReadOrganization,
                                             [](const OrganizationRef& o) { return o.row_id; });
}

Result<std::map<std::string, OrganizationRef>> Directory::OrganizationsByPublicId(
    db::Connection& c, const std::vector<std::string>& public_ids) {
  return LoadKeyed<std::string, OrganizationRef>(
      c, kOrganizationColumns, "public_id", public_ids, ReadOrganization,
      [](const OrganizationRef& o) { return o.public_id; });
}

Result<std::vector<int64_t>> Directory::OrganizationsInRegions(db::Connection& c,
                                                               const std::vector<std::string>& regions) {
  db::Params params;
  std::string in = db::InList(regions, params);
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id FROM organizations WHERE region IN (" + in +
                                          ") ORDER BY id",
                                      params));
  std::vector<int64_t> out;
  for (const auto& row : rows) out.push_back(row.Int(0));
  return out;
}

Result<std::vector<Names>> Directory::BilingualOrganizationNames(db::Connection& c) {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT name_zh_hans, name_zh_hant, name_en FROM organizations "
                           "WHERE name_en <> '' AND (name_zh_hans <> '' OR name_zh_hant <> '') "
                           "ORDER BY id"));
  std::vector<Names> out;
  for (const auto& row : rows) {
    db::RowReader read(row);
    out.push_back(ReadNames(read));
  }
  return out;
}

Result<std::optional<PersonRef>> Directory::FindPerson(db::Connection& c, const std::string& public_id) {
  ASSIGN_OR_RETURN(auto rows, c.Query(std::string(kPersonColumns) + "WHERE public_id = ?", {public_id}));
  if (rows.empty()) return std::optional<PersonRef>();
  ASSIGN_OR_RETURN(PersonRef person, ReadPerson(rows.front()));
  return std::optional<PersonRef>(std::move(person));
}

Result<std::map<int64_t, PersonRef>> Directory::PeopleByRow(db::Connection& c,
                                                            const std::vector<int64_t>& rows) {
  return LoadKeyed<int64_t, PersonRef>(c, kPersonColumns, "id", rows, ReadPerson,
                                       [](const PersonRef& p) { return p.row_id; });
}

Result<std::vector<Directory::AffiliationRef>> Directory::AffiliationsOf(db::Connection& c,
                                                                         int64_t person_row) {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT a.organization_id, o.public_id, a.end_date FROM "
                                      "affiliations a JOIN organizations o ON o.id = "
                                      "a.organization_id WHERE a.person_id = ? ORDER BY a.id",
                                      {person_row}));
  std::vector<AffiliationRef> out;
  for (const db::Row& row : rows) out.push_back({row.Int(0), row.Text(1), row.Text(2)});
  return out;
}

Result<bool> Directory::IsAffiliated(db::Connection& c, int64_t person_row, int64_t org_row) {
  ASSIGN_OR_RETURN(int64_t count, c.QueryInt("SELECT COUNT(*) FROM affiliations WHERE person_id = ? "
                                             "AND organization_id = ?",
                                             {person_row, org_row}));
  return count > 0;
}

Result<bool> Directory::ShareSettledPark(db::Connection& c, int64_t org_a, int64_t org_b) {
  ASSIGN_OR_RETURN(int64_t shared,
                   c.QueryInt("SELECT COUNT(*) FROM memberships a JOIN memberships b ON "
                              "a.park_id = b.park_id WHERE a.organization_id = ? AND "
                              "b.organization_id = ? AND a.state = 'settled' AND b.state = "
                              "'settled'",
                              {org_a, org_b}));
  return shared > 0;
}

Result<bool> Directory::AnySettledMember(db::Connection& c, const std::vector<int64_t>& orgs) {
  if (orgs.empty()) return false;
  db::Params params;
  std::string in = db::InList(orgs, params);
  ASSIGN_OR_RETURN(int64_t settled,
                   c.QueryInt("SELECT COUNT(*) FROM memberships WHERE state = 'settled' AND "
                              "organization_id IN (" + in + ")",
                              params));
  return settled > 0;
}

Result<std::vector<int64_t>> Directory::SettledMembersOfOperatedPark(db::Connection& c,
                                                                     const identity::Principal& p,
                                                                     const std::string& park_id) {
  ASSIGN_OR_RETURN(auto park, FindOrganization(c, park_id));
  if (!park || (park->type != "park" && park->type != "professional_park")) {
    return Status::NotFound("park");
  }
  if (!p.IsPlatformAdmin() && !p.HasRole(identity::Role::kParkOperator, park->row_id)) {
    return Status::PermissionDenied("a park's figures are for its operators");
  }
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT organization_id FROM memberships WHERE park_id = ? AND "
                           "state = 'settled' ORDER BY organization_id",
                           {park->row_id}));
  std::vector<int64_t> out;
  for (const auto& row : rows) out.push_back(row.Int(0));
  return out;
}

Result<std::optional<identity::RoleScope>> RoleScopesOfRegistry::Find(
    db::Connection& connection, const std::string& public_id) const {
  ASSIGN_OR_RETURN(auto org, Directory::FindOrganization(connection, public_id));
  if (!org) return std::optional<identity::RoleScope>();
  bool is_park = org->type == "park" || org->type == "professional_park" || org->type == "alliance";
  return std::optional<identity::RoleScope>(identity::RoleScope{org->row_id, org->public_id, is_park});
}

}  // namespace parkhub::registry
