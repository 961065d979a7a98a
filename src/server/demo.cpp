// Seeding the demo workspace, dataset, records and annotator through the Store.
#include "server/demo.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "server/accounts.h"
#include "server/json_models.h"
#include "store/store.h"
#include "text/error.h"
#include "text/utf8.h"

namespace spanloop::server {
namespace {

constexpr std::string_view kWorkspace = "demo";
constexpr std::string_view kDataset = "patent-claims";
constexpr std::string_view kAnnotator = "annotator";
constexpr std::string_view kQuestion = "entities";

store::LabelOption label(const char* value, const char* color, const char* description) {
  return store::LabelOption{value, value, description, color};
}

store::Dataset create_dataset(store::Store& store, const std::string& workspace_id) {
  store::DatasetCreate c;
  c.workspace_id = workspace_id;
  c.name = kDataset;
  c.guidelines =
      "Mark every entity in the claim with one label.\n\n"
      "- **Material**: substances and compositions (copper, zirconia powder).\n"
      "- **Component**: parts and devices (heat exchanger, gate electrode).\n"
      "- **Process**: steps and treatments (sintering, brazed, coated).\n"
      "- **Property**: measurable characteristics (thickness, porosity).\n"
      "- **Value**: numbers with units or ranges (4 mm, 30% to 40%, κ ≥ 20).\n\n"
      "Do not include the claim number or articles (a, the).";
  auto d = store.create_dataset(c);
  store.create_field(d.id, store::FieldCreate{"text", "Claim", true, false});
  store::SpanQuestionSettings span;
  span.field = "text";
  span.options = {label("Material", "#4e79a7", "Substances and compositions"),
                  label("Component", "#f28e2b", "Parts, devices and structures"),
                  label("Process", "#59a14f", "Steps, methods and treatments"),
                  label("Property", "#b07aa1", "Measurable characteristics"),
                  label("Value", "#e15759", "Numbers with units, ranges")};
  store::QuestionCreate q;
  q.name = kQuestion;
  q.title = "Entities";
  q.description = "Select a label, then the words in the claim.";
  q.settings = span;
  store.create_question(d.id, q);
  store.create_metadata_property(
      d.id, store::MetadataPropertyCreate{
                "claim_type", "Claim type",
                store::TermsMetadataSettings{std::vector<std::string>{"independent", "dependent"}},
                true});
  store.create_metadata_property(
      d.id, store::MetadataPropertyCreate{"technology", "Technology",
                                          store::TermsMetadataSettings{}, true});
  return store.publish_dataset(d.id);
}

// Suggestions come as [label, text] pairs: each text is searched after the previous one.
store::SuggestionInput suggestion_from(const nlohmann::json& pairs, const std::string& text,
                                       const std::string& question_id, const std::string& where) {
  store::SuggestionInput s;
  s.question_id = question_id;
  s.agent = "spanloop-demo-rules";
  s.type = store::SuggestionType::kModel;
  std::vector<store::SpanValue> spans;
  std::vector<double> scores;
  std::size_t from = 0;
  for (const auto& pair : pairs) {
    auto lab = pair.at(0).get<std::string>();
    auto needle = pair.at(1).get<std::string>();
    auto at = text.find(needle, from);
    if (at == std::string::npos)
      throw_invalid(where + ": suggestion text `" + needle + "` not found");
    auto start =
        static_cast<std::int64_t>(text::count_code_points(std::string_view(text).substr(0, at)));
    auto len = static_cast<std::int64_t>(text::count_code_points(needle));
    spans.push_back(store::SpanValue{lab, start, start + len});
    scores.push_back(0.6 + 0.05 * static_cast<double>(spans.size() % 7));
    from = at + needle.size();
  }
  s.value = std::move(spans);
  s.score = std::move(scores);
  return s;
}

std::vector<store::RecordInput> demo_records(const std::string& question_id) {
  std::vector<store::RecordInput> out;
  std::istringstream in{std::string(demo_claims_jsonl())};
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    std::string where = "examples/patent-claims.jsonl:" + std::to_string(line_no);
    auto j = nlohmann::json::parse(line);
    store::RecordInput r;
    r.external_id = j.at("external_id").get<std::string>();
    r.fields["text"] = j.at("text").get<std::string>();
    if (j.contains("metadata")) r.metadata = metadata_from_json(j["metadata"], where);
    if (j.contains("suggestions")) {
      r.suggestions.push_back(
          suggestion_from(j["suggestions"], r.fields["text"], question_id, where));
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

DemoResult seed_demo(store::Store& store) {
  DemoResult out;
  out.workspace = kWorkspace;
  out.dataset = kDataset;
  out.annotator = kAnnotator;
  out.annotator_password = kDemoAnnotatorPassword;

  auto ws = store.get_workspace_by_name(std::string(kWorkspace));
  if (!ws) ws = store.create_workspace(std::string(kWorkspace));

  auto annotator = store.get_user_by_username(std::string(kAnnotator));
  if (!annotator) {
    accounts::NewUser u;
    u.username = kAnnotator;
    u.first_name = "Demo";
    u.last_name = "Annotator";
    u.role = store::Role::kAnnotator;
    u.password = kDemoAnnotatorPassword;
    annotator = accounts::create_user(store, u);
  }
  if (!store.is_workspace_member(ws->id, annotator->id)) {
    store.add_workspace_user(ws->id, annotator->id);
  }

  store::DatasetFilter f;
  f.workspace_id = ws->id;
  f.name = std::string(kDataset);
  auto found = store.list_datasets(f);
  std::optional<store::Dataset> dataset;
  if (!found.empty()) dataset = found.front();
  // A draft left by an interrupted seeding is rebuilt from scratch.
  if (dataset && dataset->status == store::DatasetStatus::kDraft) {
    store.delete_dataset(dataset->id);
    dataset.reset();
  }
  if (!dataset) dataset = create_dataset(store, ws->id);
  out.dataset_id = dataset->id;

  std::string question_id;
  for (const auto& q : store.list_questions(dataset->id)) {
    if (q.name == kQuestion) question_id = q.id;
  }
  if (question_id.empty()) {
    throw Error(ErrorKind::kFailedPrecondition,
                "dataset `patent-claims` exists without the `entities` question; delete it to "
                "re-seed the demo");
  }
  // Upsert by external_id: running the demo again changes nothing.
  auto result = store.bulk_upsert_records(dataset->id, demo_records(question_id));
  out.records = store.dataset_progress(dataset->id).total;
  (void)result;
  return out;
}

}  // namespace spanloop::server
