// A running server with one workspace, a published span dataset ("text" field, "spans"
// question) and users of every role, for the records API tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/api_fixture.h"
#include "support/server_process.h"

namespace spanloop::testing {

class RecordsApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;

  // A fresh published dataset in the shared workspace.
  nlohmann::json new_dataset(const std::vector<std::string>& labels = {"Material", "Component"},
                             bool allow_overlapping = false);
  // PUT .../records/bulk with {external_id, fields: {text}}; returns the records.
  nlohmann::json log_records(const std::string& dataset_id, const std::vector<std::string>& texts,
                             const std::string& id_prefix = "r");
  static nlohmann::json span(const std::string& label, int start, int end);
  static nlohmann::json span_values(const nlohmann::json& spans);  // {"spans": {"value": ...}}
  // span_values({span(...)}): a braced list is always a list of spans. Without this overload a
  // single-element list would copy-construct the one span object instead of making an array.
  static nlohmann::json span_values(std::initializer_list<nlohmann::json> spans) {
    return span_values(nlohmann::json(nlohmann::json::array_t(spans.begin(), spans.end())));
  }

  static std::unique_ptr<ServerProcess> server_;
  static std::unique_ptr<ApiFixture> api_;
  static std::unique_ptr<TestUser> admin_, annotator_, annotator2_, outsider_, outside_admin_;
  static std::string workspace_id_;
  HttpClient owner_{"127.0.0.1", 0};
};

}  // namespace spanloop::testing
