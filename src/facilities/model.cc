#include "facilities/model.h"

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

}  // namespace parkhub::facilities
