// The --data-dir / --database options shared by every subcommand that opens the store.
#pragma once

#include <memory>
#include <string>

namespace CLI {
class App;
}
namespace spanloop::store {
class Store;
}

namespace spanloop::cli {

struct StoreArgs {
  std::string data_dir = "./spanloop-data";  // SQLite file and auth secret live here
  std::string database;                      // postgresql://... (default: SQLite in data_dir)

  // Adds --data-dir (SPANLOOP_DATA_DIR) and --database (SPANLOOP_DATABASE).
  void add_options(CLI::App& cmd);
  // The store URL these options name.
  std::string url() const;
  std::unique_ptr<store::Store> open() const;
};

}  // namespace spanloop::cli
