#include "facilities/model.h"

#include <array>

namespace parkhub::facilities {

const std::vector<std::string>& ResourceKinds() {
  static const std::vector<std::string> k = {"instrument", "facility", "pilot_line", "compute_pool"};
  return k;
}

const std::vector<std::string>& ApprovalModes() {
  static const std::vector<std::string> k = {"automatic", "automatic_if_trained", "manual"};
  return k;
}

namespace {

template <typename Enum, size_t N>
std::optional<Enum> FindByName(const std::array<std::pair<Enum, std::string>, N>& names,
                               std::string_view name) {
  for (const auto& [value, text] : names) {
    if (text == name) return value;
  }
  return std::nullopt;
}

template <typename Enum, size_t N>
const std::string& NameOf(const std::array<std::pair<Enum, std::string>, N>& names, Enum value) {
  for (const auto& [candidate, text] : names) {
    if (candidate == value) return text;
  }
  return names.front().second;  // unreachable: every enumerator is listed
}

const std::array<std::pair<BookingState, std::string>, 8>& StateNames() {
  static const std::array<std::pair<BookingState, std::string>, 8> k = {{
      {BookingState::kHeld, "held"},
      {BookingState::kPending, "pending"},
      {BookingState::kApproved, "approved"},
      {BookingState::kRejected, "rejected"},
      {BookingState::kCancelled, "cancelled"},
      {BookingState::kCheckedIn, "checked_in"},
      {BookingState::kCompleted, "completed"},
      {BookingState::kNoShow, "no_show"},
  }};
  return k;
}

const std::array<std::pair<BookingAction, std::string>, 7>& ActionNames() {
  static const std::array<std::pair<BookingAction, std::string>, 7> k = {{
      {BookingAction::kConfirm, "confirm"},
      {BookingAction::kApprove, "approve"},
      {BookingAction::kReject, "reject"},
      {BookingAction::kCancel, "cancel"},
      {BookingAction::kCheckIn, "check_in"},
      {BookingAction::kCheckOut, "check_out"},
      {BookingAction::kNoShow, "no_show"},
  }};
  return k;
}

}  // namespace

const std::string& BookingStateName(BookingState state) { return NameOf(StateNames(), state); }

std::optional<BookingState> ParseBookingState(std::string_view name) {
  return FindByName(StateNames(), name);
}

const std::string& BookingActionName(BookingAction action) { return NameOf(ActionNames(), action); }

std::optional<BookingAction> ParseBookingAction(std::string_view name) {
  return FindByName(ActionNames(), name);
}

const std::vector<std::string>& UserCategories() {
  static const std::vector<std::string> k = {"internal", "member_academic", "external_academic",
                                             "industry", "hk_macao"};
  return k;
}

}  // namespace parkhub::facilities
