// Facilities records as plain values: bookable resources with their rules and prices, and
// bookings with their state machine. Times cross this boundary as UTC seconds; the API shows
// them in UTC and in the resource's zone.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/workflow.h"
#include "registry/names.h"

namespace parkhub::facilities {

const std::vector<std::string>& ResourceKinds();    // instrument, facility, pilot_line, compute_pool
const std::vector<std::string>& ApprovalModes();    // automatic, automatic_if_trained, manual
const std::vector<std::string>& UserCategories();   // internal, member_academic, external_academic, industry, hk_macao

// A booking's states; stored, sent and shown by name (BookingStateName).
enum class BookingState { kHeld, kPending, kApproved, kRejected, kCancelled, kCheckedIn, kCompleted, kNoShow };
// What a booker or a manager does to a booking (BookingWorkflow in booking_actions.cc).
enum class BookingAction { kConfirm, kApprove, kReject, kCancel, kCheckIn, kCheckOut, kNoShow };

const std::string& BookingStateName(BookingState state);   // held, pending, approved, ...
std::optional<BookingState> ParseBookingState(std::string_view name);
const std::string& BookingActionName(BookingAction action);  // confirm, approve, ...
std::optional<BookingAction> ParseBookingAction(std::string_view name);

// A page of a list of bookings.
struct BookingListQuery {
  std::string state;                // a state's name; empty for every state
  std::string sort = "-starts_at";  // starts_at or -starts_at
  std::optional<int64_t> from;      // only bookings that end after this instant (UTC seconds)
  std::optional<int64_t> to;        // only bookings that start before this instant
  int limit = 50;                   // 1..200
  int offset = 0;
};

struct ResourceRules {
  int capacity = 1;
  std::string approval_mode = "automatic";
  bool training_required = false;
  int min_minutes = 30;
  int max_minutes = 8 * 60;
  int granularity_minutes = 30;
  int setup_minutes = 0;
  int cleanup_minutes = 0;
  int horizon_days = 90;
  int lead_minutes = 0;
  std::vector<std::string> allowed_regions;     // empty: any region
  std::vector<std::string> allowed_categories;  // empty: any category
  std::string quota_period = "month";           // week or month, in the resource's zone
  int user_quota_minutes = 0;                   // per user per period; 0: none
  int org_quota_minutes = 0;                    // per organisation per period; 0: none
};

struct Resource {
  std::string id;
  std::string owner_id;
  registry::Names owner_names;
  std::string kind;
  std::string name_zh;       // Simplified Chinese
  std::string name_zh_hant;  // Traditional (Hong Kong); derived from name_zh when not given
  std::string name_en;
  std::string description;
  std::string location;
  std::string time_zone;
  std::string currency = "CNY";
  ResourceRules rules;
  std::map<std::string, int64_t> hourly_prices;  // category -> minor units per hour
  // Structured specifications (model, maker, ranges, ...): name -> value, shown beside the
  // free-text description and searched with it.
  std::map<std::string, std::string> specifications;
  std::string created_at;
};

struct Blackout {
  int64_t starts_at = 0;
  int64_t ends_at = 0;
  std::string reason;
};

struct BookingRequest {
  std::string resource_id;
  std::string organization_id;  // on whose behalf (decides the price category)
  int64_t starts_at = 0;
  int64_t ends_at = 0;
  int units = 1;
  std::string purpose;
  std::string idempotency_key;
  bool hold = false;  // a short hold (held state) instead of a request
};

struct Quote {
  std::string category;
  int64_t hourly_minor = 0;
  int64_t total_minor = 0;
  std::string currency;
  int minutes = 0;
  int units = 1;
};

using BookingEvent = HistoryEntry;

// A user's training on a resource, valid until expires_at (UTC seconds).
struct Qualification {
  std::string user;  // username
  std::string resource_id;
  registry::Names resource_names;
  int64_t expires_at = 0;
  bool mine = false;  // the reader's own (else one on a resource the reader manages)
};

struct Booking {
  std::string id;
  std::string resource_id;
  registry::Names resource_names;
  std::string time_zone;
  std::string user;
  std::string organization_id;
  BookingState state = BookingState::kPending;
  int64_t starts_at = 0;
  int64_t ends_at = 0;
  int units = 1;
  Quote price;
  std::string purpose;
  std::optional<int64_t> hold_expires_at;
  std::vector<BookingEvent> history;
  std::string created_at;
};

}  // namespace parkhub::facilities
