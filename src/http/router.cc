#include "http/router.h"

#include <algorithm>

namespace parkhub::http {

std::vector<std::string> Router::Split(const std::string& path) {
  std::vector<std::string> segments;
  size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    size_t end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    segments.push_back(path.substr(pos, end - pos));
    pos = end;
  }
  return segments;
}

void Router::Add(std::string method, std::string pattern, size_t id) {
  Route route{std::move(method), pattern, Split(pattern), id};
  routes_.push_back(std::move(route));
}

RouteMatch Router::Match(HttpRequest& request) const {
  std::vector<std::string> segments = Split(request.path);
  RouteMatch result;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool matches = true;
    for (size_t i = 0; i < segments.size() && matches; ++i) {
      const std::string& s = route.segments[i];
      if (s.size() > 2 && s.front() == '{' && s.back() == '}') {
        params[s.substr(1, s.size() - 2)] = segments[i];
      } else {
        matches = s == segments[i];
      }
    }
    if (!matches) continue;
    if (route.method != request.method &&
        !(request.method == "HEAD" && route.method == "GET")) {
      result.kind = RouteMatch::Kind::kMethodNotAllowed;
      result.pattern = route.pattern;
      if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), route.method) ==
          result.allowed_methods.end()) {
        result.allowed_methods.push_back(route.method);
      }
      continue;
    }
    request.path_params = std::move(params);
    request.route = route.pattern;
    return {RouteMatch::Kind::kFound, route.id, route.pattern, {}};
  }
  return result;
}

}  // namespace parkhub::http
