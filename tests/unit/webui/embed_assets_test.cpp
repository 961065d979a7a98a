// cmake/EmbedAssets.cmake: paths, bytes, content types and cache flags of embedded files.
#include <gtest/gtest.h>

#include <string>

#include "webui/assets.h"

namespace spanloop::webui_fixture {
// Defined by the source generated from tests/data/webui.
const webui::Asset* find_asset(std::string_view path);
std::span<const webui::Asset> all_assets();
}  // namespace spanloop::webui_fixture

namespace fx = spanloop::webui_fixture;

TEST(EmbedAssets, FindsIndexForRootAndLeadingSlash) {
  const auto* root = fx::find_asset("/");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->path, "index.html");
  EXPECT_EQ(fx::find_asset(""), root);
  EXPECT_EQ(fx::find_asset("/index.html"), root);
  EXPECT_EQ(root->content_type, "text/html; charset=utf-8");
  EXPECT_FALSE(root->immutable);
  EXPECT_EQ(root->body, "<!doctype html><title>fixture</title>\n");
}

TEST(EmbedAssets, KeepsUtf8AndBinaryBytesExactly) {
  const auto* js = fx::find_asset("assets/app-AbC12_x9.js");
  ASSERT_NE(js, nullptr);
  EXPECT_EQ(js->body, "console.log(\"κ 😀\");\n");
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  const auto* bin = fx::find_asset("assets/blob-00aa11bb.bin");
  ASSERT_NE(bin, nullptr);
  EXPECT_EQ(bin->body, std::string("\x00\x01\xff\xfe", 4));
  EXPECT_EQ(bin->content_type, "application/octet-stream");
  const auto* empty = fx::find_asset("empty.txt");
  ASSERT_NE(empty, nullptr);
  EXPECT_TRUE(empty->body.empty());
  EXPECT_EQ(empty->content_type, "text/plain; charset=utf-8");
}

TEST(EmbedAssets, MarksOnlyHashedFilesUnderAssetsImmutable) {
  EXPECT_TRUE(fx::find_asset("assets/app-AbC12_x9.js")->immutable);
  EXPECT_TRUE(fx::find_asset("assets/style-Zz81k0PQ.css")->immutable);
  EXPECT_EQ(fx::find_asset("assets/style-Zz81k0PQ.css")->content_type, "text/css; charset=utf-8");
  const auto* svg = fx::find_asset("assets/logo.svg");
  ASSERT_NE(svg, nullptr);
  EXPECT_FALSE(svg->immutable);
  EXPECT_EQ(svg->content_type, "image/svg+xml");
  EXPECT_FALSE(fx::find_asset("README.md")->immutable);
}

TEST(EmbedAssets, MissesUnknownHiddenAndTraversalPaths) {
  EXPECT_EQ(fx::find_asset("nope.js"), nullptr);
  EXPECT_EQ(fx::find_asset(".hidden"), nullptr);
  EXPECT_EQ(fx::find_asset("assets/../index.html"), nullptr);
  EXPECT_EQ(fx::find_asset("assets"), nullptr);
}

TEST(EmbedAssets, TableIsSortedByPath) {
  auto all = fx::all_assets();
  ASSERT_EQ(all.size(), 7u);  // README, empty.txt, index.html and four under assets/
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].path, all[i].path);
}

TEST(EmbedAssets, RealTableIsConsistent) {
  // The binary's own table: empty without web/dist, otherwise it must hold index.html.
  auto all = spanloop::webui::all_assets();
  if (all.empty()) {
    EXPECT_EQ(spanloop::webui::find_asset("/"), nullptr);
    GTEST_SKIP() << "built without web/dist";
  }
  const auto* index = spanloop::webui::find_asset("/");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  for (const auto& a : all) EXPECT_EQ(spanloop::webui::find_asset(a.path), &a);
}
