// A minimal blocking HTTP/1.1 client over loopback for integration tests (Beast, one request
// per connection unless a connection is reused explicitly).
#pragma once

#include <map>
#include <string>

namespace parkhub::testing {

struct ClientResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
};

ClientResponse HttpCall(int port, const std::string& method, const std::string& target,
                        const std::string& body = "",
                        const std::map<std::string, std::string>& headers = {});
// Sends raw bytes and returns everything the server answers until it closes the connection
// (or `timeout_ms` passes).
std::string RawExchange(int port, const std::string& bytes, int timeout_ms = 5000);

}  // namespace parkhub::testing
