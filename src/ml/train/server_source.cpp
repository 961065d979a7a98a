// libcurl GETs against the spanloop REST API for `spanloop train --server`.
#include "ml/train/server_source.h"

#include <curl/curl.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <regex>

#include "text/error.h"

namespace spanloop::ml::train {
namespace {

std::size_t append(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

std::string escape(const std::string& s) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> c(curl_easy_init(), curl_easy_cleanup);
  char* e = curl_easy_escape(c.get(), s.c_str(), static_cast<int>(s.size()));
  std::string out = e;
  curl_free(e);
  return out;
}

std::string get(const std::string& url, const std::string& api_key) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> c(curl_easy_init(), curl_easy_cleanup);
  if (!c) throw Error(ErrorKind::kInternal, "libcurl could not start");
  std::string body;
  curl_slist* headers = nullptr;
  const std::string key_header = "X-Argilla-Api-Key: " + api_key;
  if (!api_key.empty()) headers = curl_slist_append(headers, key_header.c_str());
  headers = curl_slist_append(headers, "Accept: application/x-ndjson, application/json");
  curl_easy_setopt(c.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(c.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(c.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(c.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c.get(), CURLOPT_CONNECTTIMEOUT, 20L);
  const CURLcode rc = curl_easy_perform(c.get());
  curl_slist_free_all(headers);
  if (rc != CURLE_OK)
    throw Error(ErrorKind::kUnavailable, "GET " + url + ": " + curl_easy_strerror(rc));
  long status = 0;
  curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status == 401 || status == 403)
    throw Error(ErrorKind::kUnauthenticated,
                "GET " + url + ": HTTP " + std::to_string(status) + " (check --api-key)");
  if (status == 404) throw_not_found("GET " + url + ": HTTP 404 " + body.substr(0, 200));
  if (status < 200 || status >= 300)
    throw Error(ErrorKind::kUnavailable,
                "GET " + url + ": HTTP " + std::to_string(status) + " " + body.substr(0, 200));
  return body;
}

}  // namespace

std::string fetch_server_export(const std::string& server, const std::string& dataset,
                                const std::string& api_key) {
  std::string base = server;
  while (!base.empty() && base.back() == '/') base.pop_back();
  static const std::regex uuid(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
      "[0-9a-fA-F]{12}");
  std::string id = dataset;
  if (!std::regex_match(dataset, uuid)) {
    const std::string url = base + "/api/v1/me/datasets?name=" + escape(dataset);
    const auto j = nlohmann::json::parse(get(url, api_key), nullptr, false);
    if (!j.is_object() || !j.contains("items") || !j["items"].is_array())
      throw_invalid("GET " + url + ": expected {\"items\": [...]}");
    id.clear();
    for (const auto& item : j["items"])
      if (item.value("name", "") == dataset) id = item.value("id", "");
    if (id.empty()) throw_not_found("dataset '" + dataset + "' not found on " + base);
  }
  return get(base + "/api/v1/datasets/" + escape(id) + "/export?format=iob-jsonl&status=submitted",
             api_key);
}

}  // namespace spanloop::ml::train
