// Beyond Argilla: export to training formats, import of CSV/JSONL files with a mapping, and
// annotator agreement, all through the dataio library that the offline CLI uses too.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "server/context.h"
#include "server/dataio/agreement.h"
#include "server/dataio/export.h"
#include "server/dataio/import.h"
#include "server/multipart.h"
#include "server/permissions.h"
#include "server/routes.h"
#include "store/store.h"
#include "text/error.h"
#include "text/label_map.h"

namespace spanloop::server {
namespace {

using nlohmann::json;

// A temporary export file and its label map, removed when the last owner lets go (the
// streaming callback outlives the handler).
struct TempExport {
  std::filesystem::path path;
  ~TempExport() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    std::filesystem::remove(text::label_map_path_for(path, false), ec);
  }
};

std::string extension(text::DatasetFormat format) {
  return format == text::DatasetFormat::kConll ? ".conll" : ".jsonl";
}

HttpResponse export_dataset(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kManage);
  dataio::ExportParams p;
  auto take = [&](const char* name, std::string& into) {
    if (auto v = ctx.query(name)) into = *v;
  };
  take("format", p.format);
  take("scheme", p.scheme);
  take("tokenizer", p.tokenizer);
  take("alignment", p.alignment);
  take("overlap", p.overlap);
  take("status", p.status);
  take("source", p.source);
  take("question", p.question);
  take("user_id", p.user_id);
  const dataio::ExportRequest request = dataio::parse_export_params(p);
  const bool report_only = ctx.query("report").value_or("0") == "1";

  auto temp = std::make_shared<TempExport>();
  temp->path = std::filesystem::temp_directory_path() /
               ("spanloop-export-" + store::new_uuid() + extension(request.format));
  const dataio::ExportSummary summary =
      dataio::export_dataset(ctx.store(), d.id, request, temp->path);
  if (report_only) {
    HttpResponse r = json_response(json::parse(summary.to_json()));
    return r;
  }
  HttpResponse r;
  r.status = 200;
  r.content_type = dataio::export_content_type(request.format);
  r.set_header("Content-Disposition",
               "attachment; filename=\"" + d.name + extension(request.format) + "\"");
  r.set_header("X-Spanloop-Records-Written", std::to_string(summary.result.records_written));
  r.set_header("X-Spanloop-Records-Refused", std::to_string(summary.records_failed));
  r.stream = [temp](const ChunkWriter& write) {
    std::ifstream in(temp->path, std::ios::binary);
    std::string chunk(64 * 1024, '\0');
    while (in) {
      in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      const auto n = static_cast<std::size_t>(in.gcount());
      if (n == 0) break;
      if (!write(std::string_view(chunk.data(), n))) break;
    }
  };
  return r;
}

HttpResponse import_records(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kManage);
  std::string format = ctx.query("format").value_or("");
  std::string mapping = ctx.query("mapping").value_or("");
  std::string_view data = ctx.request().body;
  bool have_file = false;
  if (auto boundary = multipart_boundary(ctx.request().header("content-type"))) {
    for (const auto& part : parse_multipart(ctx.request().body, *boundary)) {
      if (part.name == "format")
        format = std::string(part.data);
      else if (part.name == "mapping")
        mapping = std::string(part.data);
      else if (part.name == "file") {
        data = part.data;
        have_file = true;
        if (format.empty() && part.filename) {
          const std::string& f = *part.filename;
          if (f.size() >= 6 && f.compare(f.size() - 6, 6, ".jsonl") == 0)
            format = "jsonl";
          else if (f.size() >= 4 && f.compare(f.size() - 4, 4, ".tsv") == 0)
            format = "tsv";
        }
      }
    }
    if (!have_file) throw_invalid("multipart body: missing the `file` part");
  }
  dataio::ImportOptions options;
  options.format = dataio::parse_import_format(format.empty() ? "csv" : format);
  options.mapping = dataio::ImportMapping::from_json(mapping);
  options.user_id = ctx.user().id;  // owner of responses when spans_as = "response"
  std::istringstream in{std::string(data)};
  const dataio::ImportResult result = dataio::import_records(ctx.store(), d.id, in, options);
  return json_response(json::parse(result.to_json()));
}

HttpResponse agreement(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kManage);
  const auto report = dataio::span_agreement(ctx.store(), d.id, ctx.query("question").value_or(""));
  return json_response(json::parse(report.to_json()));
}

}  // namespace

void register_dataio_routes(Router& r) {
  r.get("/api/v1/datasets/{dataset_id}/export", export_dataset);
  r.post("/api/v1/datasets/{dataset_id}/records/import", import_records);
  r.get("/api/v1/datasets/{dataset_id}/agreement", agreement);
}

}  // namespace spanloop::server
