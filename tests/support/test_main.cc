// The tests' main: Google Test's, with the server's crash reporter installed first, so that a
// test dying of a signal (a rare race seen only in CI) leaves its backtrace in the log. Under a
// sanitizer the sanitizer's own report is kept instead.
#include <gtest/gtest.h>

#include "app/crash_report.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PARKHUB_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define PARKHUB_SANITIZED 1
#endif

int main(int argc, char** argv) {
#ifndef PARKHUB_SANITIZED
  parkhub::app::InstallCrashReporter();
#endif
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
