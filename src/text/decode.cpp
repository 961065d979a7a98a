// The three decoders. Semantics follow the public sources of seqeval 1.2.2
// (metrics/sequence_labeling.py get_entities, scheme.py Tokens.entities) and conlleval.pl
// (2004-01-26); see docs/text.md.
#include "text/decode.h"

#include <array>

#include "text/error.h"

namespace spanloop::text {

DecodeMode parse_decode_mode(std::string_view name) {
  if (name == "default") return DecodeMode::kDefault;
  if (name == "strict") return DecodeMode::kStrict;
  if (name == "conlleval") return DecodeMode::kConlleval;
  throw Error(ErrorKind::kInvalidArgument, "unknown decoding mode '" + std::string(name) +
                                               "' (expected default, strict or conlleval)");
}

std::string_view decode_mode_name(DecodeMode mode) {
  switch (mode) {
    case DecodeMode::kDefault:
      return "default";
    case DecodeMode::kStrict:
      return "strict";
    case DecodeMode::kConlleval:
      return "conlleval";
  }
  return "default";
}

void DefaultDecoder::step(char32_t tag, TypeId type, std::vector<Chunk>& out) {
  const char32_t prev = prev_tag_;
  // end_of_chunk(prev_tag, tag, prev_type, type_)
  bool end = prev == 'E' || prev == 'S' ||
             ((prev == 'B' || prev == 'I') && (tag == 'B' || tag == 'S' || tag == 'O'));
  if (prev != 'O' && prev != '.' && prev_type_ != type) end = true;
  if (end) out.push_back({begin_, position_, prev_type_});
  // start_of_chunk(prev_tag, tag, prev_type, type_)
  bool start = tag == 'B' || tag == 'S' ||
               ((prev == 'E' || prev == 'S' || prev == 'O') && (tag == 'E' || tag == 'I'));
  if (tag != 'O' && tag != '.' && prev_type_ != type) start = true;
  if (start) begin_ = position_;
  prev_tag_ = tag;
  prev_type_ = type;
  ++position_;
}

namespace {

// seqeval scheme patterns as lookup tables: [prev prefix][current prefix][same type].
using PatternTable =
    std::array<std::array<std::array<bool, 2>, kStrictPrefixCount>, kStrictPrefixCount>;

struct Pattern {
  unsigned prev;  // bit mask of StrictPrefix values
  unsigned cur;
  int same;  // 1: same type, 0: different type, -1: any
};

constexpr unsigned bit(StrictPrefix p) {
  return 1u << static_cast<unsigned>(p);
}
constexpr unsigned kI = bit(StrictPrefix::kI), kO = bit(StrictPrefix::kO),
                   kB = bit(StrictPrefix::kB), kE = bit(StrictPrefix::kE),
                   kS = bit(StrictPrefix::kS), kU = bit(StrictPrefix::kU),
                   kL = bit(StrictPrefix::kL);
constexpr unsigned kAny = kI | kO | kB | kE | kS | kU | kL;
constexpr int kSame = 1, kDiff = 0, kAnyTag = -1;

PatternTable table(std::initializer_list<Pattern> patterns) {
  PatternTable t{};
  for (const Pattern& p : patterns) {
    for (std::size_t a = 0; a < kStrictPrefixCount; ++a) {
      for (std::size_t b = 0; b < kStrictPrefixCount; ++b) {
        for (int same = 0; same < 2; ++same) {
          if ((p.prev >> a & 1u) && (p.cur >> b & 1u) && (p.same == kAnyTag || p.same == same)) {
            t[a][b][static_cast<std::size_t>(same)] = true;
          }
        }
      }
    }
  }
  return t;
}

struct SchemeRules {
  unsigned allowed;
  PatternTable start, inside, end;
};

const SchemeRules& rules_for(Scheme scheme) {
  static const SchemeRules iob1{kI | kO | kB,
                                table({{kO, kI, kAnyTag},
                                       {kI, kI, kDiff},
                                       {kB, kI, kAnyTag},
                                       {kI, kB, kSame},
                                       {kB, kB, kSame}}),
                                table({{kB, kI, kSame}, {kI, kI, kSame}}),
                                table({{kI, kI, kDiff},
                                       {kI, kO, kAnyTag},
                                       {kI, kB, kAnyTag},
                                       {kB, kO, kAnyTag},
                                       {kB, kI, kDiff},
                                       {kB, kB, kSame}})};
  static const SchemeRules ioe1{
      kI | kO | kE, table({{kO, kI, kAnyTag}, {kI, kI, kDiff}, {kE, kI, kAnyTag}, {kE, kE, kSame}}),
      table({{kI, kI, kSame}, {kI, kE, kSame}}),
      table(
          {{kI, kI, kDiff}, {kI, kO, kAnyTag}, {kI, kE, kDiff}, {kE, kI, kSame}, {kE, kE, kSame}})};
  static const SchemeRules iob2{kI | kO | kB, table({{kAny, kB, kAnyTag}}),
                                table({{kB, kI, kSame}, {kI, kI, kSame}}),
                                table({{kI, kO, kAnyTag},
                                       {kI, kI, kDiff},
                                       {kI, kB, kAnyTag},
                                       {kB, kO, kAnyTag},
                                       {kB, kI, kDiff},
                                       {kB, kB, kAnyTag}})};
  static const SchemeRules ioe2{kI | kO | kE,
                                table({{kO, kI, kAnyTag},
                                       {kO, kE, kAnyTag},
                                       {kE, kI, kAnyTag},
                                       {kE, kE, kAnyTag},
                                       {kI, kI, kDiff},
                                       {kI, kE, kDiff}}),
                                table({{kI, kE, kSame}, {kI, kI, kSame}}),
                                table({{kE, kAny, kAnyTag}})};
  static const SchemeRules iobes{
      kI | kO | kB | kE | kS, table({{kAny, kB, kAnyTag}, {kAny, kS, kAnyTag}}),
      table({{kB, kI, kSame}, {kB, kE, kSame}, {kI, kI, kSame}, {kI, kE, kSame}}),
      table({{kS, kAny, kAnyTag}, {kE, kAny, kAnyTag}})};
  static const SchemeRules bilou{
      kB | kI | kL | kO | kU, table({{kAny, kB, kAnyTag}, {kAny, kU, kAnyTag}}),
      table({{kB, kI, kSame}, {kB, kL, kSame}, {kI, kI, kSame}, {kI, kL, kSame}}),
      table({{kU, kAny, kAnyTag}, {kL, kAny, kAnyTag}})};
  switch (scheme) {
    case Scheme::kIOB1:
      return iob1;
    case Scheme::kIOE1:
      return ioe1;
    case Scheme::kIOB2:
      return iob2;
    case Scheme::kIOE2:
      return ioe2;
    case Scheme::kIOBES:
      return iobes;
    case Scheme::kBILOU:
      return bilou;
    case Scheme::kIO:
      break;
  }
  check_strict_scheme(scheme);
  return iob2;
}

struct StrictToken {
  std::size_t prefix;
  TypeId type;
};

bool check(const PatternTable& t, StrictToken prev, StrictToken cur) {
  return t[prev.prefix][cur.prefix][prev.type == cur.type ? 1 : 0];
}

// seqeval Tokens.entities over one sentence plus the trailing "O" sentinel.
void decode_strict(std::span<const TagId> tags, const TagSet& set, Scheme scheme,
                   std::vector<Chunk>& out) {
  const SchemeRules& rules = rules_for(scheme);
  const auto n = tags.size();
  const StrictToken outside{static_cast<std::size_t>(StrictPrefix::kO), TagSet::kUnderscoreType};
  auto token = [&](std::size_t i) -> StrictToken {
    if (i == n) return outside;
    const ParsedTag& p = set.parsed(tags[i]);
    return {static_cast<std::size_t>(p.strict_prefix), p.strict_type};
  };
  for (std::size_t i = 0; i < n; ++i) {
    const ParsedTag& p = set.parsed(tags[i]);
    if (p.strict_prefix == StrictPrefix::kUnknown ||
        !(rules.allowed >> static_cast<unsigned>(p.strict_prefix) & 1u)) {
      throw Error(ErrorKind::kInvalidArgument, "tag '" + set.tag(tags[i]) + "' at token " +
                                                   std::to_string(i) +
                                                   " is not valid in strict mode for scheme " +
                                                   std::string(scheme_name(scheme)));
    }
  }
  std::size_t i = 0;
  StrictToken prev = outside;
  while (i <= n) {
    const StrictToken cur = token(i);
    if (check(rules.start, prev, cur)) {
      // _forward: extend while tokens are "inside"; the sentinel never is.
      std::size_t end = i + 1;
      StrictToken last = cur;
      while (end <= n && check(rules.inside, last, token(end))) last = token(end++);
      // (end <= n always: the sentinel "O" is never inside an entity in any scheme.)
      if (check(rules.end, token(end - 1), token(end))) out.push_back({i, end, cur.type});
      i = end;
    } else {
      ++i;
    }
    prev = token(i - 1);
  }
}

// conlleval's chunk boundaries, over one sentence; a boundary (O, O) closes it.
bool conll_end(char prev, char tag, TypeId prev_type, TypeId type) {
  bool end = (prev == 'B' && (tag == 'B' || tag == 'O')) ||
             (prev == 'I' && (tag == 'B' || tag == 'O')) ||
             (prev == 'E' && (tag == 'E' || tag == 'I' || tag == 'O'));
  if (prev != 'O' && prev != '.' && prev_type != type) end = true;
  return end || prev == ']' || prev == '[';
}

bool conll_start(char prev, char tag, TypeId prev_type, TypeId type) {
  bool start = (tag == 'B' && (prev == 'B' || prev == 'I' || prev == 'O')) ||
               (prev == 'O' && (tag == 'I' || tag == 'E')) ||
               (prev == 'E' && (tag == 'E' || tag == 'I'));
  if (tag != 'O' && tag != '.' && prev_type != type) start = true;
  return start || tag == '[' || tag == ']';
}

void decode_conlleval(std::span<const TagId> tags, const TagSet& set, std::vector<Chunk>& out) {
  char prev = 'O';
  TypeId prev_type = TagSet::kEmptyType;
  std::optional<Chunk> open;
  for (std::size_t i = 0; i <= tags.size(); ++i) {
    char tag = 'O';
    TypeId type = TagSet::kEmptyType;
    if (i < tags.size()) {
      const ParsedTag& p = set.parsed(tags[i]);
      tag = p.conll_kind;  // 0 for chunk tags conlleval has no rule for
      type = p.conll_type;
    }
    const bool end = conll_end(prev, tag, prev_type, type);
    const bool start = conll_start(prev, tag, prev_type, type);
    if (open && (end || start)) {
      open->end = i;
      out.push_back(*open);
      open.reset();
    }
    if (start) open = Chunk{i, i, type};
    prev = tag;
    prev_type = type;
  }
}

}  // namespace

void check_strict_scheme(Scheme scheme) {
  if (scheme == Scheme::kIO) {
    throw Error(ErrorKind::kInvalidArgument,
                "strict mode has no rules for the IO scheme (seqeval's strict mode supports IOB1, "
                "IOB2, IOE1, IOE2, IOBES and BILOU); use the default mode");
  }
}

std::vector<Chunk> decode_chunks(std::span<const TagId> tags, const TagSet& tag_set,
                                 DecodeMode mode, std::optional<Scheme> scheme) {
  std::vector<Chunk> out;
  switch (mode) {
    case DecodeMode::kDefault: {
      DefaultDecoder decoder;
      for (TagId t : tags) decoder.feed(tag_set.parsed(t), out);
      decoder.end_sentence(out);
      break;
    }
    case DecodeMode::kStrict:
      if (!scheme) throw_invalid("strict decoding needs a scheme");
      decode_strict(tags, tag_set, *scheme, out);
      break;
    case DecodeMode::kConlleval:
      decode_conlleval(tags, tag_set, out);
      break;
  }
  return out;
}

std::optional<Scheme> SchemeDetector::detect() const {
  auto is = [&](std::initializer_list<std::initializer_list<StrictPrefix>> sets) {
    for (auto set : sets) {
      unsigned mask = 0;
      for (StrictPrefix p : set) mask |= 1u << static_cast<unsigned>(p);
      if (mask == seen_) return true;
    }
    return false;
  };
  using P = StrictPrefix;
  if (is({{P::kI, P::kO, P::kB}, {P::kI, P::kB}, {P::kB, P::kO}, {P::kB}})) return Scheme::kIOB2;
  if (is({{P::kI, P::kO, P::kE}, {P::kI, P::kE}, {P::kE, P::kO}, {P::kE}})) return Scheme::kIOE2;
  if (is({{P::kI, P::kO, P::kB, P::kE, P::kS},
          {P::kI, P::kB, P::kE, P::kS},
          {P::kI, P::kO, P::kB, P::kE},
          {P::kO, P::kB, P::kE, P::kS},
          {P::kI, P::kB, P::kE},
          {P::kB, P::kE, P::kS},
          {P::kO, P::kB, P::kE},
          {P::kB, P::kE},
          {P::kS}})) {
    return Scheme::kIOBES;
  }
  if (is({{P::kI, P::kO, P::kB, P::kL, P::kU},
          {P::kI, P::kB, P::kL, P::kU},
          {P::kI, P::kO, P::kB, P::kL},
          {P::kO, P::kB, P::kL, P::kU},
          {P::kI, P::kB, P::kL},
          {P::kB, P::kL, P::kU},
          {P::kO, P::kB, P::kL},
          {P::kB, P::kL},
          {P::kU}})) {
    return Scheme::kBILOU;
  }
  return std::nullopt;
}

std::string SchemeDetector::prefixes() const {
  static constexpr const char* kNames[] = {"I", "O", "B", "E", "S", "U", "L", "other"};
  std::string out = "{";
  for (unsigned i = 0; i < kStrictPrefixCount; ++i) {
    if (seen_ >> i & 1u) out += std::string(out.size() > 1 ? ", " : "") + kNames[i];
  }
  return out + "}";
}

std::vector<Span> tags_to_spans(std::span<const std::string> tags, std::span<const Token> tokens,
                                DecodeMode mode, std::optional<Scheme> scheme) {
  if (tags.size() != tokens.size()) {
    throw_invalid("tags_to_spans: " + std::to_string(tags.size()) + " tags for " +
                  std::to_string(tokens.size()) + " tokens");
  }
  TagSet set;
  std::vector<TagId> ids;
  ids.reserve(tags.size());
  for (const std::string& t : tags) ids.push_back(set.intern(t));
  std::vector<Span> spans;
  for (const Chunk& c : decode_chunks(ids, set, mode, scheme)) {
    spans.push_back({tokens[c.begin].start, tokens[c.end - 1].end, set.type_name(c.type)});
  }
  return spans;
}

}  // namespace spanloop::text
