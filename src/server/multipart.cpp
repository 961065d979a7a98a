// A small multipart/form-data splitter: parts separated by "--boundary", each with headers, a
// blank line and its bytes.
#include "server/multipart.h"

#include <algorithm>
#include <cctype>

#include "text/error.h"

namespace spanloop::server {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

// name="value" (or name=value) inside a header's parameters.
std::optional<std::string> header_param(std::string_view header, std::string_view name) {
  const std::string h = lower(header);
  const std::string key = std::string(name) + "=";
  std::size_t pos = 0;
  while ((pos = h.find(key, pos)) != std::string::npos) {
    const bool at_start = pos == 0 || h[pos - 1] == ';' || h[pos - 1] == ' ';
    pos += key.size();
    if (!at_start) continue;
    if (pos < header.size() && header[pos] == '"') {
      const auto end = header.find('"', pos + 1);
      if (end == std::string_view::npos) return std::nullopt;
      return std::string(header.substr(pos + 1, end - pos - 1));
    }
    const auto end = header.find(';', pos);
    return trim(header.substr(pos, end == std::string_view::npos ? end : end - pos));
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  if (lower(content_type).rfind("multipart/form-data", 0) != 0) return std::nullopt;
  auto b = header_param(content_type, "boundary");
  if (!b || b->empty()) throw_invalid("multipart/form-data body without a boundary");
  return b;
}

std::vector<FormPart> parse_multipart(std::string_view body, std::string_view boundary) {
  const std::string delim = "--" + std::string(boundary);
  std::vector<FormPart> parts;
  std::size_t pos = body.find(delim);
  if (pos == std::string_view::npos) throw_invalid("multipart body: no boundary line found");
  while (true) {
    pos += delim.size();
    if (body.substr(pos, 2) == "--") break;  // closing delimiter
    if (body.substr(pos, 2) != "\r\n") throw_invalid("multipart body: malformed boundary line");
    pos += 2;
    const auto headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos)
      throw_invalid("multipart body: part without headers");
    FormPart part;
    std::string_view headers = body.substr(pos, headers_end - pos);
    while (!headers.empty()) {
      const auto eol = headers.find("\r\n");
      const std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
      const auto colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      const std::string key = lower(trim(line.substr(0, colon)));
      const std::string_view value = line.substr(colon + 1);
      if (key == "content-disposition") {
        part.name = header_param(value, "name").value_or("");
        part.filename = header_param(value, "filename");
      } else if (key == "content-type") {
        part.content_type = trim(value);
      }
    }
    const std::size_t data_begin = headers_end + 4;
    const auto next = body.find("\r\n" + delim, data_begin);
    if (next == std::string_view::npos)
      throw_invalid("multipart body: part `" + part.name + "` is not terminated");
    part.data = body.substr(data_begin, next - data_begin);
    parts.push_back(std::move(part));
    pos = next + 2;
  }
  return parts;
}

}  // namespace spanloop::server
