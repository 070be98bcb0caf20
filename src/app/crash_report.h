// Crash reports: on a fatal signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) the process
// writes the signal and a backtrace of the crashing thread to stderr, then dies of the same
// signal (so the exit status and any core dump are unchanged). The backtrace names exported
// functions (the binary links with -rdynamic) and gives the offset of the rest, for
// `addr2line -e parkhub`. Install once, early in main; only async-signal-safe calls run in the
// handler.
#pragma once

namespace parkhub::app {

void InstallCrashReporter();

}  // namespace parkhub::app
