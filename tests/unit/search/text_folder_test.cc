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

}  // namespace
}  // namespace parkhub::search
