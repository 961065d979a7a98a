// Opening the store from --data-dir / --database.
#include "cli/store_args.h"

#include <CLI/CLI.hpp>

#include "store/store.h"

namespace spanloop::cli {

void StoreArgs::add_options(CLI::App& cmd) {
  cmd.add_option("--data-dir", data_dir, "Data directory (SQLite database, auth secret)")
      ->envname("SPANLOOP_DATA_DIR")
      ->capture_default_str();
  cmd.add_option("--database", database,
                 "Database URL instead of SQLite in the data directory "
                 "(postgresql://user:pass@host:5432/db)")
      ->envname("SPANLOOP_DATABASE");
}

std::string StoreArgs::url() const {
  return database.empty() ? store::sqlite_url_for_data_dir(data_dir) : database;
}

std::unique_ptr<store::Store> StoreArgs::open() const {
  return store::open_store(url());
}

}  // namespace spanloop::cli
