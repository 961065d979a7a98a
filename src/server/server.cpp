// cpp-httplib glue: converts requests, applies limits and timeouts, streams responses.
#include "server/server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <limits>
#include <thread>

#include "server/errors.h"
#include "server/multipart.h"
#include "text/error.h"

namespace spanloop::server {

struct Server::Impl {
  httplib::Server http;
  ServerConfig config;
  bool bound = false;
  int listen_fd = -1;  // the listening socket, to widen httplib's accept backlog after bind
};

namespace {

// httplib parses multipart/form-data bodies into req.files and leaves req.body empty. Handlers
// see one shape for every request, so the parts are written back as a multipart body with the
// request's own boundary (server/multipart.h splits it again).
std::string multipart_body(const httplib::Request& req) {
  const auto boundary = multipart_boundary(req.get_header_value("Content-Type"));
  if (!boundary) return {};
  std::string body;
  for (const auto& [name, part] : req.files) {
    body += "--" + *boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"";
    if (!part.filename.empty()) body += "; filename=\"" + part.filename + "\"";
    body += "\r\n";
    if (!part.content_type.empty()) body += "Content-Type: " + part.content_type + "\r\n";
    body += "\r\n" + part.content + "\r\n";
  }
  return body + "--" + *boundary + "--\r\n";
}

HttpRequest to_plain(const httplib::Request& req) {
  HttpRequest out;
  out.method = req.method;
  out.path = req.path;
  // httplib merges url-encoded form bodies into params; keep only the URL's query string.
  auto q = req.target.find('?');
  if (q != std::string::npos) out.query = parse_form(std::string_view(req.target).substr(q + 1));
  for (const auto& [name, value] : req.headers) {
    std::string key = name;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.headers.emplace(std::move(key), value);
  }
  out.body = req.is_multipart_form_data() && req.body.empty() ? multipart_body(req) : req.body;
  out.remote_addr = req.remote_addr;
  return out;
}

void to_httplib(HttpResponse&& res, httplib::Response& out) {
  out.status = res.status;
  for (auto& [name, value] : res.headers) out.set_header(name, value);
  if (res.stream) {
    auto stream = std::move(res.stream);
    out.set_chunked_content_provider(
        res.content_type, [stream](std::size_t, httplib::DataSink& sink) {
          try {
            stream([&](std::string_view chunk) { return sink.write(chunk.data(), chunk.size()); });
          } catch (const std::exception& e) {
            // Headers are gone already: the client sees a truncated body.
            spdlog::error("streamed response failed: {}", e.what());
            return false;
          }
          sink.done();
          return true;
        });
  } else if (!res.content_type.empty()) {
    out.set_content(std::move(res.body), res.content_type.c_str());
  }
}

}  // namespace

Server::Server(store::Store& store, ServerConfig config)
    : app_(std::make_unique<App>(store, config)), impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
  auto& http = impl_->http;
  int threads = impl_->config.threads > 0
                    ? impl_->config.threads
                    // httplib keeps a worker per keep-alive connection, so the pool must cover
                    // every open client (50 annotators), not the cores: handlers mostly wait.
                    : std::max(64, 8 * static_cast<int>(std::thread::hardware_concurrency()));
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(impl_->config.max_body_bytes);
  http.set_read_timeout(impl_->config.read_timeout);
  http.set_write_timeout(impl_->config.write_timeout);
  http.set_keep_alive_timeout(10);
  // httplib writes a response's headers and body in separate writes; with Nagle's algorithm the
  // body then waits for the client's delayed ACK (~40 ms) on every keep-alive request.
  http.set_tcp_nodelay(true);
  // httplib closes a keep-alive connection after 5 requests by default; each reconnect of 50
  // busy clients then queues behind the accept backlog. Keep connections until the idle timeout.
  http.set_keep_alive_max_count(std::numeric_limits<std::size_t>::max());
  http.set_socket_options([impl = impl_.get()](int fd) {
    httplib::default_socket_options(fd);
    impl->listen_fd = fd;
  });
  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    to_httplib(app_->handle(to_plain(req)), res);
  };
  http.Get(".*", handler);
  http.Post(".*", handler);
  http.Put(".*", handler);
  http.Patch(".*", handler);
  http.Delete(".*", handler);
  // Errors httplib answers itself (body too large, bad request line) get our JSON shape.
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    std::string message =
        res.status == 413 ? "request body too large" : "HTTP error " + std::to_string(res.status);
    nlohmann::json body{
        {"detail",
         {{"code", res.status == 413 ? "payload_too_large" : "http_error"}, {"message", message}}}};
    res.set_content(body.dump(), "application/json");
  });
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        auto r = exception_response(ep, "-");
        res.status = r.status;
        res.set_content(r.body, "application/json");
      });
}

Server::~Server() {
  stop();
}

void Server::bind() {
  if (impl_->bound) return;
  auto& c = impl_->config;
  int port = c.port == 0 ? impl_->http.bind_to_any_port(c.host)
                         : (impl_->http.bind_to_port(c.host, c.port) ? c.port : -1);
  if (port <= 0) {
    throw Error(ErrorKind::kUnavailable, "cannot listen on " + c.host + ":" +
                                             std::to_string(c.port) +
                                             " (address in use or not available)");
  }
  // httplib listens with a backlog of 5: a burst of new connections (50 annotators opening the
  // UI at once) overflows it and the dropped SYNs are retried only after 1 s. Linux lets a
  // second listen() raise the backlog of a listening socket.
  if (impl_->listen_fd >= 0) ::listen(impl_->listen_fd, SOMAXCONN);
  port_ = port;
  impl_->bound = true;
}

void Server::run() {
  bind();
  if (!impl_->http.listen_after_bind()) {
    throw Error(ErrorKind::kUnavailable, "the HTTP server stopped unexpectedly");
  }
}

void Server::stop() {
  if (impl_) impl_->http.stop();
}

}  // namespace spanloop::server
