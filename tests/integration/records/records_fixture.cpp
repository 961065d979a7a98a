// The records API fixture: one server for the whole suite, a dataset per test.
#include "records_fixture.h"

namespace spanloop::testing {

std::unique_ptr<ServerProcess> RecordsApiTest::server_;
std::unique_ptr<ApiFixture> RecordsApiTest::api_;
std::unique_ptr<TestUser> RecordsApiTest::admin_, RecordsApiTest::annotator_,
    RecordsApiTest::annotator2_, RecordsApiTest::outsider_, RecordsApiTest::outside_admin_;
std::string RecordsApiTest::workspace_id_;

void RecordsApiTest::SetUpTestSuite() {
  server_ = std::make_unique<ServerProcess>();
  api_ = std::make_unique<ApiFixture>(*server_);
  workspace_id_ = api_->create_workspace()["id"];
  const std::string other_ws = api_->create_workspace()["id"];
  admin_ = std::make_unique<TestUser>(api_->create_user("admin", workspace_id_));
  annotator_ = std::make_unique<TestUser>(api_->create_user("annotator", workspace_id_));
  annotator2_ = std::make_unique<TestUser>(api_->create_user("annotator", workspace_id_));
  outsider_ = std::make_unique<TestUser>(api_->create_user("annotator", other_ws));
  outside_admin_ = std::make_unique<TestUser>(api_->create_user("admin", other_ws));
}

void RecordsApiTest::TearDownTestSuite() {
  admin_.reset();
  annotator_.reset();
  annotator2_.reset();
  outsider_.reset();
  outside_admin_.reset();
  api_.reset();
  server_.reset();
}

void RecordsApiTest::SetUp() {
  owner_ = api_->owner();
}

nlohmann::json RecordsApiTest::new_dataset(const std::vector<std::string>& labels,
                                           bool allow_overlapping) {
  return api_->create_span_dataset(workspace_id_, labels, true, allow_overlapping);
}

nlohmann::json RecordsApiTest::log_records(const std::string& dataset_id,
                                           const std::vector<std::string>& texts,
                                           const std::string& id_prefix) {
  nlohmann::json items = nlohmann::json::array();
  for (std::size_t i = 0; i < texts.size(); ++i)
    items.push_back(
        {{"external_id", id_prefix + std::to_string(i)}, {"fields", {{"text", texts[i]}}}});
  auto r = owner_.put("/api/v1/datasets/" + dataset_id + "/records/bulk", {{"items", items}});
  expect_status(r, 200, "log records");
  return r.json()["items"];
}

nlohmann::json RecordsApiTest::span(const std::string& label, int start, int end) {
  return {{"label", label}, {"start", start}, {"end", end}};
}

nlohmann::json RecordsApiTest::span_values(const nlohmann::json& spans) {
  return {{"spans", {{"value", spans}}}};
}

}  // namespace spanloop::testing
