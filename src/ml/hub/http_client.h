// A small blocking HTTP client on libcurl: one request in, status + headers + body out.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace spanloop::ml::hub {

struct HttpRequest {
  std::string method = "GET";  // GET, HEAD, POST, PUT
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // an empty value removes the header
  std::string body;              // request body for POST/PUT (ignored when body_file is set)
  std::string body_file;         // PUT/POST the bytes of this file instead of `body`
  bool follow_redirects = true;  // false: return the 3xx response itself
  std::optional<std::uint64_t> range_from;  // adds "Range: bytes=N-"
  // When set, a 2xx body streams into it instead of HttpResponse::body (error bodies are
  // still collected so messages can quote them). Returning false aborts the transfer.
  std::function<bool(const char* data, std::size_t size)> sink;
  // Called once before the first byte of a 2xx body reaches `sink`, with the status and the
  // headers; returning false aborts the transfer (e.g. a server that ignored a Range).
  std::function<bool(long status, const std::map<std::string, std::string>& headers)> on_start;
  // Called with (received, total) bytes; total is 0 when unknown.
  std::function<void(std::uint64_t received, std::uint64_t total)> progress;
  long connect_timeout_s = 15;
  long stall_timeout_s = 60;  // abort when fewer than 1 byte/s arrive for this long
};

struct HttpResponse {
  long status = 0;
  // Headers of the final response, keys lower-cased.
  std::map<std::string, std::string> headers;
  std::string body;
  std::string effective_url;
  // Transport failure (DNS, refused, reset, cut transfer): curl's message; status may be 0.
  std::string transport_error;
  bool transfer_cut = false;  // the connection closed before the announced body ended
  bool aborted = false;       // on_start or sink returned false

  bool ok() const { return transport_error.empty() && status >= 200 && status < 300; }
  std::string header(const std::string& lower_name) const;
};

// Performs the request. Never throws for HTTP statuses or transport failures: callers decide
// what a 404 or a cut connection means for them.
HttpResponse http_perform(const HttpRequest& request);

// Percent-encodes one path segment (revision names such as "refs/pr/1").
std::string url_encode(const std::string& segment);

}  // namespace spanloop::ml::hub
