#include "app/crash_report.h"

#include <csignal>
#include <cstring>
#include <execinfo.h>
#include <unistd.h>

namespace parkhub::app {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kUnderAddressSanitizer = true;
#elif defined(__has_feature)
constexpr bool kUnderAddressSanitizer = __has_feature(address_sanitizer);
#else
constexpr bool kUnderAddressSanitizer = false;
#endif

constexpr int kFatalSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
constexpr int kMaxFrames = 64;

void WriteText(const char* text) {
  ssize_t ignored = write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

const char* SignalName(int signal_number) {
  switch (signal_number) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGABRT: return "SIGABRT";
    default: return "unknown";
  }
}

void ReportAndDie(int signal_number) {
  WriteText("\nparkhub: fatal signal ");
  WriteText(SignalName(signal_number));
  WriteText("; backtrace of the crashing thread:\n");
  void* frames[kMaxFrames];
  int depth = backtrace(frames, kMaxFrames);
  backtrace_symbols_fd(frames, depth, STDERR_FILENO);
  std::signal(signal_number, SIG_DFL);
  raise(signal_number);
}

}  // namespace

void InstallCrashReporter() {
  if (kUnderAddressSanitizer) return;  // its own report says more
  // backtrace() loads libgcc on its first call, which is not async-signal-safe: do it now.
  void* warm_up[1];
  backtrace(warm_up, 1);
  struct sigaction action {};
  action.sa_handler = ReportAndDie;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  for (int signal_number : kFatalSignals) sigaction(signal_number, &action, nullptr);
}

}  // namespace parkhub::app
