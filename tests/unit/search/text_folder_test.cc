#include <gtest/gtest.h>

#include "search/text_folder.h"

namespace parkhub::search {
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

}  // namespace
}  // namespace parkhub::search
