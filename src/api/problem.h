// Problem details (RFC 9457): the one place where a Status becomes an HTTP status and an
// application/problem+json body {type, title, status, detail, code, errors[{field, reason}],
// ...extensions}. `code` is the Status reason: stable, for programs to branch on.
#pragma once

#include "core/status.h"
#include "http/message.h"

namespace parkhub::api {

int HttpStatusFor(const Status& status);
http::HttpResponse Problem(const Status& status);
// For refusals decided by the transport or dispatcher (404 route, 405, 413, 415, ...).
http::HttpResponse Problem(int http_status, const std::string& code, const std::string& detail);

}  // namespace parkhub::api
