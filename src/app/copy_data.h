// CopyData: moves a deployment's data from one database to another (`parkhub copy-data`), the
// way a park network moves from the embedded SQLite default to PostgreSQL.
//
// The source is read in one read transaction, so a running server may keep writing to it: the
// copy is the snapshot of the moment it began (stop writers, or copy again, for the rest). The
// target is migrated to the source's schema version and must hold no data yet; every table is
// then copied in the order the migrations created it (so a row's references exist before it),
// rows keeping their ids, in one write transaction per table; the target's id sequences are moved
// past the copied ids. Finally each table is verified: the same row count and the same checksum
// (an order-independent sum of a hash of each row's canonical text, JSON compared by value) on
// both sides. Any failure names the table and leaves the target's transaction of that table
// rolled back. Schema bookkeeping (schema_migrations), cache counters (change_counters) and the
// outbox consumers' positions (domain_event_cursors, domain_events.txid) are the target's own and
// are not copied: the copied events take the target's positions, and a search index that finds
// its snapshot ahead of the target's outbox rebuilds (exchange/listing_indexer.h).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "db/database.h"

namespace parkhub::app {

struct TableCopy {
  std::string table;
  int64_t rows = 0;
  uint64_t checksum = 0;  // equal on both sides
};

// Called after each batch with the rows copied so far and the total to copy.
using CopyProgress = std::function<void(int64_t done, int64_t total)>;

Result<std::vector<TableCopy>> CopyData(db::Database& from, db::Database& to,
                                        const CopyProgress& progress);

}  // namespace parkhub::app
