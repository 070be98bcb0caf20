#include "db/domain_events.h"
#include "facilities/facility_internal.h"

namespace parkhub::facilities {

namespace {

// A booker is whoever may see the booking: the person who booked it or the resource's managers.
// Confirming a hold leads to pending; Act moves it straight on to approved when the resource
// approves automatically (or automatically for the trained, and the booker is trained).
const Workflow& BookingWorkflow() {
  using A = BookingAction;
  using S = BookingState;
  auto step = [](S from, A action, S to, const char* party) {
    return WorkflowStep{BookingStateName(from), BookingActionName(action), BookingStateName(to), party};
  };
  static const Workflow kWorkflow("booking", {
      step(S::kHeld, A::kConfirm, S::kPending, "booker"),
      step(S::kHeld, A::kCancel, S::kCancelled, "booker"),
      step(S::kPending, A::kApprove, S::kApproved, "manager"),
      step(S::kPending, A::kReject, S::kRejected, "manager"),
      step(S::kPending, A::kCancel, S::kCancelled, "booker"),
      step(S::kApproved, A::kCancel, S::kCancelled, "booker"),
      step(S::kApproved, A::kCheckIn, S::kCheckedIn, "booker"),
      step(S::kApproved, A::kNoShow, S::kNoShow, "manager"),
      step(S::kCheckedIn, A::kCheckOut, S::kCompleted, "booker"),
  });
  return kWorkflow;
}

// The column an action stamps with its time, if any.
const char* StampedColumn(BookingAction action) {
  switch (action) {
    case BookingAction::kCheckIn: return "checked_in_at";
    case BookingAction::kCheckOut: return "checked_out_at";
    case BookingAction::kNoShow: return "no_show_at";
    default: return nullptr;
  }
}

}  // namespace

Status FacilityService::Record(db::Connection& c, int64_t booking_row, const std::string& from,
                               const std::string& to, const Principal& p, const std::string& note) {
  std::string now = FormatUtc(clock_.Now());
  RETURN_IF_ERROR(c.Execute("INSERT INTO booking_events (booking_id, from_state, to_state, "
                            "actor_user_id, at, note) VALUES (?, ?, ?, ?, ?, ?)",
                            {booking_row, from.empty() ? db::Value(nullptr) : db::Value(from), to,
                             Actor(p), now, note})
                      .status());
  return db::DomainEvents::Append(c, db::TransitionEvent("booking", booking_row, "", from, to,
                                                         p.user_id, now));
}

Result<Booking> FacilityService::Act(const Principal& p, const std::string& booking_id,
                                     BookingAction action, const std::string& note) {
  if (!p.authenticated()) return Status::Unauthenticated();
  RETURN_IF_ERROR(CheckTextField("note", note, 2000));
  return db::InTransaction<Booking>(database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Booking> {
    RETURN_IF_ERROR(c.Lock("booking", booking_id));
    ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT b.id, b.state, b.user_id, r.owner_id, "
                                          "r.approval_mode, b.hold_expires_at, r.id, "
                                          "b.starts_at, b.block_start, b.block_end "
                                          "FROM bookings b JOIN resources r ON r.id = "
                                          "b.resource_id WHERE b.public_id = ?",
                                          {booking_id}, "booking"));
    db::RowReader read(row);
    int64_t booking_row = read.Int();
    std::string from = read.Text();
    int64_t booker = read.Int();
    int64_t resource_owner = read.Int();
    std::string approval_mode = read.Text();
    std::optional<int64_t> hold_expires_at = read.OptionalInt();
    int64_t resource_row = read.Int();
    int64_t starts_at = read.Int();
    int64_t block_start = read.Int();
    int64_t block_end = read.Int();
    RETURN_IF_ERROR(read.Done());
    ASSIGN_OR_RETURN(bool manager, ManagesFacilitiesOf(c, p, resource_owner));
    if (!manager && booker != p.user_id) return Status::NotFound("booking");
    int64_t now = ToUnixSeconds(clock_.Now());
    ASSIGN_OR_RETURN(WorkflowStep step,
                     BookingWorkflow().Step(from, BookingActionName(action), [&](std::string_view party) {
                       return manager || party == "booker";
                     }));
    if ((action == BookingAction::kNoShow || action == BookingAction::kCheckOut) && now < starts_at) {
      return Status::Conflict("too_early", "the booking has not started yet");
    }
    if (action == BookingAction::kConfirm && hold_expires_at && *hold_expires_at <= now) {
      return Status::Conflict("hold_expired", "the hold expired; book again");
    }
    BookingState to = *ParseBookingState(step.to);
    if (action == BookingAction::kConfirm) {
      if (approval_mode == "automatic") to = BookingState::kApproved;
      if (approval_mode == "automatic_if_trained") {
        ASSIGN_OR_RETURN(int64_t trained, c.QueryInt("SELECT COUNT(*) FROM qualifications WHERE "
                                                     "user_id = ? AND resource_id = ? AND "
                                                     "expires_at > ?",
                                                     {booker, resource_row, now}));
        if (trained > 0) to = BookingState::kApproved;
      }
    }
    const std::string& to_name = BookingStateName(to);
    const char* stamped = StampedColumn(action);
    std::string extra = stamped ? std::string(", ") + stamped + " = " + std::to_string(now) : "";
    ASSIGN_OR_RETURN(auto changed, c.Execute("UPDATE bookings SET state = ?, hold_expires_at = NULL, "
                                             "updated_at = ?" + extra + " WHERE id = ? AND state = ?",
                                             {to_name, FormatUtc(clock_.Now()), booking_row, from}));
    if (changed != 1) return Status::Conflict("concurrent_change", "changed meanwhile; reload");
    RETURN_IF_ERROR(Record(c, booking_row, from, to_name, p, note));
    ASSIGN_OR_RETURN(Booking booking, LoadBooking(c, booking_row));
    bool decided = to == BookingState::kApproved || to == BookingState::kRejected;
    if (decided && booker != p.user_id) {
      notifications::NotificationParams params{
          {"booking_id", booking.id},
          {"starts_at", FormatUtc(FromUnixSeconds(booking.starts_at))},
          {"time_zone", booking.time_zone},
          {"note", note}};
      registry::PutNames(params, "resource_name", booking.resource_names);
      RETURN_IF_ERROR(notifier_.Notify(c, booker, "booking_" + to_name, params));
    }
    if (to == BookingState::kCancelled || to == BookingState::kRejected) {
      RETURN_IF_ERROR(NotifyWaitlist(c, resource_row, block_start, block_end));
    }
    if (to == BookingState::kPending)
      RETURN_IF_ERROR(NotifyManagersOfPending(c, resource_owner, booking));
    return booking;
  });
}

}  // namespace parkhub::facilities
