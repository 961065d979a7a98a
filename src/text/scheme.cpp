// Scheme names and prefix tables.
#include "text/scheme.h"

#include <array>
#include <cctype>

#include "text/error.h"

namespace spanloop::text {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Scheme parse_scheme(std::string_view name) {
  const std::string n = lower(name);
  if (n == "io") return Scheme::kIO;
  if (n == "iob1") return Scheme::kIOB1;
  if (n == "iob2" || n == "bio") return Scheme::kIOB2;
  if (n == "ioe1") return Scheme::kIOE1;
  if (n == "ioe2") return Scheme::kIOE2;
  if (n == "iobes" || n == "bioes") return Scheme::kIOBES;
  if (n == "bilou") return Scheme::kBILOU;
  throw Error(ErrorKind::kInvalidArgument,
              "unknown tagging scheme '" + std::string(name) +
                  "' (expected one of: io, iob1, iob2, bio, ioe1, ioe2, iobes, bioes, bilou)");
}

std::string_view scheme_name(Scheme scheme) {
  switch (scheme) {
    case Scheme::kIO:
      return "IO";
    case Scheme::kIOB1:
      return "IOB1";
    case Scheme::kIOB2:
      return "IOB2";
    case Scheme::kIOE1:
      return "IOE1";
    case Scheme::kIOE2:
      return "IOE2";
    case Scheme::kIOBES:
      return "IOBES";
    case Scheme::kBILOU:
      return "BILOU";
  }
  return "IOB2";
}

std::span<const char> scheme_prefixes(Scheme scheme) {
  static constexpr std::array<char, 1> kIo{'I'};
  static constexpr std::array<char, 2> kIob{'B', 'I'};
  static constexpr std::array<char, 2> kIoe{'I', 'E'};
  static constexpr std::array<char, 4> kIobes{'B', 'I', 'E', 'S'};
  static constexpr std::array<char, 4> kBilou{'B', 'I', 'L', 'U'};
  switch (scheme) {
    case Scheme::kIO:
      return kIo;
    case Scheme::kIOB1:
    case Scheme::kIOB2:
      return kIob;
    case Scheme::kIOE1:
    case Scheme::kIOE2:
      return kIoe;
    case Scheme::kIOBES:
      return kIobes;
    case Scheme::kBILOU:
      return kBilou;
  }
  return kIob;
}

}  // namespace spanloop::text
