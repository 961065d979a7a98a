// A SQLite store in a temp dir with a published claims dataset (field "text", span question
// "ner" with labels Component/Material/Value, metadata "year" integer and "office" terms).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/store.h"
#include "support/test_support.h"

namespace spanloop::dataio::testing {

class DataioTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void make_dataset(bool overlapping = false, bool publish = true);
  store::User make_user(const std::string& username);
  // Creates a record with the given text (and external id) and returns its id.
  std::string add_record(const std::string& text, const std::string& external_id);
  void submit(const std::string& record_id, const std::string& user_id,
              std::vector<store::SpanValue> spans,
              store::ResponseStatus status = store::ResponseStatus::kSubmitted);

  spanloop::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  store::Dataset dataset_;
  store::Question ner_;
};

}  // namespace spanloop::dataio::testing
