#include "http/client_address.h"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <optional>

#include "core/strings.h"

namespace parkhub::http {
namespace {

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

std::optional<std::string> Canonical(const std::string& text) {
  boost::system::error_code error;
  auto address = boost::asio::ip::make_address(Trim(text), error);
  if (error) return std::nullopt;
  return address.to_string();
}

}  // namespace

Result<std::vector<std::string>> ParseTrustedProxies(const std::string& list) {
  std::vector<std::string> proxies;
  if (Trim(list).empty()) return proxies;
  for (const auto& part : SplitJoined(list, ',')) {
    auto address = Canonical(part);
    if (!address) {
      return Status(ErrorCode::kInvalidArgument, "bad_config",
                    "http_trusted_proxies: '" + Trim(part) + "' is not an IP address");
    }
    proxies.push_back(*address);
  }
  return proxies;
}

std::string ClientAddress(const std::string& peer, const std::string& forwarded_for,
                          const std::vector<std::string>& trusted_proxies) {
  auto trusted = [&](const std::string& address) {
    return std::find(trusted_proxies.begin(), trusted_proxies.end(), address) !=
           trusted_proxies.end();
  };
  if (!trusted(peer) || forwarded_for.empty()) return peer;
  std::vector<std::string> hops = SplitJoined(forwarded_for, ',');
  std::string client = peer;
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    auto address = Canonical(*hop);
    if (!address) return client;  // garbage: the last proxy's peer is all we know
    client = *address;
    if (!trusted(client)) return client;
  }
  return client;
}

}  // namespace parkhub::http
