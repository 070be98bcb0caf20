#include "db/domain_events.h"
#include "facilities/facility_internal.h"

#include <future>
#include <optional>

#include "core/random.h"

namespace parkhub::facilities {

Result<Booking> FacilityService::CreateBooking(const Principal& p, const BookingRequest& request) {
  std::promise<Result<Booking>> finished;
  auto result = finished.get_future();
  CreateBookingAsync(p, request,
                     [&finished](Result<Booking> booking) { finished.set_value(std::move(booking)); });
  return result.get();
}

// Two phases. On the caller's thread: every check that reads rules and people but no other
// booking. In the group commit: the rules version (if anything moved since the checks, they run
// again inside the transaction), then quota, overlap and insert, so the write lock is held only
// for the part that must be exact. The checks need no snapshot of their own: they read the rules
// version first, so whatever they read after is at least that new, and anything that changed
// since moved the version (two round trips fewer per booking on a server database). A retried
// request finds its booking by idempotency key whenever a check refuses it (its own booking takes
// its slot).
void FacilityService::CreateBookingAsync(const Principal& p, const BookingRequest& request,
                                         std::function<void(Result<Booking>)> done) {
  if (!p.authenticated()) return done(Status::Unauthenticated());
  if (Status s = CheckRequestText(request); !s.ok()) return done(s);
  auto checked = std::make_shared<CheckedBooking>();
  {
    auto c = database_.Acquire();
    if (!c.ok()) return done(c.status());
    auto result = CheckBooking(**c, p, request, ToUnixSeconds(clock_.Now()));
    if (!result.ok()) return done(ReplayOr(**c, p, request, result.status()));
    *checked = std::move(result).value();
  }
  auto booking = std::make_shared<std::optional<Booking>>();
  committer_.Submit(
      [this, p, request, checked, booking](db::Connection& c) -> Status {
        int64_t now = ToUnixSeconds(clock_.Now());
        // Before the rules version is read: a rule edit of this resource (which takes the same
        // lock) either committed already, and moved the version, or waits for this booking.
        RETURN_IF_ERROR(c.Lock("resource", request.resource_id));
        ASSIGN_OR_RETURN(int64_t version, RulesVersion(c));
        if (version != checked->rules_version) {
          auto rechecked = CheckBooking(c, p, request, now);
          if (!rechecked.ok()) return ReplayInto(c, p, request, rechecked.status(), *booking);
          *checked = std::move(rechecked).value();
        }
        auto inserted = InsertBooking(c, p, request, *checked, now);
        if (!inserted.ok()) return ReplayInto(c, p, request, inserted.status(), *booking);
        *booking = std::move(inserted).value();
        return Status::Ok();
      },
      [booking, done = std::move(done)](const Status& status) {
        if (!status.ok()) return done(status);
        done(std::move(**booking));
      });
}

Result<Booking> FacilityService::ReplayOr(db::Connection& c, const Principal& p,
                                          const BookingRequest& request, const Status& refusal) {
  ASSIGN_OR_RETURN(auto replay, Replay(c, p, request));
  if (replay) return std::move(*replay);
  return refusal;
}

Status FacilityService::ReplayInto(db::Connection& c, const Principal& p,
                                   const BookingRequest& request, const Status& refusal,
                                   std::optional<Booking>& booking) {
  ASSIGN_OR_RETURN(booking, ReplayOr(c, p, request, refusal));
  return Status::Ok();
}

Result<std::optional<Booking>> FacilityService::Replay(db::Connection& c, const Principal& p,
                                                       const BookingRequest& request) {
  ASSIGN_OR_RETURN(auto replay, c.Query("SELECT b.id, r.public_id, b.starts_at, b.ends_at, "
                                        "b.units FROM bookings b JOIN resources r ON r.id = "
                                        "b.resource_id WHERE b.user_id = ? AND "
                                        "b.idempotency_key = ?",
                                        {p.user_id, request.idempotency_key}));
  if (replay.empty()) return std::optional<Booking>();
  db::RowReader prior(replay[0]);
  int64_t booking_row = prior.Int();
  std::string resource_id = prior.Text();
  int64_t starts_at = prior.Int();
  int64_t ends_at = prior.Int();
  int64_t units = prior.Int();
  RETURN_IF_ERROR(prior.Done());
  if (resource_id != request.resource_id || starts_at != request.starts_at ||
      ends_at != request.ends_at || units != request.units) {
    return Status::Conflict("idempotency_key_reused",
                            "this idempotency key was used for a different booking");
  }
  ASSIGN_OR_RETURN(Booking booking, LoadBooking(c, booking_row));
  return std::optional<Booking>(std::move(booking));
}

Result<Booking> FacilityService::BookInTransaction(db::Connection& c, const Principal& p,
                                                   const BookingRequest& request, int64_t now) {
  RETURN_IF_ERROR(c.Lock("resource", request.resource_id));
  auto checked = CheckBooking(c, p, request, now);
  if (!checked.ok()) return ReplayOr(c, p, request, checked.status());
  auto inserted = InsertBooking(c, p, request, *checked, now);
  if (!inserted.ok()) return ReplayOr(c, p, request, inserted.status());
  return inserted;
}

Result<Booking> FacilityService::InsertBooking(db::Connection& c, const Principal& p,
                                               const BookingRequest& request,
                                               const CheckedBooking& checked, int64_t now) {
  const ResourceRow& r = checked.resource->row;
  const Quote& quote = checked.quote;
  RETURN_IF_ERROR(CheckQuota(c, r, request, checked.org_row, p.user_id));
  int64_t block_start = request.starts_at - int64_t{r.resource.rules.setup_minutes} * 60;
  int64_t block_end = request.ends_at + int64_t{r.resource.rules.cleanup_minutes} * 60;
  RETURN_IF_ERROR(CheckSlotFree(c, r, block_start, block_end, request.units, now));
  BookingState initial = BookingState::kPending;
  if (request.hold) {
    initial = BookingState::kHeld;
  } else if (r.resource.rules.approval_mode == "automatic" ||
             (r.resource.rules.approval_mode == "automatic_if_trained" && checked.profile.trained)) {
    initial = BookingState::kApproved;
  }
  const std::string& state = BookingStateName(initial);
  TimePoint created_at = clock_.Now();
  std::string created = FormatUtc(created_at);
  std::string public_id = NewTimeOrderedPublicId("bkg", created_at);
  // The creation opens the history through initial_state, not a booking_events row.
  ASSIGN_OR_RETURN(
      int64_t booking_row,
      c.QueryInt("INSERT INTO bookings (public_id, resource_id, user_id, organization_id, state, "
                 "starts_at, ends_at, block_start, block_end, units, category, price_minor, "
                 "currency, purpose, idempotency_key, hold_expires_at, created_at, updated_at, "
                 "initial_state, single_unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                 "?, ?, ?, ?, ?, ?) RETURNING id",
                 {public_id,
                  r.id,
                  p.user_id,
                  checked.org_row,
                  state,
                  request.starts_at,
                  request.ends_at,
                  block_start,
                  block_end,
                  int64_t{request.units},
                  quote.category,
                  quote.total_minor,
                  quote.currency,
                  request.purpose,
                  request.idempotency_key,
                  request.hold ? db::Value(now + kHoldSeconds) : db::Value(nullptr),
                  created,
                  created,
                  state,
                  int64_t{r.resource.rules.capacity == 1 ? 1 : 0}}));
  RETURN_IF_ERROR(db::DomainEvents::Append(
      c, db::TransitionEvent("booking", booking_row, public_id, "", state, p.user_id, created)));
  // The new booking is answered from what was just written, without reading it back.
  Booking b;
  b.id = public_id;
  b.resource_id = r.resource.id;
  b.resource_names =
      registry::Names{r.resource.name_zh, r.resource.name_zh_hant, r.resource.name_en};
  b.time_zone = r.resource.time_zone;
  b.user = p.username;
  b.organization_id = request.organization_id;
  b.state = initial;
  b.starts_at = request.starts_at;
  b.ends_at = request.ends_at;
  b.units = request.units;
  b.price = quote;
  b.purpose = request.purpose;
  if (request.hold) b.hold_expires_at = now + kHoldSeconds;
  b.history.push_back({"", state, p.user_id > 0 ? p.username : "", created, request.purpose});
  b.created_at = created;
  if (initial == BookingState::kPending) RETURN_IF_ERROR(NotifyManagersOfPending(c, r.owner_id, b));
  return b;
}

Result<Booking> FacilityService::LoadBooking(db::Connection& c, int64_t booking_row) {
  ASSIGN_OR_RETURN(
      auto row, c.QueryOne("SELECT b.public_id, r.public_id, r.name_zh, r.name_zh_hant, r.name_en, "
                           "r.time_zone, "
                           "b.user_id, b.organization_id, b.state, b.starts_at, "
                           "b.ends_at, b.units, b.category, b.price_minor, "
                           "b.currency, b.purpose, b.hold_expires_at, b.created_at, "
                           "b.initial_state "
                           "FROM bookings b JOIN resources r ON r.id = b.resource_id "
                           "WHERE b.id = ?",
                           {booking_row}, "booking"));
  db::RowReader read(row);
  Booking b;
  b.id = read.Text();
  b.resource_id = read.Text();
  b.resource_names = ReadResourceNames(read);
  b.time_zone = read.Text();
  int64_t user_row = read.Int();
  int64_t org_row = read.Int();
  std::string state = read.Text();
  b.starts_at = read.Int();
  b.ends_at = read.Int();
  b.units = read.IntAsInt();
  b.price.category = read.Text();
  b.price.total_minor = read.Int();
  b.price.currency = read.Text();
  b.price.minutes = static_cast<int>((b.ends_at - b.starts_at) / 60);
  b.price.units = b.units;
  b.purpose = read.Text();
  b.hold_expires_at = read.OptionalInt();
  b.created_at = read.Text();
  std::optional<std::string> initial = read.OptionalText();
  RETURN_IF_ERROR(read.Done());
  auto parsed_state = ParseBookingState(state);
  if (!parsed_state) return Status::Internal("booking in an unknown state: " + state);
  b.state = *parsed_state;
  ASSIGN_OR_RETURN(auto orgs, registry::Directory::OrganizationsByRow(c, {org_row}));
  if (auto org = orgs.find(org_row); org != orgs.end()) b.organization_id = org->second.public_id;
  ASSIGN_OR_RETURN(auto events, c.Query("SELECT COALESCE(from_state, ''), to_state, "
                                        "COALESCE(actor_user_id, 0), at, note FROM booking_events "
                                        "WHERE booking_id = ? ORDER BY id",
                                        {booking_row}));
  ASSIGN_OR_RETURN(auto usernames, identity::IdentityService::UsernamesOf(c, {user_row}));
  b.user = usernames[user_row];
  // Bookings made before initial_state existed have their creation as an event row instead.
  if (initial) b.history.push_back({"", *initial, b.user, b.created_at, b.purpose});
  ASSIGN_OR_RETURN(auto steps, identity::IdentityService::NameHistory(c, events));
  b.history.insert(b.history.end(), steps.begin(), steps.end());
  return b;
}

Result<Booking> FacilityService::GetBooking(const Principal& p, const std::string& booking_id) {
  if (!p.authenticated()) return Status::Unauthenticated();
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto row, c->QueryOne("SELECT b.id, b.user_id, r.owner_id FROM bookings b JOIN "
                                         "resources r ON r.id = b.resource_id WHERE b.public_id = ?",
                                         {booking_id}, "booking"));
  ASSIGN_OR_RETURN(bool manager, ManagesFacilitiesOf(*c, p, row.Int(2)));
  if (!manager && row.Int(1) != p.user_id) return Status::NotFound("booking");
  return LoadBooking(*c, row.Int(0));
}

namespace {

Status CheckBookingListQuery(const BookingListQuery& query) {
  FieldErrors errors;
  db::CheckPaging(query.limit, query.offset, 200, errors);
  if (!query.state.empty() && !ParseBookingState(query.state)) {
    errors.Add("state", "not a booking state", "not_one_of");
  }
  if (query.from && query.to && *query.to <= *query.from) {
    errors.Add("to", "must be after from", "not_after", {{"other", "from"}});
  }
  if (query.sort != "starts_at" && query.sort != "-starts_at") {
    errors.Add("sort", "must be one of: starts_at, -starts_at", "not_one_of",
               {{"allowed", std::vector<std::string>{"starts_at", "-starts_at"}}});
  }
  return errors.ToStatus();
}

}  // namespace

Result<db::Page<Booking>> FacilityService::ListBookingsWhere(db::Connection& c, std::string where,
                                                             db::Params params,
                                                             const BookingListQuery& query) {
  if (!query.state.empty()) {
    where += " AND b.state = ?";
    params.push_back(query.state);
  }
  if (query.from) {
    where += " AND b.ends_at > ?";
    params.push_back(*query.from);
  }
  if (query.to) {
    where += " AND b.starts_at < ?";
    params.push_back(*query.to);
  }
  std::string order = query.sort == "starts_at" ? "ASC" : "DESC";
  return db::CountThenPage<Booking>(
      c, "FROM bookings b JOIN resources r ON r.id = b.resource_id WHERE " + where, params,
      query.limit, query.offset, [&](const db::Params& paged) -> Result<std::vector<Booking>> {
        ASSIGN_OR_RETURN(auto rows, c.Query("SELECT b.id FROM bookings b JOIN resources r ON "
                                            "r.id = b.resource_id WHERE " +
                                                where + " ORDER BY b.starts_at " + order +
                                                ", b.id " + order + " LIMIT ? OFFSET ?",
                                            paged));
        std::vector<Booking> out;
        for (const auto& row : rows) {
          ASSIGN_OR_RETURN(auto b, LoadBooking(c, row.Int(0)));
          out.push_back(std::move(b));
        }
        return out;
      });
}

Result<db::Page<Booking>> FacilityService::ListMyBookings(const Principal& p,
                                                          const BookingListQuery& query) {
  if (!p.authenticated()) return Status::Unauthenticated();
  RETURN_IF_ERROR(CheckBookingListQuery(query));
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  return ListBookingsWhere(*c, "b.user_id = ?", {p.user_id}, query);
}

Result<db::Page<Booking>> FacilityService::ListPendingApprovals(const Principal& p,
                                                                const BookingListQuery& query) {
  if (!p.authenticated()) return Status::Unauthenticated();
  RETURN_IF_ERROR(CheckBookingListQuery(query));
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  // The owners with pending bookings are few; those the reader manages bound the page's query.
  ASSIGN_OR_RETURN(auto owners, c->Query("SELECT DISTINCT r.owner_id FROM bookings b JOIN "
                                         "resources r ON r.id = b.resource_id WHERE b.state = "
                                         "'pending'"));
  ASSIGN_OR_RETURN(auto orgs, registry::OrgGraph::Load(*c, p));
  std::vector<int64_t> managed;
  for (const auto& row : owners) {
    if (ManagesFacilitiesOf(orgs, row.Int(0))) managed.push_back(row.Int(0));
  }
  db::Params params;
  std::string where = "b.state = 'pending' AND r.owner_id IN (" + db::InList(managed, params) + ")";
  BookingListQuery pending = query;
  pending.state.clear();
  return ListBookingsWhere(*c, where, params, pending);
}

Result<std::vector<std::pair<int64_t, int64_t>>> FacilityService::BusyBlocks(
    const std::string& resource_id, int64_t from, int64_t to) {
  if (to <= from || to - from > 92 * 86400) {
    return Status::Invalid("to", "a window of at most 92 days after from", "out_of_range",
                           {{"max_days", 92}});
  }
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto r, LoadResourceRow(*c, resource_id));
  ASSIGN_OR_RETURN(auto rows, c->Query(std::string("SELECT block_start, block_end FROM bookings "
                                                   "WHERE resource_id = ? AND block_start < ? AND "
                                                   "block_end > ? AND (") +
                                           kActiveBlock + ") ORDER BY block_start",
                                       {r.id, to, from, ToUnixSeconds(clock_.Now())}));
  std::vector<std::pair<int64_t, int64_t>> out;
  for (const auto& row : rows) out.emplace_back(row.Int(0), row.Int(1));
  return out;
}

}  // namespace parkhub::facilities
