#include "identity/principal.h"

#include <algorithm>

namespace parkhub::identity {
namespace {

struct RoleNameEntry {
  Role role;
  const char* name;
};
constexpr RoleNameEntry kRoleNames[] = {
    {Role::kPlatformAdmin, "platform_admin"},   {Role::kParkOperator, "park_operator"},
    {Role::kOrgAdmin, "org_admin"},             {Role::kMember, "member"},
    {Role::kJudge, "judge"},                    {Role::kFacilityManager, "facility_manager"},
    {Role::kComplianceOfficer, "compliance_officer"},
};

}  // namespace

std::string RoleName(Role role) {
  for (const auto& entry : kRoleNames) {
    if (entry.role == role) return entry.name;
  }
  return "unknown";
}

std::optional<Role> ParseRole(const std::string& name) {
  for (const auto& entry : kRoleNames) {
    if (name == entry.name) return entry.role;
  }
  return std::nullopt;
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> kAll = [] {
    std::vector<Role> all;
    for (const auto& entry : kRoleNames) all.push_back(entry.role);
    return all;
  }();
  return kAll;
}

bool Principal::IsPlatformAdmin() const {
  return std::any_of(roles.begin(), roles.end(),
                     [](const RoleAssignment& r) { return r.role == Role::kPlatformAdmin; });
}

bool Principal::HasRole(Role role, int64_t scope_id) const {
  return std::any_of(roles.begin(), roles.end(), [&](const RoleAssignment& r) {
    return r.role == role && r.scope_id == scope_id;
  });
}

bool Principal::HasRoleAnywhere(Role role) const {
  return std::any_of(roles.begin(), roles.end(),
                     [&](const RoleAssignment& r) { return r.role == role; });
}

bool Principal::OperatesAnyOf(const std::vector<int64_t>& park_ids) const {
  return std::any_of(park_ids.begin(), park_ids.end(),
                     [&](int64_t id) { return HasRole(Role::kParkOperator, id); });
}

}  // namespace parkhub::identity
