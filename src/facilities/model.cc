#include "facilities/model.h"

#include <algorithm>

namespace parkhub::facilities {

const std::vector<std::string>& ResourceKinds() {
  static const std::vector<std::string> k = {"instrument", "facility", "pilot_line", "compute_pool"};
  return k;
}

const std::vector<std::string>& ApprovalModes() {
  static const std::vector<std::string> k = {"automatic", "automatic_if_trained", "manual"};
  return k;
}

const std::vector<std::string>& UserCategories() {
  static const std::vector<std::string> k = {"internal", "member_academic", "external_academic",
                                             "industry", "hk_macao"};
  return k;
}

const std::vector<std::string>& BookingStates() {
  static const std::vector<std::string> k = {"held",     "pending",   "approved", "checked_in",
                                             "completed", "rejected", "cancelled", "no_show"};
  return k;
}

bool IsActiveState(const std::string& state) {
  return state == "held" || state == "pending" || state == "approved" || state == "checked_in";
}

std::vector<std::string> AllowedBookingTransitions(const std::string& state) {
  if (state == "held") return {"pending", "approved", "cancelled"};
  if (state == "pending") return {"approved", "rejected", "cancelled"};
  if (state == "approved") return {"checked_in", "cancelled", "no_show"};
  if (state == "checked_in") return {"completed"};
  return {};
}

}  // namespace parkhub::facilities
