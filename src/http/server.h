// HttpServer: an asynchronous HTTP/1.1 server on Boost.Beast/Asio.
//
// `workers` threads run one io_context; each connection lives on its own strand. The server
// enforces the limits a public service needs: header and body size (431/413 answered before
// the body is read), a read time-out for each request (a slow client cannot hold a worker), an
// idle time-out between keep-alive requests, and a connection cap (503 beyond it).
//
// The handler is called on the worker thread that read the request and answers through the
// Responder it is given, exactly once: at once (most handlers), or later from any thread (a
// handler waiting for a group commit gives its worker back meanwhile). The request lives only
// for the handler call; a handler that answers later copies what it needs first.
//
// Shutdown() drains: it stops accepting, lets every in-flight request finish and its response
// be written (so no acknowledged write is lost), closes idle connections, and returns when all
// connections are gone or the drain deadline passes. Start/Shutdown are called from one
// controlling thread; the handler must be thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "http/message.h"

namespace parkhub::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  int port = 0;  // 0: any free port; see port() after Start
  int workers = 0;
  uint64_t max_body_bytes = 1 << 20;
  uint32_t max_header_bytes = 16 * 1024;
  std::chrono::seconds read_timeout{15};
  std::chrono::seconds idle_timeout{60};
  int max_connections = 1024;
  std::chrono::seconds drain_timeout{20};
  // Canonical addresses of reverse proxies whose X-Forwarded-For is believed (ClientAddress).
  std::vector<std::string> trusted_proxies;
};

// Answers one request; callable from any thread, once.
using Responder = std::function<void(HttpResponse)>;

class HttpServer {
 public:
  using RequestHandler = std::function<void(HttpRequest&, Responder)>;
  // `on_limit` builds the response for a request refused by a limit (status 413, 431, 503, 400).
  using LimitResponder = std::function<HttpResponse(int status, const std::string& reason)>;

  HttpServer(ServerOptions options, RequestHandler handler, LimitResponder on_limit);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts the worker threads.
  Status Start();
  int port() const { return port_; }
  int active_connections() const;
  // Drains and stops; idempotent.
  void Shutdown();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace parkhub::http
