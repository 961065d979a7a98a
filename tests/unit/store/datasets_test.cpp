// Datasets and their settings: CRUD, uniqueness, publish rules and settings-update rules.
#include "store_fixture.h"

namespace spanloop::store::testing {
namespace {

SPANLOOP_STORE_SUITE(DatasetsTest);

SpanQuestionSettings span_settings(const std::string& field, std::vector<std::string> labels) {
  SpanQuestionSettings s;
  s.field = field;
  for (auto& l : labels) s.options.push_back({l, l, std::nullopt, std::nullopt});
  return s;
}

TEST_P(DatasetsTest, CreateReadListUpdateDelete) {
  const Workspace w = store_->create_workspace("ws");
  const Workspace other = store_->create_workspace("other");
  DatasetCreate dc;
  dc.workspace_id = w.id;
  dc.name = "Patent claims 2024";
  dc.guidelines = "Label κ-values and µm sizes.";
  dc.allow_extra_metadata = false;
  dc.distribution.min_submitted = 2;
  dc.metadata = {{"source", std::string("uspto")},
                 {"year", std::int64_t{2024}},
                 {"nested", RawJson{"{\"a\":[1,2]}"}}};
  const Dataset d = store_->create_dataset(dc);
  EXPECT_EQ(d.status, DatasetStatus::kDraft);
  const Dataset got = *store_->get_dataset(d.id);
  EXPECT_EQ(got.name, "Patent claims 2024");
  EXPECT_EQ(got.guidelines, "Label κ-values and µm sizes.");
  EXPECT_FALSE(got.allow_extra_metadata);
  EXPECT_EQ(got.distribution.min_submitted, 2);
  EXPECT_EQ(std::get<std::string>(got.metadata.at("source")), "uspto");
  EXPECT_EQ(std::get<std::int64_t>(got.metadata.at("year")), 2024);
  EXPECT_EQ(std::get<RawJson>(got.metadata.at("nested")).text, "{\"a\":[1,2]}");

  EXPECT_ERROR_KIND(store_->create_dataset(dc), ErrorKind::kConflict,
                    "Dataset with name `Patent claims 2024` already exists");
  dc.workspace_id = other.id;  // the same name in another workspace is fine
  const Dataset twin = store_->create_dataset(dc);
  dc.workspace_id = "missing";
  EXPECT_ERROR_KIND(store_->create_dataset(dc), ErrorKind::kNotFound,
                    "Workspace with id `missing` not found");
  dc.workspace_id = w.id;
  dc.name = "";
  EXPECT_ERROR_KIND(store_->create_dataset(dc), ErrorKind::kInvalidArgument,
                    "dataset name '' is not valid");
  dc.name = "x";
  dc.guidelines = std::string(10001, 'g');
  EXPECT_ERROR_KIND(store_->create_dataset(dc), ErrorKind::kInvalidArgument,
                    "dataset guidelines must have 1..10000");
  dc.guidelines.reset();
  dc.distribution.min_submitted = 0;
  EXPECT_ERROR_KIND(store_->create_dataset(dc), ErrorKind::kInvalidArgument, "min_submitted");

  DatasetFilter by_ws;
  by_ws.workspace_id = w.id;
  EXPECT_EQ(store_->list_datasets(by_ws).size(), 1u);
  EXPECT_EQ(store_->list_datasets({}).size(), 2u);
  const User member = make_user("member");
  store_->add_workspace_user(other.id, member.id);
  DatasetFilter mine;
  mine.member_user_id = member.id;
  const auto visible = store_->list_datasets(mine);
  ASSERT_EQ(visible.size(), 1u);
  EXPECT_EQ(visible[0].id, twin.id);

  DatasetUpdate up;
  up.name = "renamed";
  up.guidelines = std::optional<std::string>();
  up.distribution = Distribution{"overlap", 3};
  const Dataset changed = store_->update_dataset(d.id, up);
  EXPECT_EQ(changed.name, "renamed");
  EXPECT_FALSE(changed.guidelines.has_value());
  EXPECT_EQ(store_->get_dataset(d.id)->distribution.min_submitted, 3);
  DatasetUpdate clash;
  clash.name = "renamed";
  EXPECT_NO_THROW(store_->update_dataset(d.id, clash));  // its own name

  EXPECT_EQ(store_->delete_dataset(d.id).id, d.id);
  EXPECT_FALSE(store_->get_dataset(d.id));
  EXPECT_ERROR_KIND(store_->delete_dataset(d.id), ErrorKind::kNotFound, "Dataset with id");
}

TEST_P(DatasetsTest, PublishNeedsFieldsAndARequiredQuestion) {
  const Workspace w = store_->create_workspace("ws");
  const Dataset d = store_->create_dataset(DatasetCreate{w.id, "d", std::nullopt, true, {}, {}});
  EXPECT_ERROR_KIND(store_->publish_dataset(d.id), ErrorKind::kFailedPrecondition,
                    "without fields");
  store_->create_field(d.id, FieldCreate{"text", "Text", true, false});
  EXPECT_ERROR_KIND(store_->publish_dataset(d.id), ErrorKind::kFailedPrecondition,
                    "without required questions");
  store_->create_question(
      d.id, QuestionCreate{"notes", "Notes", std::nullopt, false, TextQuestionSettings{}});
  EXPECT_ERROR_KIND(store_->publish_dataset(d.id), ErrorKind::kFailedPrecondition,
                    "without required questions");
  store_->create_question(
      d.id, QuestionCreate{"ner", "NER", std::nullopt, true, span_settings("text", {"A"})});
  EXPECT_EQ(store_->publish_dataset(d.id).status, DatasetStatus::kReady);
  EXPECT_ERROR_KIND(store_->publish_dataset(d.id), ErrorKind::kFailedPrecondition,
                    "already published");
  // Settings are frozen after publishing.
  EXPECT_ERROR_KIND(store_->create_field(d.id, FieldCreate{"more", "More", false, false}),
                    ErrorKind::kFailedPrecondition,
                    "Field cannot be created for a published dataset");
  EXPECT_ERROR_KIND(
      store_->create_question(
          d.id, QuestionCreate{"q2", "Q2", std::nullopt, false, TextQuestionSettings{}}),
      ErrorKind::kFailedPrecondition, "Question cannot be created for a published dataset");
  const auto questions = store_->list_questions(d.id);
  EXPECT_ERROR_KIND(store_->delete_question(questions[0].id), ErrorKind::kFailedPrecondition,
                    "published dataset");
  EXPECT_ERROR_KIND(store_->delete_field(store_->list_fields(d.id)[0].id),
                    ErrorKind::kFailedPrecondition, "published dataset");
}

TEST_P(DatasetsTest, FieldsCrud) {
  const Workspace w = store_->create_workspace("ws");
  const Dataset d = store_->create_dataset(DatasetCreate{w.id, "d", std::nullopt, true, {}, {}});
  const Field f = store_->create_field(d.id, FieldCreate{"claim_text", "Claim", true, true});
  EXPECT_TRUE(store_->get_field(f.id)->use_markdown);
  EXPECT_EQ(store_->get_field(f.id)->dataset_id, d.id);
  EXPECT_ERROR_KIND(store_->create_field(d.id, FieldCreate{"claim_text", "Again", true, false}),
                    ErrorKind::kConflict, "Field with name `claim_text` already exists");
  EXPECT_ERROR_KIND(store_->create_field(d.id, FieldCreate{"Bad Name", "x", true, false}),
                    ErrorKind::kInvalidArgument, "field name 'Bad Name' is not valid");
  EXPECT_ERROR_KIND(store_->create_field(d.id, FieldCreate{"___", "x", true, false}),
                    ErrorKind::kInvalidArgument, "at least one letter or digit");
  EXPECT_ERROR_KIND(store_->create_field("nope", FieldCreate{"a", "x", true, false}),
                    ErrorKind::kNotFound, "Dataset");
  FieldUpdate up;
  up.title = "Claim text";
  up.required = false;
  const Field changed = store_->update_field(f.id, up);
  EXPECT_EQ(changed.title, "Claim text");
  EXPECT_FALSE(changed.required);
  store_->create_field(d.id, FieldCreate{"abstract", "Abstract", false, false});
  const auto fields = store_->list_fields(d.id);
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].name, "claim_text");  // insertion order
  store_->create_question(
      d.id, QuestionCreate{"ner", "NER", std::nullopt, true, span_settings("claim_text", {"A"})});
  EXPECT_ERROR_KIND(store_->delete_field(f.id), ErrorKind::kFailedPrecondition,
                    "span question `ner` uses it");
  EXPECT_EQ(store_->delete_field(fields[1].id).name, "abstract");
  EXPECT_EQ(store_->list_fields(d.id).size(), 1u);
}

TEST_P(DatasetsTest, QuestionSettingsRoundTripAndRules) {
  const Workspace w = store_->create_workspace("ws");
  const Dataset d = store_->create_dataset(DatasetCreate{w.id, "d", std::nullopt, true, {}, {}});
  store_->create_field(d.id, FieldCreate{"text", "Text", true, false});
  SpanQuestionSettings span = span_settings("text", {"PER", "ORG", "LOC", "MISC"});
  span.options[0].description = "People";
  span.options[0].color = "#ff0000";
  span.visible_options = 3;
  const Question ner =
      store_->create_question(d.id, QuestionCreate{"ner", "NER", "Entities ™", true, span});
  const auto got = std::get<SpanQuestionSettings>(store_->get_question(ner.id)->settings);
  EXPECT_EQ(got.field, "text");
  ASSERT_EQ(got.options.size(), 4u);
  EXPECT_EQ(got.options[0].description, "People");
  EXPECT_EQ(got.options[0].color, "#ff0000");
  EXPECT_FALSE(got.options[1].color.has_value());
  EXPECT_EQ(got.visible_options, 3);
  EXPECT_FALSE(got.allow_overlapping);
  EXPECT_EQ(store_->get_question(ner.id)->description, "Entities ™");

  // One span question per field; unknown field; option and visible_options rules.
  EXPECT_ERROR_KIND(store_->create_question(d.id, QuestionCreate{"ner2", "x", std::nullopt, true,
                                                                 span_settings("text", {"A"})}),
                    ErrorKind::kInvalidArgument, "only one span question per field");
  EXPECT_ERROR_KIND(store_->create_question(d.id, QuestionCreate{"ner3", "x", std::nullopt, true,
                                                                 span_settings("body", {"A"})}),
                    ErrorKind::kInvalidArgument, "refers to field 'body'");
  EXPECT_ERROR_KIND(store_->create_question(d.id, QuestionCreate{"ner", "x", std::nullopt, true,
                                                                 TextQuestionSettings{}}),
                    ErrorKind::kConflict, "question with name 'ner' already exists");
  LabelSelectionSettings dup;
  dup.options = {{"a", "A", std::nullopt, std::nullopt},
                 {"a", "A again", std::nullopt, std::nullopt}};
  EXPECT_ERROR_KIND(
      store_->create_question(d.id, QuestionCreate{"lab", "x", std::nullopt, true, dup}),
      ErrorKind::kInvalidArgument, "option values must be unique; 'a' is repeated");
  LabelSelectionSettings vis;
  vis.options = {{"a", "A", std::nullopt, std::nullopt}, {"b", "B", std::nullopt, std::nullopt}};
  vis.visible_options = 2;
  EXPECT_ERROR_KIND(
      store_->create_question(d.id, QuestionCreate{"lab", "x", std::nullopt, true, vis}),
      ErrorKind::kInvalidArgument, "visible_options must be greater or equal to 3");
  EXPECT_ERROR_KIND(store_->create_question(d.id, QuestionCreate{"rate", "x", std::nullopt, true,
                                                                 RatingQuestionSettings{{1, 11}}}),
                    ErrorKind::kInvalidArgument, "values must be in 0..10");
  SpanQuestionSettings badcolor = span_settings("text", {"X"});
  badcolor.options[0].color = "red";
  EXPECT_ERROR_KIND(
      store_->create_question(d.id, QuestionCreate{"nn", "x", std::nullopt, true, badcolor}),
      ErrorKind::kInvalidArgument, "color 'red'");
  MultiLabelSelectionSettings multi;
  multi.options = vis.options;
  multi.options_order = "suggestion";
  const Question tags =
      store_->create_question(d.id, QuestionCreate{"tags", "Tags", std::nullopt, false, multi});
  EXPECT_EQ(
      std::get<MultiLabelSelectionSettings>(store_->get_question(tags.id)->settings).options_order,
      "suggestion");

  // Updates: text, order and visible_options may change; values, count and type may not;
  // overlap may be switched on but not off.
  SpanQuestionSettings reordered = got;
  std::swap(reordered.options[0], reordered.options[3]);
  reordered.options[1].text = "Organisation";
  reordered.visible_options = 4;
  reordered.allow_overlapping = true;
  QuestionUpdate up;
  up.settings = reordered;
  up.title = "Named entities";
  const Question changed = store_->update_question(ner.id, up);
  EXPECT_EQ(changed.title, "Named entities");
  EXPECT_EQ(std::get<SpanQuestionSettings>(changed.settings).options[0].value, "MISC");
  EXPECT_TRUE(
      std::get<SpanQuestionSettings>(store_->get_question(ner.id)->settings).allow_overlapping);
  reordered.allow_overlapping = false;
  up.settings = reordered;
  EXPECT_ERROR_KIND(store_->update_question(ner.id, up), ErrorKind::kInvalidArgument,
                    "allow_overlapping cannot be changed from true to false");
  reordered.allow_overlapping = true;
  reordered.options[0].value = "THING";
  up.settings = reordered;
  EXPECT_ERROR_KIND(store_->update_question(ner.id, up), ErrorKind::kInvalidArgument,
                    "unexpected option values: ['THING']");
  reordered.options.pop_back();
  up.settings = reordered;
  EXPECT_ERROR_KIND(store_->update_question(ner.id, up), ErrorKind::kInvalidArgument,
                    "number of options cannot be modified");
  up.settings = TextQuestionSettings{};
  EXPECT_ERROR_KIND(store_->update_question(ner.id, up), ErrorKind::kInvalidArgument,
                    "question type cannot be changed");

  EXPECT_EQ(store_->list_questions(d.id).size(), 2u);
  EXPECT_EQ(store_->delete_question(tags.id).name, "tags");
  EXPECT_EQ(store_->list_questions(d.id).size(), 1u);
}

TEST_P(DatasetsTest, DistributionFrozenOnceResponsesExist) {
  const auto f = make_dataset();
  const User u = make_user("u");
  const auto rec = store_->bulk_create_records(f.dataset.id, {text_record("abc")}).records[0];
  DatasetUpdate up;
  up.distribution = Distribution{"overlap", 2};
  EXPECT_NO_THROW(store_->update_dataset(f.dataset.id, up));
  store_->create_response(rec.id, u.id, ResponseInput{ResponseStatus::kDraft, {}});
  up.distribution = Distribution{"overlap", 1};
  EXPECT_ERROR_KIND(store_->update_dataset(f.dataset.id, up), ErrorKind::kFailedPrecondition,
                    "distribution settings cannot be modified");
  up.distribution = Distribution{"random", 1};
  EXPECT_ERROR_KIND(store_->update_dataset(f.dataset.id, up), ErrorKind::kInvalidArgument,
                    "strategy 'random'");
}

TEST_P(DatasetsTest, MetadataPropertiesAndMetrics) {
  const auto f = make_dataset();
  TermsMetadataSettings terms;
  terms.values = std::vector<std::string>{"uspto", "epo", "jpo"};
  const MetadataProperty source = store_->create_metadata_property(
      f.dataset.id, MetadataPropertyCreate{"source", "Source", terms, true});
  const MetadataProperty year = store_->create_metadata_property(
      f.dataset.id,
      MetadataPropertyCreate{"year", "Year", IntegerMetadataSettings{1990, 2030}, false});
  EXPECT_ERROR_KIND(
      store_->create_metadata_property(
          f.dataset.id, MetadataPropertyCreate{"year", "Y", FloatMetadataSettings{}, true}),
      ErrorKind::kConflict, "Metadata property with name `year` already exists");
  EXPECT_ERROR_KIND(
      store_->create_metadata_property(
          f.dataset.id, MetadataPropertyCreate{"r", "R", FloatMetadataSettings{2.0, 1.0}, true}),
      ErrorKind::kInvalidArgument, "must be lower or equal than max");
  EXPECT_FALSE(store_->get_metadata_property(year.id)->visible_for_annotators);
  const auto int_settings =
      std::get<IntegerMetadataSettings>(store_->get_metadata_property(year.id)->settings);
  EXPECT_EQ(int_settings.min, 1990);

  std::vector<RecordInput> items;
  const std::vector<std::string> sources{"uspto", "uspto", "epo"};
  for (int i = 0; i < 3; ++i) {
    RecordInput r = text_record("claim " + std::to_string(i));
    r.metadata = Metadata{{"source", sources[i]}, {"year", std::int64_t{2000 + i}}};
    items.push_back(r);
  }
  store_->bulk_create_records(f.dataset.id, items);
  const MetadataMetrics sm = store_->metadata_property_metrics(source.id);
  EXPECT_EQ(sm.type, MetadataType::kTerms);
  EXPECT_EQ(sm.total, 3);
  ASSERT_EQ(sm.values.size(), 2u);
  EXPECT_EQ(sm.values[0].term, "uspto");
  EXPECT_EQ(sm.values[0].count, 2);
  const MetadataMetrics ym = store_->metadata_property_metrics(year.id);
  EXPECT_EQ(ym.min, 2000);
  EXPECT_EQ(ym.max, 2002);

  // A property created after the records indexes the values they already carry.
  const MetadataProperty late = store_->create_metadata_property(
      f.dataset.id, MetadataPropertyCreate{"src2", "Copy", TermsMetadataSettings{}, true});
  EXPECT_EQ(store_->metadata_property_metrics(late.id).total, 0);
  RecordInput extra = text_record("late");
  extra.metadata = Metadata{{"colour", std::string("blue")}};
  store_->bulk_create_records(f.dataset.id, {extra});
  const MetadataProperty colour = store_->create_metadata_property(
      f.dataset.id, MetadataPropertyCreate{"colour", "Colour", TermsMetadataSettings{}, true});
  EXPECT_EQ(store_->metadata_property_metrics(colour.id).total, 1);

  MetadataPropertyUpdate up;
  up.title = "Patent office";
  up.visible_for_annotators = false;
  EXPECT_EQ(store_->update_metadata_property(source.id, up).title, "Patent office");
  EXPECT_EQ(store_->list_metadata_properties(f.dataset.id).size(), 4u);
  store_->delete_metadata_property(source.id);
  EXPECT_FALSE(store_->get_metadata_property(source.id));
  EXPECT_ERROR_KIND(store_->metadata_property_metrics(source.id), ErrorKind::kNotFound,
                    "Metadata property");
}

TEST_P(DatasetsTest, VectorSettings) {
  const auto f = make_dataset();
  const VectorSettings v =
      store_->create_vector_settings(f.dataset.id, VectorSettingsCreate{"emb", "Embedding", 3});
  EXPECT_EQ(store_->get_vector_settings(v.id)->dimensions, 3);
  EXPECT_ERROR_KIND(
      store_->create_vector_settings(f.dataset.id, VectorSettingsCreate{"emb", "x", 3}),
      ErrorKind::kConflict, "already exists");
  EXPECT_ERROR_KIND(
      store_->create_vector_settings(f.dataset.id, VectorSettingsCreate{"zero", "x", 0}),
      ErrorKind::kInvalidArgument, "dimensions must be greater than 0");
  EXPECT_EQ(store_->update_vector_settings(v.id, "Sentence embedding").title, "Sentence embedding");
  RecordInput r = text_record("vectors");
  r.vectors["emb"] = {0.25f, -1.5f, 3.0f};
  const auto rec = store_->bulk_create_records(f.dataset.id, {r}).records[0];
  RecordInclude inc;
  inc.vectors = true;
  const auto got = store_->get_record(rec.id, inc);
  ASSERT_TRUE(got->vectors.has_value());
  EXPECT_EQ(got->vectors->at("emb"), (std::vector<float>{0.25f, -1.5f, 3.0f}));
  r.vectors["emb"] = {1.0f};
  EXPECT_ERROR_KIND(store_->bulk_create_records(f.dataset.id, {r}), ErrorKind::kInvalidArgument,
                    "vector value for vector name=emb must have 3 elements, got 1 elements");
  EXPECT_EQ(store_->list_vector_settings(f.dataset.id).size(), 1u);
  store_->delete_vector_settings(v.id);
  EXPECT_TRUE(store_->get_record(rec.id, inc)->vectors->empty());
}

TEST_P(DatasetsTest, DeletingADatasetRemovesEverythingBelowIt) {
  const auto f = make_dataset();
  const User u = make_user("u");
  auto recs = store_
                  ->bulk_create_records(f.dataset.id,
                                        {text_record("Paris is in France"), text_record("Berlin")})
                  .records;
  store_->create_response(
      recs[0].id, u.id,
      ResponseInput{ResponseStatus::kSubmitted, {{"ner", spans({{"LOC", 0, 5}})}}});
  store_->upsert_suggestion(
      recs[1].id, SuggestionInput{f.ner.id, "", spans({{"LOC", 0, 6}}), std::vector<double>{0.9},
                                  "m", SuggestionType::kModel});
  store_->delete_dataset(f.dataset.id);
  EXPECT_FALSE(store_->get_record(recs[0].id));
  // A new dataset reusing the words finds nothing of the old one.
  const auto g = make_dataset("again");
  store_->bulk_create_records(g.dataset.id, {text_record("Rome")});
  SearchQuery q;
  q.dataset_id = g.dataset.id;
  q.text = TextQuery{"paris", std::nullopt};
  EXPECT_EQ(store_->search(q).total, 0);
}

}  // namespace
}  // namespace spanloop::store::testing
