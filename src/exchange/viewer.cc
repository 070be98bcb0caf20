#include "exchange/viewer.h"

#include "registry/directory.h"

namespace parkhub::exchange {

using identity::Role;

Result<Viewer> Viewer::Load(db::Connection& c, const identity::Principal& p) {
  ASSIGN_OR_RETURN(auto graph, registry::OrgGraph::Load(c, p));
  Viewer viewer(std::move(graph));
  viewer.park_member_ = p.IsPlatformAdmin() || p.HasRoleAnywhere(Role::kParkOperator);
  if (!viewer.park_member_ && !viewer.acting_for().empty()) {
    std::vector<int64_t> orgs(viewer.acting_for().begin(), viewer.acting_for().end());
    ASSIGN_OR_RETURN(viewer.park_member_, registry::Directory::AnySettledMember(c, orgs));
  }
  return viewer;
}

bool Viewer::CanSee(const ListingRow& row) const {
  if (ActsFor(row.owner_row_id)) return true;
  const Listing& l = row.listing;
  if (l.state != "published") return false;
  if (l.visibility == "public") return true;
  if (l.visibility == "members") return park_member_;
  for (int64_t org : row.audience_row_ids) {
    if (acting_for().count(org) != 0) return true;
  }
  return false;
}

std::vector<std::string> Viewer::AudienceTerms() const {
  if (platform_admin()) return {};
  std::vector<std::string> terms = {"Vpublic"};
  if (park_member_) terms.push_back("Vmembers");
  for (int64_t org : acting_for()) terms.push_back("Vorg" + std::to_string(org));
  return terms;
}

}  // namespace parkhub::exchange
