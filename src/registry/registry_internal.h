// Small validation and SQL helpers shared by the registry's implementation files only.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/status.h"
#include "core/strings.h"
#include "core/text_rules.h"
#include "db/database.h"
#include "db/paging.h"
#include "identity/principal.h"
#include "registry/model.h"
#include "registry/org_graph.h"

namespace parkhub::registry {

// The user id of the system principal (demo loader, command line); stored as NULL actor.
constexpr int64_t kSystemUserId = -1;

inline void CheckOneOf(const std::string& field, const std::string& value,
                       const std::vector<std::string>& allowed, FieldErrors& errors,
                       bool empty_ok) {
  if (empty_ok && value.empty()) return;
  if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    errors.Add(field, "must be one of: " + list, "not_one_of", {{"allowed", allowed}});
  }
}

using db::CheckPaging;
using db::CountThenPage;

inline db::Value ActorOf(const identity::Principal& p) {
  return p.user_id > 0 ? db::Value(p.user_id) : db::Value(nullptr);
}

}  // namespace parkhub::registry
