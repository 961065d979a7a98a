// `spanloop export`: a dataset's span annotations as CoNLL / IOB JSONL / spans JSONL, offline,
// through the same code as GET /api/v1/datasets/{id}/export.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/store_args.h"
#include "server/dataio/dataset_lookup.h"
#include "server/dataio/export.h"
#include "store/store.h"
#include "text/error.h"
#include "text/label_map.h"

namespace spanloop::cli {
namespace {

struct ExportArgs {
  StoreArgs store_args;
  std::string dataset, workspace, out, user, report_json;
  dataio::ExportParams params;
};

void run_export(const ExportArgs& a) {
  auto db = a.store_args.open();
  const store::Dataset dataset = dataio::find_dataset(
      *db, a.dataset, a.workspace.empty() ? std::nullopt : std::optional(a.workspace));
  dataio::ExportParams params = a.params;
  if (!a.user.empty()) {
    auto user = db->get_user_by_username(a.user);
    if (!user) throw_not_found("user `" + a.user + "` not found");
    params.user_id = user->id;
  }
  const dataio::ExportRequest request = dataio::parse_export_params(params);
  // Without --out the data goes to stdout (through a temporary file, since the exporter writes
  // files) and the report to stderr. With --out it is written next to the target and renamed
  // on success, so a failed export (e.g. overlap policy error) leaves no partial file behind.
  const bool to_stdout = a.out.empty() || a.out == "-";
  const std::string temp_name = "spanloop-export-" + std::to_string(::getpid());
  const std::filesystem::path target = a.out;
  const std::filesystem::path out =
      to_stdout ? std::filesystem::temp_directory_path() / (temp_name + ".out")
                : target.parent_path() / ("." + target.stem().string() + "." + temp_name +
                                          target.extension().string());
  struct Cleanup {
    std::filesystem::path path;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove(path, ec);
      std::filesystem::remove(text::label_map_path_for(path, false), ec);
    }
  } cleanup{out};
  const dataio::ExportSummary summary = dataio::export_dataset(*db, dataset.id, request, out);
  if (!to_stdout) {
    std::filesystem::rename(out, target);
    std::error_code ec;  // no label map when nothing was written
    std::filesystem::rename(text::label_map_path_for(out, false),
                            text::label_map_path_for(target, false), ec);
  }
  if (to_stdout) {
    std::ifstream in(out, std::ios::binary);
    std::cout << in.rdbuf();
    std::cout.flush();
    std::fputs(summary.to_text().c_str(), stderr);
  } else {
    std::fputs(summary.to_text().c_str(), stdout);
  }
  if (!a.report_json.empty()) {
    std::ofstream report(a.report_json, std::ios::binary | std::ios::trunc);
    report << summary.to_json();
    if (!report.flush()) throw Error(ErrorKind::kUnavailable, "cannot write " + a.report_json);
  }
}

void setup_export(CLI::App& root) {
  auto args = std::make_shared<ExportArgs>();
  auto* cmd = root.add_subcommand(
      "export", "Export a dataset's span annotations as CoNLL, IOB JSONL or spans JSONL, offline");
  cmd->add_option("--dataset", args->dataset, "Dataset name")->required();
  cmd->add_option("--workspace", args->workspace, "Workspace name (when the name is ambiguous)");
  args->store_args.add_options(*cmd);
  auto& p = args->params;
  cmd->add_option("--format", p.format, "conll, iob-jsonl or spans-jsonl")->capture_default_str();
  cmd->add_option("--scheme", p.scheme, "io, iob1, iob2 (bio), ioe1, ioe2, iobes, bilou")
      ->capture_default_str();
  cmd->add_option("--tokenizer", p.tokenizer, "whitespace, bert or regex:<RE2>")
      ->capture_default_str();
  cmd->add_option("--alignment", p.alignment, "expand, contract, strict, drop, legacy")
      ->capture_default_str();
  cmd->add_option("--overlap", p.overlap, "error, longest, first, layers")->capture_default_str();
  cmd->add_option("--status", p.status,
                  "submitted (records with a submitted response), completed, all")
      ->capture_default_str();
  cmd->add_option("--source", p.source, "responses or suggestions")->capture_default_str();
  cmd->add_option("--question", p.question, "Span question (default: the first)");
  cmd->add_option("--user", args->user, "Only this username's submitted responses");
  cmd->add_option("--out", args->out, "Output file (default: stdout; the report goes to stderr)");
  cmd->add_option("--report-json", args->report_json, "Also write the report as JSON here");
  cmd->callback([args] {
    const int rc = run_guarded([&] { run_export(*args); });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace
SPANLOOP_COMMAND(setup_export);
}  // namespace spanloop::cli
