#include "identity/password_policy.h"

#include <utility>
#include <vector>

#include "core/csv.h"
#include "core/strings.h"

namespace parkhub::identity {

// common_passwords.txt, embedded by CMake (cmake/embed.cmake).
const std::vector<std::pair<std::string_view, std::string_view>>& CommonPasswordFiles();

PasswordPolicy::PasswordPolicy() : PasswordPolicy(CommonPasswordFiles().front().second) {}

PasswordPolicy::PasswordPolicy(std::string_view common) {
  while (!common.empty()) {
    size_t end = common.find('\n');
    std::string_view line = common.substr(0, end);
    if (!line.empty()) common_.insert(line);
    if (end == std::string_view::npos) break;
    common.remove_prefix(end + 1);
  }
}

Status PasswordPolicy::Check(const std::string& password, const std::string& username) const {
  auto refuse = [](const std::string& reason, const std::string& code,
                   nlohmann::json params = nlohmann::json::object()) {
    return Status::Invalid("password", reason, code, std::move(params));
  };
  if (!IsValidUtf8(password)) return refuse("must be valid UTF-8", "invalid_utf8");
  if (password.size() > kMaxBytes) {
    return refuse("must be at most 1024 bytes", "too_long", {{"max_bytes", kMaxBytes}});
  }
  if (CountCharacters(password) < kMinCharacters) {
    return refuse("must be at least 10 characters", "too_short", {{"min", kMinCharacters}});
  }
  std::string lowered = AsciiLower(password);
  if (lowered == AsciiLower(username))
    return refuse("must not be the username", "same_as_username");
  if (common_.count(lowered) != 0) {
    return refuse("is one of the most common passwords; choose one nobody would guess",
                  "common_password");
  }
  return Status::Ok();
}

}  // namespace parkhub::identity
