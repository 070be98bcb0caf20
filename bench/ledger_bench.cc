// The audit ledger's numbers (issue 18): durable appends per second with batching, beside the
// same commits of a plain row without any hashing (the store's ceiling for this shape); how fast
// the integrator grows the tree; `audit verify` of the whole log; and the size and time of an
// inclusion proof at the largest size.
// Usage: parkhub_ledger_bench [--entries N] [--writers T] [--seconds S] [--database URL] --work DIR
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "db/group_commit.h"
#include "db/migrator.h"
#include "governance/audit_verifier.h"
#include "governance/ledger.h"

namespace {

using namespace parkhub;
using Stopwatch = std::chrono::steady_clock;

double SecondsSince(Stopwatch::time_point start) {
  return std::chrono::duration<double>(Stopwatch::now() - start).count();
}

governance::LedgerRecord Record(int64_t i) {
  return {"decision",
          "flow_" + std::to_string(i),
          "officer_" + std::to_string(i % 97),
          {{"outcome", i % 3 == 0 ? "needs_approval" : "allow"},
           {"policy", "sha256:4f2a9c"},
           {"rules", {"hgr-export-pilot", "gba-contract-parties"}}}};
}

// Appends from `writers` threads through a GroupCommitter for `seconds`; commits per second.
double DurableRate(db::Database& database, int writers, int seconds,
                   const db::GroupCommitter::Work& work) {
  db::GroupCommitter committer(database);
  std::atomic<long> done{0};
  auto deadline = Stopwatch::now() + std::chrono::seconds(seconds);
  auto start = Stopwatch::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < writers; ++t) {
    threads.emplace_back([&] {
      while (Stopwatch::now() < deadline) {
        if (committer.Run(work).ok()) ++done;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  return static_cast<double>(done.load()) / SecondsSince(start);
}

long PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t entries = 1000000;
  int writers = 32;
  int seconds = 5;
  std::string url;
  std::string work;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--entries")
      entries = std::stoll(argv[i + 1]);
    else if (flag == "--writers")
      writers = std::stoi(argv[i + 1]);
    else if (flag == "--seconds")
      seconds = std::stoi(argv[i + 1]);
    else if (flag == "--database")
      url = argv[i + 1];
    else if (flag == "--work")
      work = argv[i + 1];
  }
  if (work.empty()) {
    std::fprintf(stderr,
                 "usage: %s [--entries N] [--writers T] [--seconds S] [--database URL] "
                 "--work DIR\n",
                 argv[0]);
    return 2;
  }
  std::filesystem::create_directories(work);
  if (url.empty()) url = "sqlite:" + work + "/ledger_bench.db";
  auto database = db::Open(url);
  if (!database.ok()) {
    std::fprintf(stderr, "%s\n", database.status().message().c_str());
    return 1;
  }
  db::Migrator migrator(**database, db::MergeModuleMigrations(
                                        {db::SchemaMigrations((*database)->Dialect()),
                                         governance::SchemaMigrations((*database)->Dialect())}));
  if (!migrator.Migrate().ok()) return 1;
  {
    auto c = (*database)->Acquire();
    (void)(*c)->Execute(
        "CREATE TABLE IF NOT EXISTS bench_plain_rows (id bigint PRIMARY KEY, body text NOT NULL)");
  }
  SystemClock clock;
  auto signer = governance::NoteSigner::Generate("bench.parkhub.local/ledger");
  governance::Ledger ledger(**database, clock, *signer, "bench.parkhub.local/ledger");

  // 1. Durable appends, batched by the group committer, beside a plain row of the same size.
  std::atomic<int64_t> next{0};
  double ledger_rate = DurableRate(**database, writers, seconds, [&](db::Connection& c) {
    return ledger.Append(c, Record(next++));
  });
  std::atomic<int64_t> plain{0};
  double plain_rate = DurableRate(**database, writers, seconds, [&](db::Connection& c) {
    int64_t i = plain++;
    return c
        .Execute("INSERT INTO bench_plain_rows(id, body) VALUES(?, ?)",
                 {i, governance::LeafOf(Record(i), "2026-11-30T08:00:00Z")})
        .status();
  });
  std::printf("durable appends/s, %d writers, %s: ledger %.0f, plain row %.0f (%.2fx)\n", writers,
              std::string((*database)->Dialect()).c_str(), ledger_rate, plain_rate,
              ledger_rate / plain_rate);

  // 2. Fill to `entries` in large transactions, integrating in batches.
  auto fill_start = Stopwatch::now();
  while (next < entries) {
    auto c = (*database)->Acquire();
    auto tx = db::Transaction::Begin(**c, db::TxMode::kWrite);
    for (int i = 0; i < 10000 && next < entries; ++i) {
      if (!ledger.Append(**c, Record(next++)).ok()) return 1;
    }
    if (!tx->Commit().ok()) return 1;
  }
  double fill_seconds = SecondsSince(fill_start);
  auto integrate_start = Stopwatch::now();
  uint64_t size = 0;
  while (true) {
    auto checkpoint = ledger.Integrate(100000);
    if (!checkpoint.ok()) {
      std::fprintf(stderr, "%s\n", checkpoint.status().message().c_str());
      return 1;
    }
    if (checkpoint->checkpoint.size == size) break;
    size = checkpoint->checkpoint.size;
  }
  double integrate_seconds = SecondsSince(integrate_start);
  std::printf(
      "filled %lld entries in %.1f s (%.0f/s in 10,000-entry transactions); integrated in "
      "%.1f s (%.0f entries/s)\n",
      static_cast<long long>(next.load()), fill_seconds, (next - 0) / fill_seconds,
      integrate_seconds, static_cast<double>(size) / integrate_seconds);

  // 3. The auditor's full check.
  auto verify_start = Stopwatch::now();
  auto report = governance::VerifyLedger(**database, ledger.verifier());
  double verify_seconds = SecondsSince(verify_start);
  if (!report.ok() || !report->intact()) {
    std::fprintf(stderr, "verify failed\n");
    return 1;
  }
  std::printf("audit verify: %llu entries, %llu checkpoints in %.2f s\n",
              static_cast<unsigned long long>(report->entries),
              static_cast<unsigned long long>(report->checkpoints), verify_seconds);

  // 4. Inclusion proofs at the final size.
  std::mt19937_64 random(7);
  std::vector<double> ms;
  size_t proof_bytes = 0;
  for (int i = 0; i < 1000; ++i) {
    uint64_t index = random() % size;
    auto start = Stopwatch::now();
    auto proof = ledger.ProveInclusion(index, size);
    ms.push_back(SecondsSince(start) * 1000);
    if (!proof.ok()) return 1;
    proof_bytes = std::max(proof_bytes, proof->size() * sizeof(governance::Hash));
  }
  std::sort(ms.begin(), ms.end());
  std::printf(
      "inclusion proof at %llu entries: at most %zu bytes (%zu hashes); p50 %.3f ms, p99 "
      "%.3f ms\n",
      static_cast<unsigned long long>(size), proof_bytes, proof_bytes / sizeof(governance::Hash),
      ms[ms.size() / 2], ms[ms.size() * 99 / 100]);
  std::printf("peak RSS %ld MB\n", PeakRssMb());
  return 0;
}
