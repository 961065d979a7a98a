// span_agreement: pairwise exact-span F1 per label.
#include "server/dataio/agreement.h"

#include <nlohmann/json.hpp>

#include "dataio_fixture.h"

namespace spanloop::dataio::testing {
namespace {

class AgreementTest : public DataioTest {};

TEST_F(AgreementTest, PairwiseF1PerLabel) {
  make_dataset();
  const auto ann = make_user("ann"), bob = make_user("bob"), cat = make_user("cat");
  const auto r1 = add_record("steel frame with a 5 mm bolt", "c1");
  const auto r2 = add_record("iron rod", "c2");
  const auto r3 = add_record("only one annotator", "c3");
  submit(r1, ann.id, {{"Material", 0, 5}, {"Component", 6, 11}, {"Value", 19, 23}});
  submit(r1, bob.id, {{"Material", 0, 5}, {"Component", 6, 11}, {"Value", 19, 21}});
  submit(r2, ann.id, {{"Material", 0, 4}});
  submit(r2, bob.id, {{"Material", 0, 4}, {"Component", 5, 8}});
  submit(r2, cat.id, {}, store::ResponseStatus::kDraft);  // drafts do not count
  submit(r3, cat.id, {{"Material", 0, 4}});

  const auto report = span_agreement(*store_, dataset_.id);
  EXPECT_EQ(report.records, 2);
  ASSERT_EQ(report.pairs.size(), 1u);
  const auto& pair = report.pairs[0];
  EXPECT_EQ(pair.records, 2);
  // Material: 2 of 2 and 2 -> 1.0; Component: 1 matched of 1 and 2 -> 2/3; Value: 0 of 1 and 1.
  EXPECT_EQ(pair.labels[0].label, "Component");
  EXPECT_DOUBLE_EQ(*pair.labels[0].counts.f1(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(*pair.labels[1].counts.f1(), 1.0);
  EXPECT_DOUBLE_EQ(*pair.labels[2].counts.f1(), 0.0);
  EXPECT_DOUBLE_EQ(*report.overall.f1(), 2.0 * 3 / (4 + 5));
  const auto json = nlohmann::json::parse(report.to_json());
  EXPECT_EQ(json["pairs"][0]["records"], 2);
  EXPECT_TRUE(json["pairs"][0]["user_a"]["username"] == "ann" ||
              json["pairs"][0]["user_a"]["username"] == "bob");
  EXPECT_DOUBLE_EQ(json["labels"]["Material"]["f1"].get<double>(), 1.0);
}

TEST_F(AgreementTest, NoSharedRecordsGivesNullF1AndBadQuestionThrows) {
  make_dataset();
  const auto report = span_agreement(*store_, dataset_.id);
  EXPECT_TRUE(report.pairs.empty());
  EXPECT_FALSE(report.overall.f1());
  EXPECT_TRUE(nlohmann::json::parse(report.to_json())["f1"].is_null());
  EXPECT_ERROR_KIND(span_agreement(*store_, dataset_.id, "sentiment"), ErrorKind::kInvalidArgument,
                    "not a span question");
  EXPECT_ERROR_KIND(span_agreement(*store_, "nope"), ErrorKind::kNotFound, "nope");
}

}  // namespace
}  // namespace spanloop::dataio::testing
