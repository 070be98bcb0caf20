#include "http/access_log.h"

#include <nlohmann/json.hpp>

namespace parkhub::http {

Result<std::unique_ptr<AccessLog>> AccessLog::Open(const std::string& destination) {
  if (destination == "-") return std::unique_ptr<AccessLog>(new AccessLog(stdout, false));
  FILE* file = std::fopen(destination.c_str(), "a");
  if (file == nullptr) {
    return Status(ErrorCode::kUnavailable, "log_open_failed", "cannot open " + destination);
  }
  return std::unique_ptr<AccessLog>(new AccessLog(file, true));
}

AccessLog::~AccessLog() {
  if (owned_) std::fclose(file_);
}

void AccessLog::Write(const AccessRecord& r) {
  nlohmann::json line = {{"time", r.time},         {"method", r.method}, {"path", r.path},
                         {"route", r.route},       {"status", r.status},
                         {"duration_ms", r.duration_ms}, {"bytes", r.bytes},
                         {"remote", r.remote},     {"user", r.user}};
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  MutexLock lock(mutex_);
  std::fwrite(text.data(), 1, text.size(), file_);
  std::fflush(file_);
}

}  // namespace parkhub::http
