#include "support/settled_events.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "db/domain_events.h"

namespace parkhub::testing {

void AwaitSettledEvents(db::Connection& c) {
  // The highest position an event committed by now can have.
  auto frontier = c.QueryInt(
      c.Dialect() == "postgres" ? "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint - 1"
                                : "SELECT COALESCE(MAX(seq), 0) FROM domain_events");
  ASSERT_TRUE(frontier.ok()) << frontier.status().ToString();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    auto horizon = db::DomainEvents::Horizon(c);
    ASSERT_TRUE(horizon.ok()) << horizon.status().ToString();
    if (*horizon >= *frontier) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  FAIL() << "the domain events committed before position " << *frontier << " never settled";
}

}  // namespace parkhub::testing
