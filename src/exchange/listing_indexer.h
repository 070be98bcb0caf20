// ListingIndexer: keeps the search index in step with the listings table.
//
// Every listing write appends a `listing.changed` event to the domain-event outbox
// (db/domain_events.h) in the same transaction. CatchUp() applies the events after the index's
// last applied outbox position — the listing as it is now when published and unexpired, a
// removal otherwise — and records the new position with them. Services call it after each
// committed write, and the application after every notification of another instance's write
// (app/event_follower.h); on PostgreSQL it also applies the committed events that have not
// settled in order yet, without moving its position. Checkpoint() makes the index durable (a
// snapshot holding its position), saves that position as this index's cursor and prunes the outbox;
// Open() runs when the application starts: it replays the events after the snapshot, or rebuilds
// the index from the database when there is no snapshot, so nothing published is ever missing after
// a crash. Rebuild() fills a fresh index from every published listing (`parkhub reindex`).
//
// The index document of a listing: title (weight 3), keywords (2), summary, the details' text
// and the people's names (1), the people as person terms (matching/people.h); boolean terms for
// kind (K), owner (O), region (R), discipline (D), tag (G) and audience (V: "Vpublic", "Vmembers",
// "Vorg<row id>"); values for facets, ranges and signals (see the slot constants). Thread-safe:
// CatchUp() and Rebuild() are serialised.
#pragma once

#include <chrono>
#include <functional>
#include <set>
#include <string>

#include "core/clock.h"
#include "core/mutex.h"
#include "db/database.h"
#include "matching/analyzer.h"
#include "matching/search_index.h"

namespace parkhub::exchange {

namespace slots {
inline constexpr unsigned kKind = 1;
inline constexpr unsigned kOwner = 2;
inline constexpr unsigned kRegion = 3;
inline constexpr unsigned kDiscipline = 4;
inline constexpr unsigned kTags = 5;
inline constexpr unsigned kTrl = 6;
inline constexpr unsigned kPublishedAt = 7;  // unix seconds
inline constexpr unsigned kExpiresAt = 8;    // unix seconds; far future when it never expires
}  // namespace slots

// A facet or filter value as the index stores it: folded, so "Materials" and "materials" meet.
std::string FilterValue(const text::TextFolder& folder, const std::string& text);

// How an index follows the outbox among several ParkHub instances.
struct IndexFollowing {
  // The index's name among the outbox's consumers: "search_index", or "search_index@<instance>"
  // for each of several instances serving one database (Config::instance_name).
  std::string consumer = "search_index";
  // Events older than this are pruned even if a consumer has not passed them.
  std::chrono::hours retention{24 * 7};
  // Where a rebuild or resync reads every listing: a hot standby spares the primary that scan
  // (the index then catches up from the primary, from the standby's outbox horizon); null: the
  // database the indexer follows.
  db::Database* bulk_reads = nullptr;
};

class ListingIndexer {
 public:
  using Progress = std::function<void(int done, int total)>;

  ListingIndexer(db::Database& database, matching::SearchIndex& index,
                 matching::AnalyzerPool& analyzers, const text::TextFolder& folder,
                 const Clock& clock, IndexFollowing following = {})
      : database_(database),
        index_(index),
        analyzers_(analyzers),
        folder_(folder),
        clock_(clock),
        following_(std::move(following)) {}

  // Applies the outbox rows the index has not seen; returns how many. When the outbox was pruned
  // past the index's position (it missed events: an instance gone longer than the retention
  // window), or the position is ahead of the outbox (a snapshot from the database the data was
  // copied from), it brings every listing up to date instead (Resync).
  Result<int> CatchUp();
  // Indexes every published listing into `target` (a fresh index), recording the outbox's
  // horizon as its position; returns how many listings were indexed.
  Result<int> Rebuild(matching::SearchIndex& target, const Progress& progress = {});
  // Brings the index up to date when the application starts (see above).
  Status Open();
  // Snapshots the index, saves its position as this consumer's cursor and prunes the outbox.
  Status Checkpoint();

 private:
  // Every listing, published or not, as it is now, into the live index: for an index that missed
  // events, without taking it offline.
  Result<int> Resync() REQUIRES(mutex_);
  // The committed listing events that have not settled yet (db/domain_events.h), applied once
  // each without moving the index's position, so a write is searchable at once; when they settle,
  // the position passes them without applying them again (the listing as it was then is already
  // in; a later change has an event of its own).
  Result<int> ApplyUnsettled(db::Connection& c) REQUIRES(mutex_);
  // The listings (only the published ones, or all) as they are now into `target`, in batches
  // from one snapshot, at that snapshot's outbox horizon.
  Result<int> ApplyListings(matching::SearchIndex& target, bool published_only,
                            const Progress& progress) REQUIRES(mutex_);
  Result<std::vector<matching::IndexChange>> ChangesFor(db::Connection& c,
                                                        const std::vector<int64_t>& listing_ids);

  db::Database& database_;
  matching::SearchIndex& index_;
  matching::AnalyzerPool& analyzers_;
  const text::TextFolder& folder_;
  const Clock& clock_;
  const IndexFollowing following_;
  Mutex mutex_;  // one pass over the index at a time (catch-up, rebuild, checkpoint)
  std::set<int64_t> applied_early_ GUARDED_BY(mutex_);  // seqs of unsettled events applied
};

}  // namespace parkhub::exchange
