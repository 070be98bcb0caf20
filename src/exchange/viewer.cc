#include "exchange/viewer.h"

#include "registry/registry_service.h"

namespace parkhub::exchange {

using identity::Role;

Result<Viewer> Viewer::Load(db::Connection& c, const identity::Principal& p) {
  Viewer viewer;
  viewer.principal = &p;
  viewer.platform_admin = p.IsPlatformAdmin();
  std::vector<int64_t> administered;
  for (const auto& role : p.roles) {
    if (role.scope_id != 0) viewer.organizations.insert(role.scope_id);
    if (role.role == Role::kParkOperator) viewer.park_member = true;
    if (role.role == Role::kOrgAdmin && role.scope_id != 0) administered.push_back(role.scope_id);
  }
  viewer.acting_for = viewer.organizations;
  if (!administered.empty()) {
    ASSIGN_OR_RETURN(auto below, registry::RegistryService::DescendantIds(c, administered));
    viewer.acting_for.insert(below.begin(), below.end());
  }
  if (!viewer.park_member && !viewer.organizations.empty()) {
    db::Params params;
    std::string placeholders = db::InList(viewer.organizations, params);
    ASSIGN_OR_RETURN(int64_t settled,
                     c.QueryInt("SELECT COUNT(*) FROM memberships WHERE state = 'settled' AND "
                                "organization_id IN (" + placeholders + ")",
                                params));
    viewer.park_member = settled > 0;
  }
  viewer.park_member = viewer.park_member || viewer.platform_admin;
  return viewer;
}

Result<bool> Viewer::ActsFor(db::Connection& c, int64_t org_row_id) const {
  const identity::Principal& p = *principal;
  if (!p.authenticated()) return false;
  if (p.IsPlatformAdmin() || p.HasRole(Role::kMember, org_row_id)) return true;
  ASSIGN_OR_RETURN(auto ancestors, registry::RegistryService::AncestorIds(c, org_row_id));
  return p.AdministersOrganization(org_row_id, ancestors);
}

Result<bool> Viewer::CanSee(db::Connection& c, const ListingRow& row) const {
  if (platform_admin) return true;
  ASSIGN_OR_RETURN(bool owner, ActsFor(c, row.owner_row_id));
  if (owner) return true;
  const Listing& l = row.listing;
  if (l.state != "published") return false;
  if (l.visibility == "public") return true;
  if (l.visibility == "members") return park_member;
  for (int64_t org : row.audience_row_ids) {
    if (acting_for.count(org) != 0) return true;
  }
  return false;
}

std::vector<std::string> Viewer::AudienceTerms() const {
  if (platform_admin) return {};
  std::vector<std::string> terms = {"Vpublic"};
  if (park_member) terms.push_back("Vmembers");
  for (int64_t org : acting_for) terms.push_back("Vorg" + std::to_string(org));
  return terms;
}

}  // namespace parkhub::exchange
