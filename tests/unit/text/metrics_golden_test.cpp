// Entity metrics against the goldens in tests/data/text/metrics (see its README.md): the printed
// seqeval classification_report (default and strict mode, digits, zero_division) and conlleval.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/test_support.h"
#include "text/conlleval.h"
#include "text/entity_metrics.h"

namespace spanloop::text {
namespace {

namespace fs = std::filesystem;

struct TagFile {
  std::vector<std::vector<std::string>> gold, pred;
  // conlleval's line stream: 't' token, 'b' blank line, 'd' -DOCSTART-.
  std::vector<std::pair<char, std::pair<std::string, std::string>>> lines;
};

TagFile read_tag_file(const fs::path& path) {
  std::ifstream in(path);
  TagFile f;
  std::vector<std::string> g, p;
  auto flush = [&] {
    if (!g.empty()) {
      f.gold.push_back(g);
      f.pred.push_back(p);
    }
    g.clear();
    p.clear();
  };
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) {
      flush();
      f.lines.push_back({'b', {}});
      continue;
    }
    std::istringstream cols(line);
    std::string token, gold, pred;
    cols >> token >> gold >> pred;
    if (token == "-DOCSTART-") {
      flush();
      f.lines.push_back({'d', {}});
      continue;
    }
    g.push_back(gold);
    p.push_back(pred);
    f.lines.push_back({'t', {gold, pred}});
  }
  flush();
  return f;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "missing golden " << path;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

EntityReport evaluate(const TagFile& f, EvalOptions options) {
  EntityEvaluator eval(options);
  for (std::size_t i = 0; i < f.gold.size(); ++i) eval.add(f.gold[i], f.pred[i]);
  return eval.report();
}

std::vector<fs::path> tag_files() {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(testing::test_data_dir() / "text" / "metrics")) {
    if (e.path().extension() == ".tags") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(MetricsGolden, HasFixtures) {
  EXPECT_GE(tag_files().size(), 10u);
}

TEST(MetricsGolden, SeqevalDefaultMode) {
  for (const fs::path& file : tag_files()) {
    SCOPED_TRACE(file.filename().string());
    const TagFile f = read_tag_file(file);
    const fs::path base = file.parent_path() / file.stem();
    const EntityReport report = evaluate(f, {});
    EXPECT_EQ(report.classification_report(2), slurp(base.string() + ".default.txt"));
    EXPECT_EQ(report.classification_report(4), slurp(base.string() + ".default-d4.txt"));
    const EntityReport zd1 = evaluate(f, {DecodeMode::kDefault, std::nullopt, ZeroDivision::kOne});
    EXPECT_EQ(zd1.classification_report(2), slurp(base.string() + ".default-zd1.txt"));
    std::istringstream acc(slurp(base.string() + ".accuracy.txt"));
    std::size_t correct = 0, total = 0;
    acc >> correct >> total;
    EXPECT_EQ(report.correct_tokens, correct);
    EXPECT_EQ(report.tokens, total);
  }
}

TEST(MetricsGolden, SeqevalStrictMode) {
  for (const fs::path& file : tag_files()) {
    const TagFile f = read_tag_file(file);
    const fs::path base = file.parent_path() / file.stem();
    for (const std::string name : {"IOB1", "IOB2", "IOE1", "IOE2", "IOBES", "BILOU", "auto"}) {
      SCOPED_TRACE(file.filename().string() + " strict " + name);
      const std::string golden = slurp(base.string() + ".strict-" + name + ".txt");
      std::string got;
      try {
        std::optional<Scheme> scheme;
        if (name == "auto") {
          TagSet set;
          SchemeDetector detector;
          for (const auto& s : f.gold) {
            for (const auto& t : s) detector.add(set.parsed(set.intern(t)));
          }
          scheme = detector.detect();
          if (!scheme) throw Error(ErrorKind::kInvalidArgument, "no scheme");
        } else {
          scheme = parse_scheme(name);
        }
        got = evaluate(f, {DecodeMode::kStrict, scheme}).classification_report(2);
      } catch (const Error&) {
        got = "error\n";
      }
      EXPECT_EQ(got, golden);
    }
  }
}

TEST(MetricsGolden, Conlleval) {
  for (const fs::path& file : tag_files()) {
    SCOPED_TRACE(file.filename().string());
    const TagFile f = read_tag_file(file);
    ConllevalCounter counter;
    for (const auto& [kind, tags] : f.lines) {
      if (kind == 'b') {
        counter.add_boundary();
      } else if (kind == 'd') {
        counter.add_document_start();
      } else {
        TagSet& set = counter.tag_set();
        counter.add_token(set.intern(tags.first), set.intern(tags.second));
      }
    }
    const fs::path base = file.parent_path() / file.stem();
    EXPECT_EQ(counter.report().to_text(), slurp(base.string() + ".conlleval.txt"));
  }
}

}  // namespace
}  // namespace spanloop::text
