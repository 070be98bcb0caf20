#include "db/domain_events.h"
#include "facilities/facility_internal.h"

namespace parkhub::facilities {

namespace {

// A booker is whoever may see the booking: the person who booked it or the resource's managers.
// Confirming a hold leads to pending; Act moves it straight on to approved when the resource
// approves automatically (or automatically for the trained, and the booker is trained).
const Workflow& BookingWorkflow() {
  static const Workflow kWorkflow("booking", {
      {"held", "confirm", "pending", "booker"},
      {"held", "cancel", "cancelled", "booker"},
      {"pending", "approve", "approved", "manager"},
      {"pending", "reject", "rejected", "manager"},
      {"pending", "cancel", "cancelled", "booker"},
      {"approved", "cancel", "cancelled", "booker"},
      {"approved", "check_in", "checked_in", "booker"},
      {"approved", "no_show", "no_show", "manager"},
      {"checked_in", "check_out", "completed", "booker"},
  });
  return kWorkflow;
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
                                     const std::string& action, const std::string& note) {
  if (!p.authenticated()) return Status::Unauthenticated();
  const Workflow& workflow = BookingWorkflow();
  if (!workflow.KnowsAction(action)) return Status::Invalid("action", "unknown action");
  RETURN_IF_ERROR(CheckTextField("note", note, 2000));
  return db::InTransaction<Booking>(database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Booking> {
    RETURN_IF_ERROR(c.Lock("booking", booking_id));
    ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT b.id, b.state, b.user_id, r.owner_id, "
                                          "r.approval_mode, b.hold_expires_at, r.public_id, "
                                          "b.starts_at, b.resource_id, b.block_start, b.block_end "
                                          "FROM bookings b JOIN resources r ON r.id = "
                                          "b.resource_id WHERE b.public_id = ?",
                                          {booking_id}, "booking"));
    ASSIGN_OR_RETURN(bool manager, ManagesFacilitiesOf(c, p, row.Int(3)));
    bool owner = row.Int(2) == p.user_id;
    if (!manager && !owner) return Status::NotFound("booking");
    std::string from = row.Text(1);
    int64_t now = ToUnixSeconds(clock_.Now());
    ASSIGN_OR_RETURN(WorkflowStep step,
                     workflow.Step(from, action, [&](std::string_view party) {
                       return manager || party == "booker";
                     }));
    if ((action == "no_show" || action == "check_out") && now < row.Int(7)) {
      return Status::Conflict("too_early", "the booking has not started yet");
    }
    if (action == "confirm" && !row.IsNull(5) && row.Int(5) <= now) {
      return Status::Conflict("hold_expired", "the hold expired; book again");
    }
    std::string to = step.to;
    if (action == "confirm") {
      if (row.Text(4) == "automatic") to = "approved";
      if (row.Text(4) == "automatic_if_trained") {
        ASSIGN_OR_RETURN(int64_t trained, c.QueryInt("SELECT COUNT(*) FROM qualifications q JOIN "
                                                     "resources r ON r.id = q.resource_id WHERE "
                                                     "q.user_id = ? AND r.public_id = ? AND "
                                                     "q.expires_at > ?",
                                                     {row.Int(2), row.Text(6), now}));
        if (trained > 0) to = "approved";
      }
    }
    std::string extra;
    if (action == "check_in") extra = ", checked_in_at = " + std::to_string(now);
    if (action == "check_out") extra = ", checked_out_at = " + std::to_string(now);
    if (action == "no_show") extra = ", no_show_at = " + std::to_string(now);
    ASSIGN_OR_RETURN(auto changed, c.Execute("UPDATE bookings SET state = ?, hold_expires_at = NULL, "
                                             "updated_at = ?" + extra + " WHERE id = ? AND state = ?",
                                             {to, FormatUtc(clock_.Now()), row.Int(0), from}));
    if (changed != 1) return Status::Conflict("concurrent_change", "changed meanwhile; reload");
    RETURN_IF_ERROR(Record(c, row.Int(0), from, to, p, note));
    ASSIGN_OR_RETURN(Booking booking, LoadBooking(c, row.Int(0)));
    if ((to == "approved" || to == "rejected") && row.Int(2) != p.user_id) {
      RETURN_IF_ERROR(notifier_.Notify(
          c, row.Int(2), "booking_" + to,
          {{"booking_id", booking.id},
           {"resource_name", booking.resource_name},
           {"starts_at", FormatUtc(FromUnixSeconds(booking.starts_at))},
           {"time_zone", booking.time_zone},
           {"note", note}}));
    }
    if (to == "cancelled" || to == "rejected") {
      RETURN_IF_ERROR(NotifyWaitlist(c, row.Int(8), row.Int(9), row.Int(10)));
    }
    return booking;
  });
}

}  // namespace parkhub::facilities
