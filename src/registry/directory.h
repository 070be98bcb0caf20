// Directory: the registry's published reads. Other modules keep the row ids of organisations
// and people in their own tables and ask here, on the connection of their own transaction,
// what those are; no other module reads the registry's tables (organizations, memberships,
// people, affiliations, ...). Every call is one query; lookups by many ids take them at once,
// so a page of rows costs one more query, not one per row.
//
// RoleScopesOfRegistry answers identity's one question about organisations (role scopes).
// Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "db/database.h"
#include "identity/principal.h"
#include "identity/role_scopes.h"
#include "registry/names.h"

namespace parkhub::registry {

struct OrganizationRef {
  int64_t row_id = 0;
  std::string public_id;
  std::string type;
  std::string region;
  Names names;
};

struct PersonRef {
  int64_t row_id = 0;
  std::string public_id;
  Names names;  // one Chinese name under both scripts
};

// The next three columns of `read`, in the order zh_hans, zh_hant, en, as an organisation's names.
Names ReadNames(db::RowReader& read);

class Directory {
 public:
  static Result<std::optional<OrganizationRef>> FindOrganization(db::Connection& c,
                                                                 const std::string& public_id);
  // By row id; rows that do not exist are absent.
  static Result<std::map<int64_t, OrganizationRef>> OrganizationsByRow(
      db::Connection& c, const std::vector<int64_t>& rows);
  // By public id; ids that do not exist are absent.
  static Result<std::map<std::string, OrganizationRef>> OrganizationsByPublicId(
      db::Connection& c, const std::vector<std::string>& public_ids);
  // The rows of the organisations in any of `regions` (e.g. hong_kong, macao).
  static Result<std::vector<int64_t>> OrganizationsInRegions(db::Connection& c,
                                                             const std::vector<std::string>& regions);

  // The names of every organisation (parks included) that has both a Chinese and an English
  // one: the park's own bilingual vocabulary (exchange/park_vocabulary.h).
  static Result<std::vector<Names>> BilingualOrganizationNames(db::Connection& c);

  static Result<std::optional<PersonRef>> FindPerson(db::Connection& c, const std::string& public_id);
  static Result<std::map<int64_t, PersonRef>> PeopleByRow(db::Connection& c,
                                                          const std::vector<int64_t>& rows);
  // The person's affiliations: each organisation (row and public id) and the date the
  // affiliation ended (YYYY-MM-DD; empty while current).
  struct AffiliationRef {
    int64_t organization_row = 0;
    std::string organization;
    std::string end_date;
  };
  static Result<std::vector<AffiliationRef>> AffiliationsOf(db::Connection& c, int64_t person_row);
  // Whether the person is (or was) affiliated with the organisation.
  static Result<bool> IsAffiliated(db::Connection& c, int64_t person_row, int64_t org_row);

  // Whether the two organisations are settled members of one same park.
  static Result<bool> ShareSettledPark(db::Connection& c, int64_t org_a, int64_t org_b);
  // Whether any of `orgs` is a settled member of a park.
  static Result<bool> AnySettledMember(db::Connection& c, const std::vector<int64_t>& orgs);
  // The rows of the settled members of the park `park_id`, for the figures a park's operators
  // (and platform admins) read: not found unless it is a park, refused to anyone else.
  static Result<std::vector<int64_t>> SettledMembersOfOperatedPark(db::Connection& c,
                                                                   const identity::Principal& p,
                                                                   const std::string& park_id);
};

class RoleScopesOfRegistry final : public identity::RoleScopes {
 public:
  Result<std::optional<identity::RoleScope>> Find(db::Connection& connection,
                                                  const std::string& public_id) const override;
};

}  // namespace parkhub::registry
