// Claim-text generator: a fixed vocabulary, expanded with numbered technical terms.
#include "claim_text.h"

namespace spanloop::bench {

namespace {
const char* const kBase[] = {
    "the",         "a",           "of",
    "and",         "said",        "wherein",
    "to",          "in",          "comprising",
    "first",       "second",      "layer",
    "is",          "device",      "method",
    "which",       "at",          "least",
    "one",         "substrate",   "surface",
    "configured",  "by",          "having",
    "portion",     "region",      "semiconductor",
    "wafer",       "silicon",     "electrode",
    "signal",      "circuit",     "member",
    "plurality",   "each",        "between",
    "from",        "on",          "unit",
    "control",     "system",      "formed",
    "disposed",    "thickness",   "κ-value",
    "µm",          "°C",          "≤",
    "temperature", "pressure",    "polymer",
    "composition", "weight",      "percent",
    "acid",        "oxide",       "nitride",
    "metal",       "gate",        "dielectric",
    "transistor",  "channel",     "source",
    "drain",       "voltage",     "current",
    "frequency",   "antenna",     "housing",
    "shaft",       "bearing",     "valve",
    "fluid",       "chamber",     "sensor",
    "processor",   "memory",      "instructions",
    "data",        "network",     "wireless",
    "receiver",    "transmitter", "module",
    "optical",     "lens",        "light",
    "emitting",    "diode",       "laser",
    "fiber",       "coating",     "particle",
    "catalyst",
};
}  // namespace

ClaimText::ClaimText(std::uint64_t seed) : rng_(seed) {
  for (const char* w : kBase) vocab_.emplace_back(w);
  // Rarer technical terms ("term1234") give a long tail of selective search words.
  for (int i = 0; i < 20000; ++i) vocab_.push_back("term" + std::to_string(i));
  std::vector<double> weights;
  for (std::size_t r = 0; r < vocab_.size(); ++r)
    weights.push_back(1.0 / static_cast<double>(r + 1));
  zipf_ = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());
}

std::string ClaimText::claim(int words) {
  std::string out = "A " + vocab_[13 + rng_() % 8] + " comprising";
  for (int i = 0; i < words; ++i) {
    out += ' ';
    out += vocab_[zipf_(rng_)];
    if (i % 17 == 16) out += ',';
  }
  return out + '.';
}

}  // namespace spanloop::bench
