// The database drivers the store and repository suites run against (TEST_P over StoreDrivers()):
// SQLite, and PostgreSQL on the server PARKHUB_TEST_POSTGRES_URL names (scripts/test.sh starts a
// throw-away cluster and sets it), each test in a fresh schema of its own. Both are always listed,
// so ctest knows every test; without a server the PostgreSQL ones skip (Available()).
// PARKHUB_TEST_DATABASE=postgres makes PostgreSQL the database of every TestApp as well, so the
// service and API suites run on it too.
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
  // False when the driver's server is not configured for this run.
  std::function<bool()> available = [] { return true; };
};

const std::vector<StoreDriver>& StoreDrivers();

// The driver a TestApp uses when it is given none: SQLite, or PostgreSQL when
// PARKHUB_TEST_DATABASE=postgres (fails the test run when no server is configured).
const StoreDriver& DefaultDriver();

// gtest prints a driver by its name.
inline void PrintTo(const StoreDriver& driver, std::ostream* out) { *out << driver.name; }

}  // namespace parkhub::testing
