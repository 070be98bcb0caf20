#include <gtest/gtest.h>

#include "text/text_folder.h"

namespace parkhub::text {
namespace {

TEST(TextFolderTest, TraditionalSimplifiedAndWidthFoldTogether) {
  auto folder = TextFolder::Create();
  ASSERT_TRUE(folder.ok());
  EXPECT_EQ((*folder)->Fold("香港科技大學"), (*folder)->Fold("香港科技大学"));
  EXPECT_EQ((*folder)->Fold("ＭＩＴ Press"), "mit press");
  EXPECT_EQ((*folder)->ToTraditional("香港科技大学"), "香港科技大學");
}

TEST(TextFolderTest, PhraseRulesStillApplyAndSimplifiedTextPassesUnchanged) {
  auto folder = TextFolder::Create();
  ASSERT_TRUE(folder.ok());
  // 乾 alone would become 干; OpenCC's phrase table keeps it in 乾隆. Text holding any
  // Traditional character goes through the converter whole.
  EXPECT_EQ((*folder)->Fold("乾隆皇帝的頭髮"), "乾隆皇帝的头发");
  EXPECT_EQ((*folder)->Fold("石墨烯电池 MoS2"), "石墨烯电池 mos2");
  EXPECT_EQ((*folder)->Fold("𠀋 text"), "𠀋 text") << "beyond the BMP: the converter decides";
}

// ASCII and BMP Han text is folded without ICU; a fullwidth comma (which NFKC turns into ',')
// sends the same text through ICU: both must fold every character alike.
TEST(TextFolderTest, TheAsciiAndHanFastPathFoldsAsIcuDoes) {
  auto folder = TextFolder::Create();
  ASSERT_TRUE(folder.ok());
  auto agree = [&](const std::string& text) {
    EXPECT_EQ((*folder)->Fold(text + "，"), (*folder)->Fold(text) + ",") << text;
  };
  agree("Hello WORLD\t\r\n 123 !\"#$%&'()*+-./:;<=>?@[\\]^_`{|}~");
  std::string chunk;
  for (char32_t c = 0x3400; c <= 0x9FFF; ++c) {
    char utf8[3] = {static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
                    static_cast<char>(0x80 | (c & 0x3F))};
    chunk.append(utf8, 3);
    if (chunk.size() >= 300 || c == 0x9FFF) {
      agree(chunk);
      chunk.clear();
    }
  }
}

}  // namespace
}  // namespace parkhub::text
