// Principal: who is making a request, with their scoped roles. Built by IdentityService from a
// session cookie or an API token; the anonymous principal has user_id 0 and no roles.
//
// Roles are scoped: platform_admin to the whole platform (no scope); park_operator to a park;
// org_admin, member, judge, facility_manager and compliance_officer to an organisation.
// The permission questions the domain modules ask are answered here, so a rule lives once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace parkhub::identity {

enum class Role {
  kPlatformAdmin,
  kParkOperator,
  kOrgAdmin,
  kMember,
  kJudge,
  kFacilityManager,
  kComplianceOfficer,
};

std::string RoleName(Role role);
std::optional<Role> ParseRole(const std::string& name);
const std::vector<Role>& AllRoles();
// Platform admin is the only unscoped role.
inline bool RoleNeedsScope(Role role) { return role != Role::kPlatformAdmin; }

struct RoleAssignment {
  Role role;
  int64_t scope_id = 0;         // internal organisation row id; 0 for platform scope
  std::string scope_public_id;  // the organisation's public id, for display
};

enum class AuthMethod { kNone, kSessionCookie, kApiToken };

struct Principal {
  int64_t user_id = 0;
  std::string public_id;
  std::string username;
  std::string display_name;
  std::vector<RoleAssignment> roles;
  AuthMethod method = AuthMethod::kNone;
  std::string csrf_token;  // only for session-cookie principals

  bool authenticated() const { return user_id != 0; }
  bool IsPlatformAdmin() const;
  bool HasRole(Role role, int64_t scope_id) const;
  // True when the principal holds `role` for any scope.
  bool HasRoleAnywhere(Role role) const;
  // Park operator of any of `park_ids`.
  bool OperatesAnyOf(const std::vector<int64_t>& park_ids) const;
};

}  // namespace parkhub::identity
