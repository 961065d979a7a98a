// `spanloop serve --demo`: a ready-to-annotate workspace with a "patent-claims" dataset (a span
// question with Material/Component/Process/Property/Value labels, 20 claims from
// examples/patent-claims.jsonl, model suggestions on some) and an annotator. Idempotent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace spanloop::store {
class Store;
}

namespace spanloop::server {

// Known passwords exist only in demo mode, which `serve` allows on loopback hosts only.
inline constexpr std::string_view kDemoOwnerPassword = "spanloop-demo";
inline constexpr std::string_view kDemoAnnotatorPassword = "annotate-demo";

struct DemoResult {
  std::string workspace;
  std::string dataset;
  std::string dataset_id;
  std::string annotator;
  std::string annotator_password;
  std::int64_t records = 0;
};

DemoResult seed_demo(store::Store& store);

// The embedded examples/patent-claims.jsonl (one claim per line; "suggestions" as
// [label, exact text] pairs found left to right).
std::string_view demo_claims_jsonl();

}  // namespace spanloop::server
