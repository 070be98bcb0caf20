// HttpRequest and HttpResponse: the plain values handlers see, independent of Beast, so that
// handlers are functions of the request and most API tests need no socket.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace parkhub::http {

struct HttpRequest {
  std::string method;        // "GET", "POST", ...
  std::string target;        // raw request target, e.g. "/api/v1/organizations?limit=20"
  std::string path;          // percent-decoded path without the query
  std::map<std::string, std::string> query;    // decoded query parameters (last one wins)
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  std::string remote_address;
  std::map<std::string, std::string> path_params;  // filled by the router
  std::string route;         // the matched route pattern, e.g. "/api/v1/organizations/{id}"
  bool query_malformed = false;  // bad percent-encoding in the query string

  std::string Header(const std::string& lower_name) const;
  std::optional<std::string> Cookie(const std::string& name) const;
  std::string Param(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Why a request failed on the server's side, for the server's error log; never sent.
  std::string log_note;

  static HttpResponse Json(int status, const nlohmann::json& body);
  static HttpResponse JsonText(int status, std::string json);  // already serialised
  static HttpResponse Text(int status, std::string body, std::string content_type);
  HttpResponse& SetHeader(std::string name, std::string value);
  std::string Header(const std::string& name) const;
};

// Splits "a=1&b=%E4%B8%AD" into decoded pairs; false when the encoding is malformed.
bool ParseQuery(const std::string& query, std::map<std::string, std::string>& out);
// Percent-decodes `text` (and '+' as space when `plus_as_space`); nullopt when malformed.
std::optional<std::string> PercentDecode(const std::string& text, bool plus_as_space);

}  // namespace parkhub::http
