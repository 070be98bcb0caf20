// Small validation and SQL helpers shared by the registry's implementation files only.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/strings.h"
#include "core/status.h"
#include "core/text_rules.h"
#include "db/database.h"
#include "identity/principal.h"
#include "registry/model.h"
#include "registry/org_graph.h"

namespace parkhub::registry {

// The user id of the system principal (demo loader, command line); stored as NULL actor.
constexpr int64_t kSystemUserId = -1;

inline std::string Trim(const std::string& s) {
  size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  size_t end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

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

inline void CheckPaging(int limit, int offset, int max_limit, FieldErrors& errors) {
  if (limit < 1 || limit > max_limit) {
    errors.Add("limit", "must be between 1 and " + std::to_string(max_limit), "out_of_range",
               {{"min", 1}, {"max", max_limit}});
  }
  if (offset < 0) errors.Add("offset", "must not be negative", "out_of_range", {{"min", 0}});
}

// A page of a filtered list: counts the rows of `from_where` ("FROM ... WHERE ...", with its
// `params`), then reads the page with `read_page`, given the params with LIMIT and OFFSET
// appended for its query, which ends in "LIMIT ? OFFSET ?".
template <typename T>
Result<Page<T>> CountThenPage(db::Connection& c, const std::string& from_where, db::Params params,
                              int limit, int offset,
                              const std::function<Result<std::vector<T>>(const db::Params&)>& read_page) {
  Page<T> page;
  page.limit = limit;
  page.offset = offset;
  ASSIGN_OR_RETURN(page.total, c.QueryInt("SELECT COUNT(*) " + from_where, params));
  params.push_back(int64_t{limit});
  params.push_back(int64_t{offset});
  ASSIGN_OR_RETURN(page.items, read_page(params));
  return page;
}

inline db::Value ActorOf(const identity::Principal& p) {
  return p.user_id > 0 ? db::Value(p.user_id) : db::Value(nullptr);
}

}  // namespace parkhub::registry
