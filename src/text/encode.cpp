// Per-scheme tag writing for one layer of token spans.
#include "text/encode.h"

#include <algorithm>

#include "text/error.h"

namespace spanloop::text {

void encode_layer(std::span<const TokenSpan> layer, const LabelMap& map, std::span<int> tags) {
  std::fill(tags.begin(), tags.end(), LabelMap::kOutside);
  const Scheme scheme = map.scheme();
  for (std::size_t k = 0; k < layer.size(); ++k) {
    const TokenSpan& s = layer[k];
    if (s.begin >= s.end || s.end > tags.size() || s.label >= map.labels().size()) {
      throw Error(ErrorKind::kInternal, "encode_layer: token span out of range");
    }
    const int inside = map.tag_id(s.label, 'I');
    std::fill(tags.begin() + static_cast<std::ptrdiff_t>(s.begin),
              tags.begin() + static_cast<std::ptrdiff_t>(s.end), inside);
    const std::size_t last = s.end - 1;
    switch (scheme) {
      case Scheme::kIO:
        break;
      case Scheme::kIOB2:
        if (!s.open_begin) tags[s.begin] = map.tag_id(s.label, 'B');
        break;
      case Scheme::kIOB1:
        if (!s.open_begin && k > 0 && layer[k - 1].end == s.begin &&
            layer[k - 1].label == s.label) {
          tags[s.begin] = map.tag_id(s.label, 'B');
        }
        break;
      case Scheme::kIOE2:
        if (!s.open_end) tags[last] = map.tag_id(s.label, 'E');
        break;
      case Scheme::kIOE1:
        if (!s.open_end && k + 1 < layer.size() && layer[k + 1].begin == s.end &&
            layer[k + 1].label == s.label) {
          tags[last] = map.tag_id(s.label, 'E');
        }
        break;
      case Scheme::kIOBES:
      case Scheme::kBILOU: {
        const bool bilou = scheme == Scheme::kBILOU;
        if (s.end - s.begin == 1) {
          if (!s.open_begin && !s.open_end) {
            tags[s.begin] = map.tag_id(s.label, bilou ? 'U' : 'S');
          } else if (!s.open_begin) {
            tags[s.begin] = map.tag_id(s.label, 'B');
          } else if (!s.open_end) {
            tags[s.begin] = map.tag_id(s.label, bilou ? 'L' : 'E');
          }
        } else {
          if (!s.open_begin) tags[s.begin] = map.tag_id(s.label, 'B');
          if (!s.open_end) tags[last] = map.tag_id(s.label, bilou ? 'L' : 'E');
        }
        break;
      }
    }
  }
}

}  // namespace spanloop::text
