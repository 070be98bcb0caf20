#include "http/server.h"

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <map>
#include <mutex>
#include <optional>

#include "core/strings.h"
#include "http/client_address.h"

namespace parkhub::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

// True when a request's Transfer-Encoding is absent or exactly "chunked".
bool OnlyChunked(beast::string_view codings) {
  std::string text = AsciiLower(std::string_view(codings.data(), codings.size()));
  text.erase(std::remove_if(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); }),
             text.end());
  return text.empty() || text == "chunked";
}

}  // namespace

class HttpServer::Impl {
 public:
  class Session;

  Impl(ServerOptions options, RequestHandler handler, LimitResponder on_limit)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        on_limit_(std::move(on_limit)),
        acceptor_(ioc_) {}

  Status Start(int* port);
  void Shutdown();
  int active() const { return active_.load(); }

  void Accept();
  void Register(const std::shared_ptr<Session>& session);
  void Unregister(Session* session);

  ServerOptions options_;
  RequestHandler handler_;
  LimitResponder on_limit_;
  // The session table is declared before the io_context so that it is destroyed after it: a
  // session still owned by a handler the io_context never ran (a connection accepted as the
  // server stopped) is destroyed with that handler, and unregisters itself from this table.
  std::atomic<int> active_{0};
  std::mutex sessions_mutex_;
  std::map<Session*, std::weak_ptr<Session>> session_refs_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
  std::atomic<bool> draining_{false};
  bool stopped_ = false;
};

class HttpServer::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Impl& server, tcp::socket socket)
      : server_(server), stream_(std::move(socket)) {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    remote_ = ec ? "" : endpoint.address().to_string();
  }

  void Start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::Read, shared_from_this()));
  }

  void RefuseBusy() {
    auto self = shared_from_this();
    asio::dispatch(stream_.get_executor(), [self] {
      self->close_after_write_ = true;
      self->Write(self->server_.on_limit_(503, "the server is at its connection limit"), 11);
    });
  }

  // Called during shutdown: closes an idle connection, lets a busy one finish.
  void Drain() {
    auto self = shared_from_this();
    asio::post(stream_.get_executor(), [self] {
      self->close_after_write_ = true;
      if (self->reading_ && !self->request_started_) self->stream_.cancel();
    });
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->header_limit(server_.options_.max_header_bytes);
    parser_->body_limit(server_.options_.max_body_bytes);
    request_started_ = buffer_.size() > 0;
    stream_.expires_after(first_request_ ? server_.options_.read_timeout
                                         : server_.options_.idle_timeout);
    reading_ = true;
    // Read the header first so a slow body is cut by the read time-out, not the idle one.
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, size_t) {
    if (ec) return OnReadError(ec);
    request_started_ = true;
    stream_.expires_after(server_.options_.read_timeout);
    auto& header = parser_->get();
    if (!OnlyChunked(header[bhttp::field::transfer_encoding])) {
      // Beast would decode the chunking and pass, say, gzip'd bytes on as the body (RFC 9112).
      close_after_write_ = true;
      reading_ = false;
      return Write(server_.on_limit_(501, "the only transfer coding understood is chunked"),
                   header.version());
    }
    auto length = parser_->content_length();
    if (length && *length > server_.options_.max_body_bytes) {
      close_after_write_ = true;
      reading_ = false;
      return Write(server_.on_limit_(413, "the request body is larger than allowed"),
                   header.version());
    }
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnReadError(beast::error_code ec) {
    reading_ = false;
    if (ec == bhttp::error::body_limit) {
      close_after_write_ = true;
      return Write(server_.on_limit_(413, "the request body is larger than allowed"), 11);
    }
    if (ec == bhttp::error::header_limit) {
      close_after_write_ = true;
      return Write(server_.on_limit_(431, "the request headers are larger than allowed"), 11);
    }
    if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == beast::error::timeout || ec == asio::error::connection_reset ||
        ec == asio::error::eof) {
      return Close();
    }
    // Any other parse error is a malformed request.
    close_after_write_ = true;
    Write(server_.on_limit_(400, "malformed HTTP request: " + ec.message()), 11);
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ec) return OnReadError(ec);
    reading_ = false;
    first_request_ = false;
    auto message = parser_->release();
    HttpRequest request = Convert(message);
    bool close = !message.keep_alive();
    bool head_only = request.method == "HEAD";
    unsigned version = message.version();
    auto answered = std::make_shared<std::atomic<bool>>(false);
    Responder reply = [self = shared_from_this(), answered, close, head_only,
                       version](HttpResponse response) {
      if (answered->exchange(true)) return;
      // On this session's strand: at once when answered from the handler itself.
      asio::dispatch(self->stream_.get_executor(),
                     [self, close, head_only, version, response = std::move(response)]() mutable {
                       self->Answer(std::move(response), close, head_only, version);
                     });
    };
    try {
      server_.handler_(request, reply);
    } catch (const std::exception&) {
      reply(server_.on_limit_(500, "internal error"));
    }
  }

  void Answer(HttpResponse response, bool close, bool head_only, unsigned version) {
    if (close || server_.draining_) close_after_write_ = true;
    head_only_ = head_only;
    Write(std::move(response), version);
  }

  HttpRequest Convert(const bhttp::request<bhttp::string_body>& message) {
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.remote_address = remote_;
    std::string raw_path = request.target;
    std::string query;
    if (auto q = raw_path.find('?'); q != std::string::npos) {
      query = raw_path.substr(q + 1);
      raw_path.resize(q);
    }
    auto decoded = PercentDecode(raw_path, false);
    request.path = decoded ? *decoded : std::string("\x01invalid");
    request.query_malformed = !ParseQuery(query, request.query);
    for (const auto& field : message) {
      auto raw_name = field.name_string();
      request.headers[AsciiLower(std::string_view(raw_name.data(), raw_name.size()))] =
          std::string(field.value());
    }
    request.body = message.body();
    request.remote_address =
        ClientAddress(remote_, request.Header("x-forwarded-for"), server_.options_.trusted_proxies);
    return request;
  }

  void Write(HttpResponse response, unsigned version) {
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>();
    message->version(version);
    message->result(static_cast<unsigned>(response.status));
    message->set(bhttp::field::server, "ParkHub");
    for (const auto& [name, value] : response.headers) message->set(name, value);
    size_t body_size = response.body.size();
    if (!head_only_) message->body() = std::move(response.body);
    message->keep_alive(!close_after_write_);
    if (head_only_) {
      message->content_length(body_size);
    } else {
      message->prepare_payload();
    }
    head_only_ = false;
    stream_.expires_after(server_.options_.read_timeout);
    bhttp::async_write(stream_, *message,
                       [self = shared_from_this(), message](beast::error_code ec, size_t) {
                         self->OnWrite(ec);
                       });
  }

  void OnWrite(beast::error_code ec) {
    if (ec || close_after_write_) return Close();
    Read();
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

 public:
  ~Session() { server_.Unregister(this); }

 private:
  Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_;
  bool first_request_ = true;
  bool reading_ = false;
  bool request_started_ = false;
  bool close_after_write_ = false;
  bool head_only_ = false;
};

Status HttpServer::Impl::Start(int* port) {
  beast::error_code ec;
  auto address = asio::ip::make_address(options_.address, ec);
  if (ec) return Status::InvalidArgument("bad listen address: " + options_.address);
  tcp::endpoint endpoint(address, static_cast<unsigned short>(options_.port));
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status(ErrorCode::kUnavailable, "listen_failed",
                  "cannot listen on " + options_.address + ":" + std::to_string(options_.port) +
                      ": " + ec.message());
  }
  *port = acceptor_.local_endpoint().port();
  Accept();
  int workers = options_.workers > 0 ? options_.workers
                                     : std::max(1u, std::thread::hardware_concurrency());
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { ioc_.run(); });
  return Status::Ok();
}

void HttpServer::Impl::Accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (!acceptor_.is_open()) return;
    } else {
      auto session = std::make_shared<Session>(*this, std::move(socket));
      int now_active = ++active_;
      Register(session);
      if (now_active > options_.max_connections || draining_) {
        session->RefuseBusy();
      } else {
        session->Start();
      }
    }
    if (acceptor_.is_open()) Accept();
  });
}

void HttpServer::Impl::Register(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(sessions_mutex_);
  session_refs_[session.get()] = session;
}

void HttpServer::Impl::Unregister(Session* session) {
  {
    std::lock_guard lock(sessions_mutex_);
    session_refs_.erase(session);
  }
  --active_;
}

void HttpServer::Impl::Shutdown() {
  if (stopped_) return;
  stopped_ = true;
  draining_ = true;
  asio::post(acceptor_.get_executor(), [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
  });
  // Take strong references under the lock but drain outside it: dropping the last reference
  // destroys a session, whose destructor takes the same lock to unregister itself.
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(sessions_mutex_);
    for (auto& [raw, weak] : session_refs_) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  for (auto& session : live) session->Drain();
  live.clear();
  auto deadline = std::chrono::steady_clock::now() + options_.drain_timeout;
  while (active_.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ioc_.stop();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

HttpServer::HttpServer(ServerOptions options, RequestHandler handler, LimitResponder on_limit)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(on_limit))) {}

HttpServer::~HttpServer() { Shutdown(); }

Status HttpServer::Start() { return impl_->Start(&port_); }

int HttpServer::active_connections() const { return impl_->active(); }

void HttpServer::Shutdown() {
  if (impl_) impl_->Shutdown();
}

}  // namespace parkhub::http
