// Waits until every domain event committed so far is settled (readable in order by
// db::DomainEvents::ReadAfter): at once on SQLite; on PostgreSQL once the transactions that were
// running when it was called have ended (tests share one cluster, whose other schemas' writers
// hold the horizon back for a moment). Fails the test after ten seconds.
#pragma once

#include "db/database.h"

namespace parkhub::testing {

void AwaitSettledEvents(db::Connection& c);

}  // namespace parkhub::testing
