// Every SQL difference between SQLite and PostgreSQL that the store's shared code needs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/sql/db.h"
#include "store/sql/text_index.h"

namespace spanloop::store::sql {

class Dialect {
 public:
  explicit Dialect(Engine engine) : engine_(engine) {}
  Engine engine() const { return engine_; }
  bool postgres() const { return engine_ == Engine::kPostgres; }

  // Rows of dataset_stats per dataset: PostgreSQL spreads concurrent counter updates over
  // shards; SQLite serializes writers anyway.
  int stats_shards() const { return postgres() ? 16 : 1; }

  // Appended to a SELECT that must lock the rows it reads until commit (status recompute).
  std::string_view for_update() const { return postgres() ? " FOR UPDATE" : ""; }

  // "column IN <list>" where the whole list is bound as one parameter (one statement text for
  // any list length, so statements stay cached).
  std::string in_ints(std::string_view column) const;
  std::string in_texts(std::string_view column) const;
  Param int_list(const std::vector<std::int64_t>& values) const;
  Param text_list(const std::vector<std::string>& values) const;

  // Inserting one record text together with its full-text entry.
  std::string_view insert_text_sql() const;
  Params insert_text_params(std::int64_t id, std::int64_t record_seq, const std::string& field,
                            const std::string& body) const;

  // SQLite: queues a new text for the full-text indexer (empty on PostgreSQL, which indexes
  // in the insert). One parameter: the text id.
  std::string_view queue_text_sql() const;

  // SELECT of the record_seq (as column record_seq) of a dataset's texts matching a query,
  // optionally only in the field at field_index; text_id_column orders matches by record.
  std::string fts_record_seqs(bool one_field) const;
  Params fts_params(const ParsedTextQuery& q, std::int64_t dataset_seq,
                    std::optional<std::int64_t> field_index) const;
  std::string_view text_id_column() const { return postgres() ? "rt.id" : "rowid"; }

  // True when any number in the JSON number-or-list column is within [?, ?] (two parameters).
  std::string json_number_in_range(std::string_view column) const;

  // Inserts many rows: on PostgreSQL one INSERT … SELECT FROM unnest() of one array per column
  // (per 2,000 rows), on SQLite the prepared single-row INSERT repeated. Blob columns are not
  // supported (use Conn::execute_many).
  struct Column {
    std::string_view name;
    std::string_view pg_type;  // element type: bigint, text, float8, tsvector
  };
  void insert_rows(Conn& conn, std::string_view table, const std::vector<Column>& columns,
                   const std::vector<Params>& rows) const;

  // n fresh values of an integer key column, for inserts whose children need the key.
  std::vector<std::int64_t> allocate_ids(Conn& conn, std::string_view table,
                                         std::string_view column, std::size_t n) const;

 private:
  Engine engine_;
};

}  // namespace spanloop::store::sql
