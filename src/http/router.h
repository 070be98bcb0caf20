// Router: matches a method and a path against route patterns such as
// "/api/v1/organizations/{id}" and yields the id the owner gave the route (the owner keeps the
// handlers, so the router stays a pure matcher). Segments in braces bind path parameters. A path that matches a
// pattern under another method gives MethodNotAllowed with the allowed methods (for 405 and
// its Allow header). Built once at start, then read-only: thread-safe for lookups.
#pragma once

#include <string>
#include <vector>

#include "http/message.h"

namespace parkhub::http {

struct RouteMatch {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed } kind = Kind::kNotFound;
  size_t id = 0;
  std::string pattern;
  std::vector<std::string> allowed_methods;
};

class Router {
 public:
  void Add(std::string method, std::string pattern, size_t id);
  // Fills request.path_params on a match.
  RouteMatch Match(HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    size_t id;
  };
  static std::vector<std::string> Split(const std::string& path);
  std::vector<Route> routes_;
};

}  // namespace parkhub::http
