// Tagging schemes (IO, IOB1, IOB2/BIO, IOE1, IOE2, IOBES/BIOES, BILOU): names and tag prefixes.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace spanloop::text {

// How entity boundaries are written into per-token tags. IOBES and BILOU are the same scheme
// spelled with different letters (S/E versus U/L); seqeval treats them as two schemes.
enum class Scheme { kIO, kIOB1, kIOB2, kIOE1, kIOE2, kIOBES, kBILOU };

// Parses a scheme name, case-insensitively: io, iob1, iob2 (= bio), ioe1, ioe2,
// iobes (= bioes), bilou. Throws InvalidArgument listing the accepted names.
Scheme parse_scheme(std::string_view name);
// The canonical upper-case name ("IOB2", "IOBES", ...), as written into label map files.
std::string_view scheme_name(Scheme scheme);

// The tag prefixes a label gets in this scheme, in label map order (e.g. IOB2: B, I;
// IOBES: B, I, E, S; BILOU: B, I, L, U; IO: I).
std::span<const char> scheme_prefixes(Scheme scheme);

}  // namespace spanloop::text
