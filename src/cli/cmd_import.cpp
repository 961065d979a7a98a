// `spanloop import`: CSV / TSV / JSONL rows into a dataset of a store, offline, through the same
// code as POST /api/v1/datasets/{id}/records/import.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/command.h"
#include "cli/store_args.h"
#include "server/dataio/dataset_lookup.h"
#include "server/dataio/import.h"
#include "store/store.h"
#include "text/error.h"

namespace spanloop::cli {
namespace {

struct ImportArgs {
  StoreArgs store_args;
  std::string dataset, workspace, input, format, mapping, user;
  std::size_t batch_size = 500;
};

std::string read_mapping(const std::string& spec) {
  if (spec.empty() || spec.front() != '@') return spec;
  std::ifstream in(spec.substr(1), std::ios::binary);
  if (!in) throw_not_found("cannot read mapping file " + spec.substr(1));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string format_for(const std::string& path) {
  auto ends_with = [&](const std::string& ext) {
    return path.size() >= ext.size() &&
           path.compare(path.size() - ext.size(), ext.size(), ext) == 0;
  };
  if (ends_with(".jsonl") || ends_with(".ndjson")) return "jsonl";
  if (ends_with(".tsv")) return "tsv";
  return "csv";
}

void run_import(const ImportArgs& a) {
  auto db = a.store_args.open();
  const store::Dataset dataset = dataio::find_dataset(
      *db, a.dataset, a.workspace.empty() ? std::nullopt : std::optional(a.workspace));
  dataio::ImportOptions options;
  options.format = dataio::parse_import_format(a.format.empty() ? format_for(a.input) : a.format);
  options.mapping = dataio::ImportMapping::from_json(read_mapping(a.mapping));
  options.batch_size = a.batch_size;
  if (!a.user.empty()) {
    auto user = db->get_user_by_username(a.user);
    if (!user) throw_not_found("user `" + a.user + "` not found");
    options.user_id = user->id;
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (a.input != "-") {
    file.open(a.input, std::ios::binary);
    if (!file) throw_not_found("cannot read " + a.input);
    in = &file;
  }
  const dataio::ImportResult result = dataio::import_records(*db, dataset.id, *in, options);
  std::fputs(result.to_text().c_str(), stdout);
  if (result.error_count > 0 && result.imported == 0)
    throw_invalid(a.input + ": no row was imported");
}

void setup_import(CLI::App& root) {
  auto args = std::make_shared<ImportArgs>();
  auto* cmd = root.add_subcommand(
      "import", "Import records (CSV, TSV or JSONL) into a published dataset, offline");
  cmd->add_option("--dataset", args->dataset, "Dataset name")->required();
  cmd->add_option("--workspace", args->workspace, "Workspace name (when the name is ambiguous)");
  args->store_args.add_options(*cmd);
  cmd->add_option("--format", args->format, "csv, tsv or jsonl (default: from the file name)");
  cmd->add_option("--mapping", args->mapping,
                  "Column mapping as JSON or @FILE, e.g. "
                  "{\"fields\":{\"text\":\"claim\"},\"external_id\":[\"pub\",\"seq\"]}");
  cmd->add_option("--user", args->user,
                  "Username owning the responses when the mapping says spans_as \"response\"");
  cmd->add_option("--batch-size", args->batch_size, "Records per bulk upsert")
      ->capture_default_str();
  cmd->add_option("input", args->input, "Input file, or - for stdin")->required();
  cmd->callback([args] {
    const int rc = run_guarded([&] { run_import(*args); });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace
SPANLOOP_COMMAND(setup_import);
}  // namespace spanloop::cli
