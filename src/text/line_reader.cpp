// Line reading with UTF-8 validation, and the shared problem log.
#include "text/line_reader.h"

#include "text/error.h"
#include "text/utf8.h"

namespace spanloop::text::detail {

LineReader::LineReader(const std::filesystem::path& path)
    : file_(std::make_unique<std::ifstream>(path, std::ios::binary)),
      in_(file_.get()),
      name_(path.string()) {
  if (!*file_ || std::filesystem::is_directory(path)) {
    throw Error(ErrorKind::kNotFound, "cannot open " + name_);
  }
}

LineReader::LineReader(std::istream& in, std::string name) : in_(&in), name_(std::move(name)) {}

bool LineReader::next(std::string& line, bool keep_cr) {
  if (!std::getline(*in_, line)) {
    if (in_->bad()) throw Error(ErrorKind::kUnavailable, "cannot read " + name_);
    return false;
  }
  ++line_;
  if (!keep_cr && !line.empty() && line.back() == '\r') line.pop_back();
  if (line_ == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
  return true;
}

std::optional<std::string> utf8_problem(std::string_view line) {
  if (auto bad = find_invalid_utf8(line)) {
    return "invalid UTF-8 at byte " + std::to_string(*bad) + " of the line";
  }
  return std::nullopt;
}

void ProblemLog::report(const std::string& file, std::size_t line, const std::string& message) {
  InputProblem problem{file, line, message};
  if (!options_.skip_invalid) throw Error(ErrorKind::kInvalidArgument, problem.to_string());
  ++skipped_;
  if (problems_.size() < kKept) problems_.push_back(std::move(problem));
}

}  // namespace spanloop::text::detail
