// EligibilityPolicy: the one place that decides whether a booker may use a resource at all —
// by region (e.g. open to Hong Kong and Macao users), by user category, and by training. Pure
// and thread-safe.
//
// CrossBorderGate: the cross-border side of eligibility. A compute pool used from the other side
// of the Shenzhen–Hong Kong border is data crossing it, which the cross-border policy decides
// (governance's engine, with its whitelists; the app injects it so facilities does not depend on
// governance).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/status.h"
#include "db/database.h"
#include "facilities/model.h"

namespace parkhub::facilities {

struct BookerProfile {
  std::string organisation;  // public id of the organisation booked for
  std::string region;    // of the organisation booked for: mainland, hong_kong, macao, foreign
  std::string category;  // internal, member_academic, external_academic, industry, hk_macao
  bool trained = false;  // holds an unexpired qualification for this resource
  int recent_no_shows = 0;  // of the booker in the last 90 days, since a manager last lifted a block
};

class EligibilityPolicy {
 public:
  virtual ~EligibilityPolicy() = default;
  // OK, or PermissionDenied with the reason the user will read.
  virtual Status Check(const Resource& resource, const BookerProfile& booker) const;
};

// A use of a resource across the border, as the cross-border policy reads it.
struct CrossBorderUse {
  std::string kind;          // the flow kind: data (a compute pool)
  std::string direction;     // to_mainland or to_hong_kong: towards the resource's side
  std::string organisation;  // public id of the organisation booked for
  int64_t at = 0;            // when it starts, Unix seconds
};

class CrossBorderGate {
 public:
  virtual ~CrossBorderGate() = default;
  // On the booking's connection: OK, or PermissionDenied (flow_not_permitted) with the policy's
  // reasons.
  virtual Status Check(db::Connection& c, const CrossBorderUse& use) const = 0;
};

// The flow a booking of `resource` (owned on `owner_region`'s side) by `booker` is, if it
// crosses between the mainland and Hong Kong; nullopt otherwise.
std::optional<CrossBorderUse> CrossBorderUseOf(const Resource& resource,
                                               const std::string& owner_region,
                                               const BookerProfile& booker, int64_t starts_at);

}  // namespace parkhub::facilities
