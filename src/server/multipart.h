// multipart/form-data bodies (RFC 7578): the import upload {format, mapping, file}.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spanloop::server {

struct FormPart {
  std::string name;
  std::optional<std::string> filename;
  std::string content_type;
  std::string_view data;  // points into the body
};

// The boundary parameter of a multipart/form-data content type, or nullopt for other types.
std::optional<std::string> multipart_boundary(std::string_view content_type);
// Splits the body into parts; 422 naming the problem for a malformed body.
std::vector<FormPart> parse_multipart(std::string_view body, std::string_view boundary);

}  // namespace spanloop::server
