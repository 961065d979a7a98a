// The HTTP server: cpp-httplib on a thread pool feeding every request to App::handle.
// (server.cpp is the only file that includes the HTTP library.)
#pragma once

#include <memory>

#include "server/app.h"
#include "server/server_config.h"

namespace spanloop::store {
class Store;
}

namespace spanloop::server {

class Server {
 public:
  Server(store::Store& store, ServerConfig config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds host:port (kUnavailable when it cannot); with port 0 picks a free port.
  void bind();
  // Serves until stop() (from another thread or a signal handler thread). Binds first if needed.
  void run();
  void stop();
  // The bound port (after bind()).
  int port() const { return port_; }
  App& app() { return *app_; }

 private:
  struct Impl;
  std::unique_ptr<App> app_;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace spanloop::server
