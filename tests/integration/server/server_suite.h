// Base fixture of the server integration suites: one real server per test suite.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "api_fixture.h"
#include "server_process.h"

namespace spanloop::testing {

class ServerSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<ServerProcess>(); }
  static void TearDownTestSuite() { server_.reset(); }

  static ServerProcess& server() { return *server_; }
  static ApiFixture api() { return ApiFixture(*server_); }
  static HttpClient owner() { return server_->client(); }

  static inline std::unique_ptr<ServerProcess> server_;
};

}  // namespace spanloop::testing
