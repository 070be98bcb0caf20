// JsonWriter: writes JSON text straight into a string, for responses that are built often
// enough that a tree of nlohmann::json values first would cost more than the rest of the
// request (search pages). The caller nests correctly (every Begin has its End, a Key before each
// value in an object); commas, escaping and number formatting are done here. Strings are UTF-8:
// an invalid byte is written as U+FFFD, as nlohmann's `replace` error handler does. Numbers
// that are not finite are written as null. Not thread-safe; one per response.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace parkhub {

class JsonWriter {
 public:
  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Double(double value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // A value already serialised as JSON (e.g. nlohmann::json::dump()), written as it is.
  JsonWriter& Raw(std::string_view json);
  // A value held as nlohmann::json, serialised as HttpResponse::Json does.
  JsonWriter& Json(const nlohmann::json& value);
  // An array of strings.
  JsonWriter& Strings(const std::vector<std::string>& values);

  // The text so far; the writer is left empty.
  std::string Take();

 private:
  JsonWriter& Open(char bracket);
  JsonWriter& Close(char bracket);
  void BeforeValue();
  void Escaped(std::string_view text);

  std::string out_;
  std::vector<bool> has_member_;  // per open object or array: a value was written in it
  bool after_key_ = false;
};

}  // namespace parkhub
