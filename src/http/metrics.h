// Metrics: request counts and latency histograms by route pattern, method and status, rendered
// in the Prometheus text exposition format for /metrics. Thread-safe (one mutex; the critical
// section is a few map lookups).
#pragma once

#include "core/mutex.h"

#include <array>
#include <map>
#include <string>
#include <tuple>

namespace parkhub::http {

class Metrics {
 public:
  void Record(const std::string& route, const std::string& method, int status, double seconds);
  std::string RenderPrometheus() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  5.0};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable Mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_ GUARDED_BY(mutex_);
  std::map<std::pair<std::string, std::string>, Histogram> latency_ GUARDED_BY(mutex_);
};

}  // namespace parkhub::http
