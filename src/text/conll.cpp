// CoNLL reading (columns, -DOCSTART-, skip-or-throw) and writing.
#include "text/conll.h"

#include <algorithm>

#include "text/error.h"

namespace spanloop::text {

ConllReader::ConllReader(const std::filesystem::path& path, ConllOptions options, ReadOptions read)
    : lines_(path), options_(std::move(options)), log_(read) {}

ConllReader::ConllReader(std::istream& in, std::string name, ConllOptions options, ReadOptions read)
    : lines_(in, std::move(name)), options_(std::move(options)), log_(read) {}

void ConllReader::split(const std::string& line, std::vector<std::string_view>& columns) const {
  columns.clear();
  const std::string_view s(line);
  std::size_t i = 0;
  if (options_.tab_separated) {
    while (true) {
      const std::size_t tab = s.find('\t', i);
      columns.push_back(
          s.substr(i, tab == std::string_view::npos ? std::string_view::npos : tab - i));
      if (tab == std::string_view::npos) break;
      i = tab + 1;
    }
    return;
  }
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > start) columns.push_back(s.substr(start, i - start));
  }
}

bool ConllReader::next(TokenRecord& out) {
  out = TokenRecord{};
  tokens_.clear();
  bool in_sentence = false;
  bool skipping = false;  // the current sentence had a malformed line
  std::string line;
  auto blank = [](const std::string& l) {
    return std::all_of(l.begin(), l.end(), [](char c) { return c == ' ' || c == '\t'; });
  };
  auto finish = [&] {
    const bool keep = in_sentence && !skipping;
    if (in_sentence) ++sentences_;
    if (keep) {
      set_tokens_joined(out, tokens_);
      out.id = std::to_string(sentences_);
      out.document_start = pending_document_;
      pending_document_ = false;
    }
    return keep;
  };
  while (lines_.next(line)) {
    if (blank(line)) {
      if (finish()) return true;
      out = TokenRecord{};
      tokens_.clear();
      in_sentence = skipping = false;
      continue;
    }
    if (auto problem = detail::utf8_problem(line)) {
      if (!in_sentence) {
        in_sentence = true;
        out.line = lines_.line_number();
      }
      log_.report(lines_.name(), lines_.line_number(), *problem);
      skipping = true;
      continue;
    }
    split(line, columns_);
    if (!columns_.empty() && columns_[0] == "-DOCSTART-") {
      ++documents_;
      const bool done = finish();
      pending_document_ = true;
      if (done) return true;
      out = TokenRecord{};
      tokens_.clear();
      in_sentence = skipping = false;
      continue;
    }
    if (!in_sentence) {
      in_sentence = true;
      out.line = lines_.line_number();
      const std::size_t layers = std::max<std::size_t>(1, options_.tag_columns.size());
      out.tags.assign(layers, {});
    }
    if (skipping) continue;
    const std::size_t needed =
        std::max(options_.token_column, options_.tag_columns.empty()
                                            ? std::size_t{1}
                                            : *std::max_element(options_.tag_columns.begin(),
                                                                options_.tag_columns.end())) +
        1;
    if (columns_.size() < needed ||
        (options_.tab_separated && columns_[options_.token_column].empty())) {
      std::string what;
      if (columns_.size() <= options_.token_column) {
        what = "token column " + std::to_string(options_.token_column + 1) + " missing";
      } else if (columns_.size() < needed) {
        what = "tag column " + std::to_string(needed) + " missing";
      } else {
        what = "empty token";
      }
      log_.report(lines_.name(), lines_.line_number(),
                  what + " (the line has " + std::to_string(columns_.size()) + " columns)");
      skipping = true;
      continue;
    }
    tokens_.emplace_back(columns_[options_.token_column]);
    if (options_.tag_columns.empty()) {
      out.tags[0].emplace_back(columns_.back());
    } else {
      for (std::size_t l = 0; l < options_.tag_columns.size(); ++l) {
        const std::string_view tag = columns_[options_.tag_columns[l]];
        if (tag.empty()) {
          log_.report(lines_.name(), lines_.line_number(),
                      "empty tag in column " + std::to_string(options_.tag_columns[l] + 1));
          skipping = true;
          break;
        }
        out.tags[l].emplace_back(tag);
      }
    }
  }
  return finish();
}

ConllWriter::ConllWriter(const std::filesystem::path& path, ConllWriteOptions options)
    : file_(std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc)),
      out_(file_.get()),
      name_(path.string()),
      options_(options) {
  if (!*file_) throw Error(ErrorKind::kInvalidArgument, "cannot write " + name_);
}

ConllWriter::ConllWriter(std::ostream& out, std::string name, ConllWriteOptions options)
    : out_(&out), name_(std::move(name)), options_(options) {}

void ConllWriter::write(const TokenRecord& record) {
  const auto fail = [&](const std::string& what) {
    throw Error(ErrorKind::kInvalidArgument,
                "cannot write record '" + record.id + "' as CoNLL to " + name_ + ": " + what);
  };
  if (record.tags.empty()) fail("it has no tag layer");
  for (const auto& layer : record.tags) {
    if (layer.size() != record.tokens.size()) {
      fail(std::to_string(layer.size()) + " tags for " + std::to_string(record.tokens.size()) +
           " tokens");
    }
  }
  if (record.tokens.empty()) return;
  buffer_.clear();
  if (record.document_start && options_.document_lines) {
    buffer_ += "-DOCSTART-";
    for (std::size_t l = 0; l < record.tags.size(); ++l) (buffer_ += options_.separator) += "O";
    buffer_ += "\n\n";
  }
  for (std::size_t i = 0; i < record.tokens.size(); ++i) {
    const std::string& token = record.tokens[i].text;
    if (token.empty() || token.find_first_of(" \t\r\n") != std::string::npos) {
      fail("token " + std::to_string(i) + " '" + token + "' is empty or contains whitespace");
    }
    buffer_ += token;
    for (const auto& layer : record.tags) {
      if (layer[i].find_first_of(" \t\r\n") != std::string::npos || layer[i].empty()) {
        fail("tag '" + layer[i] + "' is empty or contains whitespace");
      }
      (buffer_ += options_.separator) += layer[i];
    }
    buffer_ += '\n';
  }
  buffer_ += '\n';
  out_->write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
}

void ConllWriter::close() {
  out_->flush();
  if (!*out_) throw Error(ErrorKind::kUnavailable, "cannot write " + name_);
}

}  // namespace spanloop::text
