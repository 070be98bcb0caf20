#include "support/drivers.h"

#include <cstdlib>
#include <random>
#include <stdexcept>

#include "db/database.h"

namespace parkhub::testing {
namespace {

std::string SqliteUrl(const std::string& dir) { return "sqlite:" + dir + "/store.db"; }

// A new schema in the configured server, first on the search path (the extensions stay in
// public, where scripts/postgres.sh created them).
std::string FreshPostgresSchema(const std::string& server) {
  std::random_device random;
  std::string schema = "test_" + std::to_string(random()) + "_" + std::to_string(random());
  auto database = db::Open(server);
  if (!database.ok()) throw std::runtime_error(database.status().message());
  auto connection = (*database)->Acquire();
  if (!connection.ok()) throw std::runtime_error(connection.status().message());
  auto created = (*connection)->Execute("CREATE SCHEMA " + schema);
  if (!created.ok()) throw std::runtime_error(created.status().message());
  return server + "?options=-c%20search_path%3D" + schema + "%2Cpublic";
}

std::string PostgresServer() {
  const char* url = std::getenv("PARKHUB_TEST_POSTGRES_URL");
  return url == nullptr ? "" : url;
}

}  // namespace

const std::vector<StoreDriver>& StoreDrivers() {
  static const std::vector<StoreDriver> kDrivers = {
      {"sqlite", SqliteUrl},
      {"postgres", [](const std::string&) { return FreshPostgresSchema(PostgresServer()); },
       [] { return !PostgresServer().empty(); }},
  };
  return kDrivers;
}

const StoreDriver& DefaultDriver() {
  const char* wanted = std::getenv("PARKHUB_TEST_DATABASE");
  if (wanted == nullptr || std::string(wanted) != "postgres") return StoreDrivers().front();
  const StoreDriver& postgres = StoreDrivers().back();
  if (!postgres.available()) {
    throw std::runtime_error("PARKHUB_TEST_DATABASE=postgres needs PARKHUB_TEST_POSTGRES_URL");
  }
  return postgres;
}

}  // namespace parkhub::testing
