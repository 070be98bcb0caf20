// RoleScopes: what identity needs to know about the organisation a role is scoped to, answered
// by the module that owns organisations (the registry) and injected by the composition root.
// Identity never reads another module's tables; this is its one question about them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/status.h"
#include "db/database.h"

namespace parkhub::identity {

struct RoleScope {
  int64_t row_id = 0;
  std::string public_id;
  bool is_park = false;  // a park, professional park or alliance: may have park operators
};

class RoleScopes {
 public:
  virtual ~RoleScopes() = default;
  // The organisation with this public id, read on the caller's connection (inside its
  // transaction); nullopt when there is none.
  virtual Result<std::optional<RoleScope>> Find(db::Connection& connection,
                                                const std::string& public_id) const = 0;
};

}  // namespace parkhub::identity
