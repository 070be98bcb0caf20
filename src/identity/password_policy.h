// PasswordPolicy: which passwords a user may choose.
//
// At least 10 characters (code points) and at most 1024 bytes of UTF-8, not the username, and
// not one of the 30,000 most common passwords (zxcvbn's list, compiled into the binary;
// compared case-insensitively), so that guessing from a leaked-password list fails.
// Immutable after construction; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

#include "core/status.h"

namespace parkhub::identity {

class PasswordPolicy {
 public:
  // With the compiled-in list of common passwords.
  PasswordPolicy();
  // With `common`: one password per line (tests pass their own).
  explicit PasswordPolicy(std::string_view common);

  // A field error on "password" saying why, or Ok.
  Status Check(const std::string& password, const std::string& username) const;

  static constexpr size_t kMinCharacters = 10;
  static constexpr size_t kMaxBytes = 1024;

 private:
  std::unordered_set<std::string_view> common_;  // views into static or caller-owned text
};

}  // namespace parkhub::identity
