// The database drivers the store and repository suites run against (TEST_P over StoreDrivers()).
// A driver that needs a server (PostgreSQL) starts it for the test run and adds itself here.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace parkhub::testing {

struct StoreDriver {
  std::string name;
  // The URL of a fresh, empty database for a test that owns the directory `dir`.
  std::function<std::string(const std::string& dir)> url;
};

const std::vector<StoreDriver>& StoreDrivers();

// gtest prints a driver by its name.
inline void PrintTo(const StoreDriver& driver, std::ostream* out) { *out << driver.name; }

}  // namespace parkhub::testing
