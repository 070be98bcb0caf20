#include "registry/org_graph.h"

namespace parkhub::registry {

using identity::Role;

namespace {

constexpr int kMaxDepth = 32;

}  // namespace

Result<OrgGraph> OrgGraph::Load(db::Connection& c, const identity::Principal& principal) {
  OrgGraph graph(principal);
  graph.platform_admin_ = principal.IsPlatformAdmin();
  std::vector<int64_t> admin_scopes;
  for (const auto& role : principal.roles) {
    if (role.scope_id == 0) continue;
    if (role.role == Role::kOrgAdmin) admin_scopes.push_back(role.scope_id);
    if (role.role == Role::kOrgAdmin || role.role == Role::kMember) {
      graph.acting_for_.insert(role.scope_id);
    }
  }
  ASSIGN_OR_RETURN(auto below, DescendantIds(c, admin_scopes));
  graph.administered_.insert(admin_scopes.begin(), admin_scopes.end());
  graph.administered_.insert(below.begin(), below.end());
  graph.acting_for_.insert(below.begin(), below.end());
  return graph;
}

bool OrgGraph::Administers(int64_t org_id) const {
  return platform_admin_ || administered_.count(org_id) != 0;
}

bool OrgGraph::ActsFor(int64_t org_id) const {
  return platform_admin_ || acting_for_.count(org_id) != 0;
}

bool OrgGraph::HoldsRole(Role role, int64_t org_id) const {
  return platform_admin_ || principal_->HasRole(role, org_id);
}

Result<std::vector<int64_t>> OrgGraph::AncestorIds(db::Connection& c, int64_t org_id) {
  ASSIGN_OR_RETURN(auto rows, c.Query("WITH RECURSIVE up(id, depth) AS (SELECT parent_id, 1 FROM "
                                      "organizations WHERE id = ? UNION ALL SELECT o.parent_id, "
                                      "up.depth + 1 FROM organizations o JOIN up ON o.id = up.id "
                                      "WHERE up.depth < ?) SELECT id FROM up WHERE id IS NOT NULL",
                                      {org_id, int64_t{kMaxDepth}}));
  std::vector<int64_t> ids;
  for (const auto& row : rows) ids.push_back(row.Int(0));
  return ids;
}

Result<std::vector<int64_t>> OrgGraph::DescendantIds(db::Connection& c,
                                                     const std::vector<int64_t>& org_ids) {
  std::vector<int64_t> ids;
  if (org_ids.empty()) return ids;
  db::Params params;
  std::string parents = db::InList(org_ids, params);
  params.emplace_back(int64_t{kMaxDepth});
  ASSIGN_OR_RETURN(auto rows, c.Query("WITH RECURSIVE down(id, depth) AS (SELECT id, 1 FROM "
                                      "organizations WHERE parent_id IN (" + parents + ") UNION ALL "
                                      "SELECT o.id, down.depth + 1 FROM organizations o JOIN down ON "
                                      "o.parent_id = down.id WHERE down.depth < ?) SELECT id FROM down",
                                      params));
  for (const auto& row : rows) ids.push_back(row.Int(0));
  return ids;
}

}  // namespace parkhub::registry
