// FacilityService: shared instruments, pilot lines and compute pools, booked across
// institutions and the border without ever double-booking.
//
// The no-overlap guarantee: every booking is checked and inserted inside one write transaction
// (SQLite BEGIN IMMEDIATE serialises writers), so two clients can never both see a slot free.
// A booking's block is [start - set-up, end + clean-up); active blocks (held and unexpired,
// pending, approved, checked in) of a resource never load it beyond its capacity.
// Rules are checked in this order, each with a reason: time rules (422), eligibility through
// the one EligibilityPolicy (403), no-show block (403), then the slot (409). Prices are frozen
// at booking. Permissions: facility managers (role scoped to the owner organisation), the
// owner's org admins and platform admins manage a resource; bookers act for an organisation in
// which they hold a role. Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/mutex.h"
#include "db/database.h"
#include "db/group_commit.h"
#include "db/migrator.h"
#include "db/paging.h"
#include "facilities/eligibility.h"
#include "facilities/model.h"
#include "identity/principal.h"
#include "notifications/notifier.h"
#include "text/text_folder.h"

namespace parkhub::facilities {

using identity::Principal;

struct NewResource {
  std::string owner_id;
  std::string kind;
  std::string name_zh;
  std::string name_zh_hant;  // empty: derived from name_zh (OpenCC s2hk)
  std::string name_en;
  std::string description;
  std::string location;
  std::string time_zone;
  std::string currency = "CNY";
  ResourceRules rules;
  std::map<std::string, int64_t> hourly_prices;
  std::map<std::string, std::string> specifications;
};

struct CreatedResource {
  Resource resource;
  std::string calendar_token;  // shown once: the secret of the resource's iCalendar feed URL
};

struct SkippedOccurrence {
  int64_t starts_at;
  std::string reason;
};

struct SeriesResult {
  std::vector<Booking> booked;
  std::vector<SkippedOccurrence> skipped;
};

class FacilityService {
 public:
  // `gate`: decides bookings of compute pools across the border; null where none is configured
  // (a test of booking mechanics).
  FacilityService(db::Database& database, const Clock& clock, const text::TextFolder& folder,
                  const EligibilityPolicy& policy, const notifications::Notifier& notifier,
                  const CrossBorderGate* gate = nullptr)
      : database_(database),
        clock_(clock),
        folder_(folder),
        policy_(policy),
        gate_(gate),
        notifier_(notifier),
        committer_(database) {}

  Result<CreatedResource> CreateResource(const Principal& p, const NewResource& input);
  // The names of every resource with a Chinese and an English one: part of the park's own
  // bilingual vocabulary (exchange/park_vocabulary.h). One query.
  static Result<std::vector<registry::Names>> BilingualResourceNames(db::Connection& c);
  // Spells in Traditional Chinese the names of resources written before they had that spelling
  // (run at start, after the migrations).
  Status FillTraditionalNames();
  // Replaces every editable field of a resource (not its owner) under the same validation as
  // CreateResource; for the owner's facility managers. Bookings already made keep their times
  // and frozen prices; new attempts meet the new rules at once.
  Result<Resource> UpdateResource(const Principal& p, const std::string& id,
                                  const NewResource& input);
  Result<Resource> GetResource(const std::string& id);
  // The catalogue; `q` matches either name, the description or the specifications (a
  // substring of the folded text: any case, either Chinese script, full or half width).
  Result<std::vector<Resource>> ListResources(const std::string& kind, const std::string& owner_id,
                                              const std::string& q = "");
  Result<std::vector<Blackout>> ListBlackouts(const std::string& resource_id);
  Status AddBlackout(const Principal& p, const std::string& resource_id, const Blackout& blackout);
  Status GrantQualification(const Principal& p, const std::string& resource_id,
                            const std::string& username, int64_t expires_at);
  Status LiftNoShowBlock(const Principal& p, const std::string& username);
  // Qualifications that lapse within `days` (1 to 366) and have not yet: the reader's own and
  // those on the resources the reader manages, soonest first.
  Result<std::vector<Qualification>> ExpiringQualifications(const Principal& p, int days);

  Result<Quote> QuoteBooking(const Principal& p, const BookingRequest& request);
  Result<Booking> CreateBooking(const Principal& p, const BookingRequest& request);
  // The same without blocking: `done` is called once, on the committer's writer thread (keep it
  // short), after the booking is durable or refused.
  void CreateBookingAsync(const Principal& p, const BookingRequest& request,
                          std::function<void(Result<Booking>)> done);
  // A recurring series: `first` is the first occurrence and `rrule` an RFC 5545 RRULE (COUNT or
  // UNTIL required, at most 200 occurrences), expanded in the resource's local time. All
  // occurrences are booked in one transaction; with `skip_conflicts` taken or blacked-out dates
  // are skipped and returned, otherwise the first of them fails the whole series.
  Result<SeriesResult> CreateSeries(const Principal& p, const BookingRequest& first,
                                    const std::string& rrule, bool skip_conflicts);
  // One step of the booking workflow; 409 invalid_transition when the booking's state has no
  // such step, 403 when the step is the manager's.
  Result<Booking> Act(const Principal& p, const std::string& booking_id, BookingAction action,
                      const std::string& note);
  Result<Booking> GetBooking(const Principal& p, const std::string& booking_id);
  // The reader's own bookings, one page, latest start first (`sort` "-starts_at", the default)
  // or earliest first ("starts_at"); `state` empty for every state. 400 on a bad query.
  Result<db::Page<Booking>> ListMyBookings(const Principal& p, const BookingListQuery& query);
  // The pending bookings of the resources the reader manages, one page, by start (`sort`; the
  // API's default for this list is earliest first); `state` is ignored.
  Result<db::Page<Booking>> ListPendingApprovals(const Principal& p, const BookingListQuery& query);
  // Busy blocks of a resource between two instants (no personal data; public).
  Result<std::vector<std::pair<int64_t, int64_t>>> BusyBlocks(const std::string& resource_id,
                                                              int64_t from, int64_t to);
  // RFC 5545 feed of the resource's active bookings, behind its secret token.
  Result<std::string> CalendarFeed(const std::string& resource_id, const std::string& token);

  // Issues (or replaces) the secret of the caller's personal booking feed; shown once.
  Result<std::string> IssueUserCalendarToken(const Principal& p);
  // RFC 5545 feed of one user's bookings, found by the feed's secret alone.
  Result<std::string> UserCalendarFeed(const std::string& token);

  // Waits for [starts_at, ends_at) on a resource; the user is notified when an overlapping
  // booking is cancelled or rejected.
  Result<std::string> JoinWaitlist(const Principal& p, const std::string& resource_id,
                                   int64_t starts_at, int64_t ends_at);
  // Notifies bookers of approved bookings that start within the next 24 hours (once each).
  // Run periodically by the server; returns how many reminders were sent.
  Result<int> SendDueReminders();

 private:
  struct ResourceRow;
  Result<ResourceRow> LoadResourceRow(db::Connection& c, const std::string& id);
  static Status ValidateResource(const NewResource& input);
  // The folded text the catalogue searches (resources.search_key).
  std::string SearchKey(const NewResource& input) const;
  // `given`, or else the Traditional (Hong Kong) spelling of `simplified`.
  std::string TraditionalName(const std::string& simplified, const std::string& given) const;
  static Status WritePrices(db::Connection& c, int64_t resource_row,
                            const std::map<std::string, int64_t>& prices);
  struct OrgFacts {
    int64_t id;
    std::string type;
    std::string region;
    bool trained;  // the booker holds an unexpired qualification for the resource
  };
  Result<BookerProfile> Profile(db::Connection& c, const ResourceRow& resource, const OrgFacts& org);
  struct ResourceSnapshot;
  // The resource's rules and blackouts at `rules_version`, from the cache when it has them.
  Result<std::shared_ptr<const ResourceSnapshot>> Snapshot(db::Connection& c,
                                                           const std::string& resource_id,
                                                           int64_t rules_version);
  static Status CheckTimeRules(const ResourceSnapshot& snapshot, const BookingRequest& request,
                               int64_t now);
  Status CheckSlotFree(db::Connection& c, const ResourceRow& r, int64_t block_start,
                       int64_t block_end, int units, int64_t now);
  // The eligibility policy, then, for a compute pool across the border, the cross-border gate.
  Status CheckEligible(db::Connection& c, const ResourceRow& r, const BookerProfile& profile,
                       int64_t starts_at);
  Result<Quote> Price(db::Connection& c, const Principal& p, const ResourceRow& r,
                      const BookingRequest& request, int64_t now, BookerProfile* profile,
                      int64_t* org_row);
  Result<Booking> LoadBooking(db::Connection& c, int64_t booking_row);
  // A page of the bookings (b) of resources (r) that `where` selects, by `query`'s state and sort.
  Result<db::Page<Booking>> ListBookingsWhere(db::Connection& c, std::string where,
                                              db::Params params, const BookingListQuery& query);
  static Status CheckRequestText(const BookingRequest& request);
  // A whole booking inside the caller's write transaction (series use it).
  Result<Booking> BookInTransaction(db::Connection& c, const Principal& p,
                                    const BookingRequest& request, int64_t now);
  struct CheckedBooking;
  // The version of everything CheckBooking reads ('facility_rules' change counter).
  static Result<int64_t> RulesVersion(db::Connection& c);
  // The caller's earlier booking under the same idempotency key, if any (409 if it differs).
  Result<std::optional<Booking>> Replay(db::Connection& c, const Principal& p,
                                        const BookingRequest& request);
  // The replayed booking if there is one, else `refusal`; ReplayInto stores it in `booking`.
  Result<Booking> ReplayOr(db::Connection& c, const Principal& p, const BookingRequest& request,
                           const Status& refusal);
  Status ReplayInto(db::Connection& c, const Principal& p, const BookingRequest& request,
                    const Status& refusal, std::optional<Booking>& booking);
  // Every check that reads rules and people but no other booking: time rules, blackouts,
  // organisation, price, eligibility, no-shows.
  Result<CheckedBooking> CheckBooking(db::Connection& c, const Principal& p,
                                      const BookingRequest& request, int64_t now);
  // The exact part, inside the write transaction: quota, overlap, insert. The caller holds the
  // resource's lock (Connection::Lock("resource", id)) since before it read the rules.
  Result<Booking> InsertBooking(db::Connection& c, const Principal& p,
                                const BookingRequest& request, const CheckedBooking& checked,
                                int64_t now);
  Status Record(db::Connection& c, int64_t booking_row, const std::string& from,
                const std::string& to, const Principal& p, const std::string& note);
  Status CheckQuota(db::Connection& c, const ResourceRow& r, const BookingRequest& request,
                    int64_t org_row, int64_t user_id);
  // Tells the facility managers of the resource's owner that `booking` waits for their approval.
  Status NotifyManagersOfPending(db::Connection& c, int64_t owner_row, const Booking& booking);
  Status NotifyWaitlist(db::Connection& c, int64_t resource_row, int64_t block_start,
                        int64_t block_end);

  db::Database& database_;
  const Clock& clock_;
  const text::TextFolder& folder_;
  const EligibilityPolicy& policy_;
  const CrossBorderGate* const gate_;
  const notifications::Notifier& notifier_;
  SharedMutex snapshots_mutex_;
  std::unordered_map<std::string, std::shared_ptr<const ResourceSnapshot>> snapshots_
      GUARDED_BY(snapshots_mutex_);
  // Bookings from concurrent requests share commits (see db/group_commit.h).
  db::GroupCommitter committer_;
};

// This module's tables: its migrations/<dialect>/*.sql, embedded at build time (db/migrator.h).
std::vector<db::Migration> SchemaMigrations(std::string_view dialect);

}  // namespace parkhub::facilities
