// StaticFiles: serves the built web app from one directory. Paths are resolved inside the root
// only (".." and symlinks out of it are refused with 404); a path without a file extension
// that names no file gets index.html, so the single-page app's own routes load. Hashed assets
// under /assets/ are cached for a year. Files are read per request (the OS page cache keeps them
// hot). Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "http/message.h"

namespace parkhub::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::string root);
  // nullopt when the request is not for a static file (the caller answers 404).
  std::optional<HttpResponse> Serve(const HttpRequest& request) const;

 private:
  std::string root_;  // canonical, without a trailing slash
};

}  // namespace parkhub::http
