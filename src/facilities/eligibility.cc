#include "facilities/eligibility.h"

#include <algorithm>

namespace parkhub::facilities {
namespace {
bool Allowed(const std::vector<std::string>& allowed, const std::string& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}
}  // namespace

Status EligibilityPolicy::Check(const Resource& resource, const BookerProfile& booker) const {
  if (!Allowed(resource.rules.allowed_regions, booker.region)) {
    return Status(ErrorCode::kPermissionDenied, "region_not_allowed",
                  "this resource is not open to users from " + booker.region);
  }
  if (!Allowed(resource.rules.allowed_categories, booker.category)) {
    return Status(ErrorCode::kPermissionDenied, "category_not_allowed",
                  "this resource is not open to " + booker.category + " users");
  }
  if (resource.rules.training_required && !booker.trained) {
    return Status(ErrorCode::kPermissionDenied, "training_required",
                  "you need a valid training record for this resource; ask its facility manager");
  }
  return Status::Ok();
}

std::optional<CrossBorderUse> CrossBorderUseOf(const Resource& resource,
                                               const std::string& owner_region,
                                               const BookerProfile& booker, int64_t starts_at) {
  if (resource.kind != "compute_pool") return std::nullopt;
  bool owner_mainland = owner_region == "mainland";
  bool booker_mainland = booker.region == "mainland";
  bool crosses = (owner_mainland && booker.region == "hong_kong") ||
                 (booker_mainland && owner_region == "hong_kong");
  if (!crosses) return std::nullopt;
  return CrossBorderUse{"data", owner_mainland ? "to_mainland" : "to_hong_kong",
                        booker.organisation, starts_at};
}

}  // namespace parkhub::facilities
