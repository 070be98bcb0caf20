#include "support/drivers.h"

namespace parkhub::testing {

const std::vector<StoreDriver>& StoreDrivers() {
  static const std::vector<StoreDriver> kDrivers = {
      {"sqlite", [](const std::string& dir) { return "sqlite:" + dir + "/store.db"; }},
  };
  return kDrivers;
}

}  // namespace parkhub::testing
