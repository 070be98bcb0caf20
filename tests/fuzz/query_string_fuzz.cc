// Fuzz target: a request target's query string and path (percent-decoding, '+' as space), and
// an X-Forwarded-For header as the client address is read from it behind a trusted proxy.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "http/client_address.h"
#include "http/message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::map<std::string, std::string> query;
  parkhub::http::ParseQuery(text, query);
  parkhub::http::PercentDecode(text, false);
  parkhub::http::PercentDecode(text, true);
  parkhub::http::ClientAddress("10.0.0.2", text, {"10.0.0.2", "::1"});
  return 0;
}
