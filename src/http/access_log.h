// AccessLog: one JSON object per line per request (time, method, path, route, status,
// duration, bytes, remote address, user). Writes to stdout ("-") or appends to a file.
// Thread-safe; each line is written whole under a mutex.
#pragma once

#include "core/mutex.h"

#include <cstdio>
#include <string>

#include "core/status.h"

namespace parkhub::http {

struct AccessRecord {
  std::string time;
  std::string method;
  std::string path;
  std::string route;
  int status = 0;
  double duration_ms = 0;
  size_t bytes = 0;
  std::string remote;
  std::string user;
};

class AccessLog {
 public:
  static Result<std::unique_ptr<AccessLog>> Open(const std::string& destination);
  ~AccessLog();
  void Write(const AccessRecord& record);

 private:
  AccessLog(FILE* file, bool owned) : file_(file), owned_(owned) {}
  Mutex mutex_;
  FILE* file_ PT_GUARDED_BY(mutex_);
  bool owned_;
};

}  // namespace parkhub::http
