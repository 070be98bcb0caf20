// The store's raw ceiling: single-row durable commits per second on the same SQLite settings
// ParkHub uses (WAL, synchronous=FULL, BEGIN IMMEDIATE), from N threads for S seconds.
// Usage: parkhub_store_ceiling DIR THREADS SECONDS
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "db/sqlite/sqlite_database.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s DIR THREADS SECONDS\n", argv[0]);
    return 2;
  }
  std::string path = std::string(argv[1]) + "/ceiling.db";
  int threads = std::stoi(argv[2]);
  int seconds = std::stoi(argv[3]);
  auto database = parkhub::db::SqliteDatabase::Open(path);
  if (!database.ok()) return 1;
  {
    auto c = (*database)->Acquire();
    (void)(*c)->Execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
  }
  std::atomic<long> commits{0};
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back([&, i] {
      auto c = (*database)->Acquire();
      while (std::chrono::steady_clock::now() < deadline) {
        if (!(*c)->Begin(parkhub::db::TxMode::kWrite).ok()) continue;
        if ((*c)->Execute("INSERT INTO t (v) VALUES (?)", {int64_t{i}}).ok() && (*c)->Commit().ok()) {
          ++commits;
        } else {
          (void)(*c)->Rollback();
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  std::printf("%.0f\n", static_cast<double>(commits.load()) / seconds);
  return 0;
}
