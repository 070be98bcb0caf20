#include "core/text_rules.h"

#include <algorithm>

#include "core/csv.h"
#include "core/strings.h"

namespace parkhub {

bool CheckText(const std::string& field, std::string_view value, size_t max_characters,
               FieldErrors& errors) {
  if (!IsValidUtf8(value)) {
    errors.Add(field, "must be valid UTF-8", "invalid_utf8");
    return false;
  }
  bool control = std::any_of(value.begin(), value.end(), [](unsigned char c) {
    return (c < 0x20 && c != '\n' && c != '\t') || c == 0x7F;
  });
  if (control) {
    errors.Add(field, "must not contain control characters", "control_characters");
    return false;
  }
  if (value.size() > max_characters && CountCharacters(value) > max_characters) {
    errors.Add(field, "must be at most " + std::to_string(max_characters) + " characters",
               "too_long", {{"max", max_characters}});
    return false;
  }
  return true;
}

Status CheckTextField(const std::string& field, std::string_view value, size_t max_characters) {
  FieldErrors errors;
  CheckText(field, value, max_characters, errors);
  return errors.ToStatus();
}

}  // namespace parkhub
