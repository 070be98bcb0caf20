// ClientAddress: the address a request came from, for throttling and the access log.
//
// The socket's peer is the client unless the peer is a configured trusted proxy; then the
// client is the rightmost X-Forwarded-For entry that is not itself a trusted proxy (entries to
// its left were written by whoever sent the request and prove nothing). A header from any
// other peer is ignored, so a client cannot choose its own address. Pure functions.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace parkhub::http {

// Parses "10.0.0.1, ::1" into canonical addresses; an entry that is not an IP address is an
// error naming it.
Result<std::vector<std::string>> ParseTrustedProxies(const std::string& list);

std::string ClientAddress(const std::string& peer, const std::string& forwarded_for,
                          const std::vector<std::string>& trusted_proxies);

}  // namespace parkhub::http
