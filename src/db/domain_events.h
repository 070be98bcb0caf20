// DomainEvents: the outbox of what happened, shared by every module. A module appends an event
// inside the transaction of the change it records, so the event exists exactly when the change
// was committed; consumers in any module (the search indexer today; statistics and governance
// to come) read the events after their own position, in order, without reading the producing
// module's tables. An event is thin: what kind of thing happened to which record
// (its row and public id), who did it and when, and a small JSON payload (a transition's from
// and to); a consumer asks the owning module's interface for more.
//
// Kinds are "<subject>.<what>": listing.changed, membership.settled, booking.approved,
// introduction.accepted, deal.signed, ... Consumers read by *position*, never by number: on
// SQLite (one writer) an event's position is its number; on PostgreSQL, which writes
// concurrently and may commit event 10 after event 11 was read, it is the id of the transaction
// that wrote it, and only events of transactions older than every running one are readable
// (migrations 0013 per dialect: the domain_event_log and domain_event_horizon views). Either way
// an event that commits later lands above every position already read, and the events of one
// transaction share a position and are read together. On PostgreSQL an event committed while an
// older transaction still runs is *unsettled* until that one ends: ReadUnsettled shows it to a
// consumer that wants to act at once, and ReadAfter shows it again, in order, once settled.
//
// Each consumer records the position it has durably consumed (SaveCursor; each ParkHub
// instance's search index is a consumer of its own). The outbox is a log with a retention window:
// Prune deletes settled events every consumer has passed and those older than the window even if
// a consumer has not (an instance that was gone for longer), always keeping the newest event, and
// records the highest position it deleted (PrunedThrough): a consumer behind it has missed events
// and must rebuild from the owning module's tables.
//
// An event with `wakes_followers` also notifies the channel of its subject (ChannelOf,
// Connection::Notify): other instances following that subject wake at the commit instead of at
// their next poll. Only subjects another instance follows should: on PostgreSQL a transaction
// that notifies commits under a lock every other notifying transaction waits for, flush included
// (measured: bookings that notified ran at half the rate, docs/performance.md).
//
// Stateless; every call runs on the caller's connection. Thread-safe as the connection is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "db/database.h"

namespace parkhub::db {

struct DomainEvent {
  int64_t seq = 0;       // assigned by Append: unique, increasing in the order of appending
  int64_t position = 0;  // where consumers read it (see above); set when read
  std::string kind;
  int64_t subject_row = 0;
  std::string subject_id;  // the public id, when the subject has one
  int64_t actor_row = 0;   // 0: the system
  std::string at;          // RFC 3339 (core/clock.h FormatUtc); required
  std::string payload = "{}";  // JSON object
  bool wakes_followers = false;  // notify ChannelOf(kind) at the commit
};

// The event of a workflow step (core/workflow.h): kind "<subject>.<to>", payload {"from", "to"};
// an actor row of 0 or below (the system) is recorded as 0.
DomainEvent TransitionEvent(const std::string& subject, int64_t subject_row, std::string subject_id,
                            const std::string& from, const std::string& to, int64_t actor_row,
                            std::string at);

class DomainEvents {
 public:
  // The notification channel of events of the kind's subject: "listing.changed" and
  // "listing.anything" share "parkhub_events.listing".
  static std::string ChannelOf(std::string_view kind);

  static Status Append(Connection& c, const DomainEvent& event);
  // The readable events above position `after` whose kind starts with one of `kind_prefixes`
  // (e.g. "listing."), in order: about `limit` of them, never part of a position's events (a
  // batch that would end inside one ends before it, or holds that whole position alone).
  static Result<std::vector<DomainEvent>> ReadAfter(Connection& c, int64_t after,
                                                    const std::vector<std::string>& kind_prefixes,
                                                    int limit);
  // Committed events above the horizon, in order, of the kinds as in ReadAfter (none on SQLite):
  // for acting early on what ReadAfter will return later.
  static Result<std::vector<DomainEvent>> ReadUnsettled(
      Connection& c, const std::vector<std::string>& kind_prefixes, int limit);
  // The position up to which every committed event is readable in the caller's snapshot: what
  // a consumer that rebuilt from the owning module's tables in that snapshot has consumed.
  static Result<int64_t> Horizon(Connection& c);
  // `consumer` has durably consumed every event up to `position`.
  static Status SaveCursor(Connection& c, const std::string& consumer, int64_t position);
  // Deletes the events every consumer has passed and those recorded before `retained_since`
  // (RFC 3339), but never the newest; returns how many. Runs in the caller's write transaction.
  static Result<int64_t> Prune(Connection& c, const std::string& retained_since);
  // The highest position Prune ever deleted (0 when none).
  static Result<int64_t> PrunedThrough(Connection& c);
};

}  // namespace parkhub::db
