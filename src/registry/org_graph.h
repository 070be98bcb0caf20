// OrgGraph: the one answer, for every module, to "for which organisations does this person act
// and which do they administer", given their scoped roles and the organisation tree.
//
// The rules, in one place:
//   - An org admin administers the organisation and every organisation below it (a
//     university's admin administers its Shenzhen institute; the tree is at most 32 deep).
//   - A person acts for the organisations they administer and those they are a member of
//     (membership does not reach the organisations below).
//   - A platform admin administers and acts for every organisation.
// Other roles (park operator, facility manager, judge, ...) give what their module says, asked
// through HoldsRole; they never reach below their scope.
//
// Load reads the tree once (one recursive query, none when the person administers nothing);
// the questions after it touch no database. An OrgGraph is a plain value of one request; it
// refers to the Principal it was loaded for, which must outlive it.
#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "core/status.h"
#include "db/database.h"
#include "identity/principal.h"

namespace parkhub::registry {

class OrgGraph {
 public:
  static Result<OrgGraph> Load(db::Connection& c, const identity::Principal& principal);

  bool IsPlatformAdmin() const { return platform_admin_; }
  bool Administers(int64_t org_id) const;
  bool ActsFor(int64_t org_id) const;
  // The principal holds `role` scoped to exactly `org_id` (platform admins hold every role).
  bool HoldsRole(identity::Role role, int64_t org_id) const;
  // The organisations they act for (empty for a platform admin, who acts for all): for SQL
  // filters such as "memberships of the organisations I act for".
  const std::set<int64_t>& acting_for() const { return acting_for_; }

  // The organisations above `org_id` (parent, grandparent, ...), nearest first.
  static Result<std::vector<int64_t>> AncestorIds(db::Connection& c, int64_t org_id);
  // The organisations below any of `org_ids` (children, grandchildren, ...), not themselves.
  static Result<std::vector<int64_t>> DescendantIds(db::Connection& c,
                                                    const std::vector<int64_t>& org_ids);

 private:
  explicit OrgGraph(const identity::Principal& principal) : principal_(&principal) {}

  const identity::Principal* principal_;
  bool platform_admin_ = false;
  std::set<int64_t> administered_;
  std::set<int64_t> acting_for_;
};

}  // namespace parkhub::registry
