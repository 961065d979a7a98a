// The dataio test fixture.
#include "dataio_fixture.h"

namespace spanloop::dataio::testing {

void DataioTest::SetUp() {
  store_ = store::open_store("sqlite://" + (dir_.path() / "spanloop.db").string());
}

void DataioTest::make_dataset(bool overlapping, bool publish) {
  const auto ws = store_->create_workspace("patents");
  store::DatasetCreate dc;
  dc.workspace_id = ws.id;
  dc.name = "claims";
  dataset_ = store_->create_dataset(dc);
  store_->create_field(dataset_.id, {"text", "Claim", true, false});
  store::SpanQuestionSettings span;
  span.field = "text";
  for (const char* label : {"Component", "Material", "Value"})
    span.options.push_back({label, label, std::nullopt, std::nullopt});
  span.allow_overlapping = overlapping;
  ner_ = store_->create_question(dataset_.id, {"ner", "Entities", std::nullopt, true, span});
  store_->create_metadata_property(dataset_.id,
                                   {"year", "Year", store::IntegerMetadataSettings{}, true});
  store_->create_metadata_property(dataset_.id,
                                   {"office", "Office", store::TermsMetadataSettings{}, true});
  if (publish) dataset_ = store_->publish_dataset(dataset_.id);
}

store::User DataioTest::make_user(const std::string& username) {
  store::UserCreate u;
  u.username = username;
  u.first_name = username;
  u.password_hash = "x";
  return store_->create_user(u);
}

std::string DataioTest::add_record(const std::string& text, const std::string& external_id) {
  store::RecordInput in;
  in.external_id = external_id;
  in.fields["text"] = text;
  return store_->bulk_upsert_records(dataset_.id, {in}).records.at(0).id;
}

void DataioTest::submit(const std::string& record_id, const std::string& user_id,
                        std::vector<store::SpanValue> spans, store::ResponseStatus status) {
  store::ResponseInput in;
  in.status = status;
  in.values["ner"] = std::move(spans);
  store_->upsert_response(record_id, user_id, in);
}

}  // namespace spanloop::dataio::testing
