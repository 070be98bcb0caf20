#include "http/metrics.h"

#include <sstream>

namespace parkhub::http {
namespace {
std::string Escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}
}  // namespace

void Metrics::Record(const std::string& route, const std::string& method, int status,
                     double seconds) {
  MutexLock lock(mutex_);
  ++requests_[{route, method, status}];
  Histogram& h = latency_[{route, method}];
  ++h.count;
  h.sum += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.counts[i];
  }
}

std::string Metrics::RenderPrometheus() const {
  MutexLock lock(mutex_);
  std::ostringstream out;
  out << "# HELP parkhub_http_requests_total HTTP requests by route, method and status.\n"
      << "# TYPE parkhub_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    out << "parkhub_http_requests_total{route=\"" << Escape(route) << "\",method=\"" << method
        << "\",status=\"" << status << "\"} " << count << "\n";
  }
  out << "# HELP parkhub_http_request_duration_seconds Request latency by route and method.\n"
      << "# TYPE parkhub_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : latency_) {
    std::string labels = "route=\"" + Escape(key.first) + "\",method=\"" + key.second + "\"";
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out << "parkhub_http_request_duration_seconds_bucket{" << labels << ",le=\"" << kBuckets[i]
          << "\"} " << h.counts[i] << "\n";
    }
    out << "parkhub_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} "
        << h.count << "\n";
    out << "parkhub_http_request_duration_seconds_sum{" << labels << "} " << h.sum << "\n";
    out << "parkhub_http_request_duration_seconds_count{" << labels << "} " << h.count << "\n";
  }
  return out.str();
}

}  // namespace parkhub::http
