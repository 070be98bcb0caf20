// Fuzz target: a request body as every JSON route reads it (ParseJsonObject: UTF-8, syntax,
// duplicate keys), then each field through BodyReader's typed accessors.
#include <cstddef>
#include <cstdint>
#include <set>

#include "api/json_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  parkhub::http::HttpRequest request;
  request.body.assign(reinterpret_cast<const char*>(data), size);
  auto body = parkhub::api::ParseJsonObject(request);
  if (!body.ok()) return 0;
  std::set<std::string> keys;
  for (const auto& item : body->items()) keys.insert(item.key());
  parkhub::api::BodyReader reader(*body, keys);
  for (const auto& key : keys) {
    reader.String(key);
    reader.Integer(key);
    reader.StringList(key);
    reader.Array(key);
  }
  reader.Finish();
  return 0;
}
