// EligibilityPolicy: the one place that decides whether a booker may use a resource at all —
// by region (e.g. open to Hong Kong and Macao users), by user category, and by training.
// The governance issue adds whitelists behind this same function. Pure and thread-safe.
#pragma once

#include <string>

#include "core/status.h"
#include "facilities/model.h"

namespace parkhub::facilities {

struct BookerProfile {
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

}  // namespace parkhub::facilities
