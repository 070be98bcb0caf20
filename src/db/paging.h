// Paging: one page of a filtered list, with the count of the whole list, the way every list
// endpoint answers (`limit` rows from `offset`, and `total`).
//   CheckPaging validates a request's limit and offset into field errors;
//   CountThenPage counts the rows a query selects, then reads one page of them.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "db/database.h"

namespace parkhub::db {

template <typename T>
struct Page {
  std::vector<T> items;
  int64_t total = 0;
  int limit = 0;
  int offset = 0;
};

// `limit` must be 1..`max_limit`, `offset` not negative.
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
Result<Page<T>> CountThenPage(
    Connection& c, const std::string& from_where, Params params, int limit, int offset,
    const std::function<Result<std::vector<T>>(const Params&)>& read_page) {
  Page<T> page;
  page.limit = limit;
  page.offset = offset;
  ASSIGN_OR_RETURN(page.total, c.QueryInt("SELECT COUNT(*) " + from_where, params));
  params.push_back(int64_t{limit});
  params.push_back(int64_t{offset});
  ASSIGN_OR_RETURN(page.items, read_page(params));
  return page;
}

}  // namespace parkhub::db
