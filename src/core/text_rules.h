// CheckText: the one rule for free text that comes from outside (names, titles, descriptions,
// notes, reasons, keys, file rows), whatever the module.
//
// The text must be well-formed UTF-8, hold no NUL or other C0 control character but tab and
// newline (a NUL cuts the value short in SQL text functions and C APIs; the others have no
// place in what a person types), and be at most `max_characters` code points: the limit is
// stated per field by its caller, so every field has one. A breach adds one field error
// saying which rule; the caller decides what else to check (empty, format).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace parkhub {

// True when `value` keeps the rule; otherwise adds a field error on `field` and returns false.
bool CheckText(const std::string& field, std::string_view value, size_t max_characters,
               FieldErrors& errors);

// The same rule as a Status, for a single field.
Status CheckTextField(const std::string& field, std::string_view value, size_t max_characters);

}  // namespace parkhub
