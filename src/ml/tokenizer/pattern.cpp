// JSON helpers with located errors, and the String/Regex patterns of Replace and Split (RE2,
// with Oniguruma's Unicode meaning of \s, \d and \w).
#include <re2/re2.h>

#include "ml/tokenizer/components.h"
#include "text/error.h"
#include "text/utf8.h"

namespace spanloop::ml::tok {

void JsonContext::fail(const std::string& message) const {
  std::string where = source;
  if (!path.empty()) where += (where.empty() ? "" : ": ") + std::string("at ") + path;
  throw Error(ErrorKind::kInvalidArgument, where + ": " + message);
}

const Json& JsonContext::field(const Json& j, std::string_view key) const {
  if (!j.is_object()) fail("expected an object, found " + type_of(j));
  const auto it = j.find(std::string(key));
  if (it == j.end()) at(key).fail("missing field '" + std::string(key) + "'");
  return *it;
}

std::string JsonContext::type_of(const Json& j) const {
  return j.type_name();
}

std::string JsonContext::get_string(const Json& j, std::string_view key) const {
  const auto& v = field(j, key);
  if (!v.is_string()) at(key).fail("expected a string, found " + type_of(v));
  return v.get<std::string>();
}

std::optional<std::string> JsonContext::get_optional_string(const Json& j,
                                                            std::string_view key) const {
  const auto it = j.find(std::string(key));
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) at(key).fail("expected a string or null, found " + type_of(*it));
  return it->get<std::string>();
}

bool JsonContext::get_bool(const Json& j, std::string_view key, bool fallback) const {
  const auto it = j.find(std::string(key));
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) at(key).fail("expected true or false, found " + type_of(*it));
  return it->get<bool>();
}

std::int64_t JsonContext::get_int(const Json& j, std::string_view key,
                                  std::int64_t fallback) const {
  const auto it = j.find(std::string(key));
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() && !it->is_number_unsigned()) {
    at(key).fail("expected an integer, found " + type_of(*it));
  }
  return it->get<std::int64_t>();
}

namespace {

constexpr const char* kUnicodeSpace =
    "\\t\\n\\x{0b}\\f\\r \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}"
    "\\x{205f}\\x{3000}";
constexpr const char* kUnicodeWord = "\\p{L}\\p{M}\\p{N}\\p{Pc}";

// Rewrites the Unicode-aware Oniguruma classes \s \S \d \D \w \W into RE2 syntax.
std::string translate_onig(std::string_view p) {
  std::string out;
  bool in_class = false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      const char n = p[i + 1];
      ++i;
      const char* set = nullptr;
      bool negated = false;
      switch (n) {
        case 's':
          set = kUnicodeSpace;
          break;
        case 'S':
          set = kUnicodeSpace;
          negated = true;
          break;
        case 'd':
          set = "\\p{Nd}";
          break;
        case 'D':
          set = "\\p{Nd}";
          negated = true;
          break;
        case 'w':
          set = kUnicodeWord;
          break;
        case 'W':
          set = kUnicodeWord;
          negated = true;
          break;
        default:
          break;
      }
      if (set && !(in_class && negated)) {
        if (in_class) {
          out += set;
        } else {
          out += negated ? "[^" : "[";
          out += set;
          out += "]";
        }
      } else {
        out += '\\';
        out += n;
      }
      continue;
    }
    if (c == '[' && !in_class)
      in_class = true;
    else if (c == ']' && in_class)
      in_class = false;
    out += c;
  }
  return out;
}

}  // namespace

struct Pattern::Regex {
  explicit Regex(const std::string& p) : re(p, RE2::Quiet) {}
  RE2 re;
};

Pattern::Pattern() = default;
Pattern::~Pattern() = default;
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;

Pattern Pattern::from_json(const Json& j, const JsonContext& ctx) {
  if (!j.is_object()) ctx.fail("expected a pattern {\"String\": ...} or {\"Regex\": ...}");
  Pattern p;
  if (j.contains("String")) {
    p.literal_ = ctx.get_string(j, "String");
    return p;
  }
  if (j.contains("Regex")) {
    const auto source = ctx.get_string(j, "Regex");
    p.regex_ = std::make_unique<Regex>(translate_onig(source));
    if (!p.regex_->re.ok()) {
      ctx.at("Regex").fail("unsupported regex '" + source + "': " + p.regex_->re.error());
    }
    return p;
  }
  ctx.fail("expected a pattern {\"String\": ...} or {\"Regex\": ...}");
}

std::vector<Match> Pattern::find_matches(std::string_view s) const {
  if (!regex_) return find_string_matches(s, literal_);
  const auto n = static_cast<std::uint32_t>(s.size());
  if (s.empty()) return {{0, 0, false}};
  std::vector<Match> out;
  std::uint32_t prev = 0;
  std::size_t pos = 0;
  re2::StringPiece input(s.data(), s.size());
  re2::StringPiece m;
  while (pos <= s.size() && regex_->re.Match(input, pos, s.size(), RE2::UNANCHORED, &m, 1)) {
    const auto b = static_cast<std::uint32_t>(m.data() - s.data());
    const auto e = b + static_cast<std::uint32_t>(m.size());
    if (prev != b) out.push_back({prev, b, false});
    out.push_back({b, e, true});
    prev = e;
    if (e == b) {  // empty match: step over one character
      if (e >= s.size()) break;
      pos = e + text::utf8_sequence_length(static_cast<unsigned char>(s[e]));
    } else {
      pos = e;
    }
  }
  if (prev != n) out.push_back({prev, n, false});
  return out;
}

}  // namespace spanloop::ml::tok
