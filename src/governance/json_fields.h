// Reading members of JSON from outside (a policy document, a test file, a stored leaf) without
// throwing: a member of the wrong type reads as absent. nlohmann's value() throws on a type
// mismatch, which a fuzzer finds at once.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace parkhub::governance {

inline std::string TextField(const nlohmann::json& object, const char* key,
                             const std::string& fallback = "") {
  if (!object.is_object()) return fallback;
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : fallback;
}

// The member itself (any type), or null.
inline nlohmann::json Member(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto found = object.find(key);
  return found == object.end() ? nlohmann::json() : *found;
}

}  // namespace parkhub::governance
