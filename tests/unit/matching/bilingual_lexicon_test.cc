#include "matching/bilingual_lexicon.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "matching/analyzer.h"

namespace parkhub::matching {
namespace {

using Views = std::vector<std::string_view>;

// A few lines in CC-CEDICT's own format, the kinds of senses the dictionary has.
constexpr std::string_view kDictionary =
    "# CC-CEDICT sample\n"
    "催化 催化 [cui1 hua4] /catalysis/to catalyze (a reaction)/\n"
    "氧化 氧化 [yang3 hua4] /to oxidize/\n"
    "部分 部分 [bu4 fen5] /part; share; section; piece/CL:個|个[ge4]/\n"
    "部分氧化 部分氧化 [bu4 fen5 yang3 hua4] /partial oxidation/\n"
    "合成 合成 [he2 cheng2] /to compose; to constitute/compound; synthesis; mixture/synthetic/\n"
    "氣 气 [qi4] /gas/air/smell/CL:股[gu3]/\n"
    "張 张 [Zhang1] /surname Zhang/\n"
    "張 张 [zhang1] /to open up/classifier for flat objects, sheet/\n"
    "箇 个 [ge4] /variant of 個|个[ge4]/\n"
    "晶片 晶片 [jing1 pian4] /(electronics) chip/(Tw) (computing) integrated circuit/\n";

class BilingualLexiconTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::move(text::TextFolder::Create()).value();
    analyzer_ = std::move(Analyzer::Create(*folder_)).value();
    key_ = [this](std::string_view phrase) {
      std::string key;
      for (const auto& term : analyzer_->Terms(phrase)) key += (key.empty() ? "" : " ") + term;
      return key;
    };
  }
  std::unique_ptr<text::TextFolder> folder_;
  std::unique_ptr<Analyzer> analyzer_;
  BilingualLexicon::EnglishKey key_;
};

TEST(CleanSenseTest, KeepsRenderingsAndDropsWhatIsNotOne) {
  EXPECT_EQ(CleanSense("to catalyze (a reaction)"), std::vector<std::string>{"catalyze"});
  EXPECT_EQ(CleanSense("part; share; section"),
            (std::vector<std::string>{"part", "share", "section"}));
  EXPECT_TRUE(CleanSense("surname Zhang").empty());
  EXPECT_TRUE(CleanSense("variant of 個|个[ge4]").empty());
  EXPECT_TRUE(CleanSense("CL:個|个[ge4]").empty());
  EXPECT_TRUE(CleanSense("classifier for flat objects, sheet").empty());
  EXPECT_TRUE(CleanSense("used in 自個兒|自个儿[zi4 ge3 r5]").empty());
  EXPECT_TRUE(CleanSense("the emergency number for law enforcement in Mainland China").empty())
      << "longer than four words: an explanation, not a rendering";
}

TEST_F(BilingualLexiconTest, TranslatesBothWaysInEitherScript) {
  auto lexicon = BilingualLexicon::FromText(kDictionary, *folder_, key_);
  EXPECT_EQ(lexicon->ToEnglish("催化"), (Views{"catalysis", "catalyze"}));
  EXPECT_EQ(lexicon->ToEnglish(folder_->Fold("氣")), (Views{"gas", "air", "smell"}));
  EXPECT_EQ(lexicon->ToEnglish("张"), (Views{"open up"})) << "no surname, no classifier";
  EXPECT_TRUE(lexicon->ToEnglish("个").empty()) << "a variant only";
  EXPECT_EQ(lexicon->ToEnglish("晶片"), (Views{"chip", "integrated circuit"}));
  // English to Chinese through the analysed key: "oxidation" and "oxidize" share a stem.
  EXPECT_EQ(lexicon->ToChinese(key_("partial oxidation")), (Views{"部分氧化"}));
  EXPECT_EQ(lexicon->ToChinese(key_("oxidation")), (Views{"氧化"}));
  EXPECT_EQ(lexicon->ToChinese(key_("synthesis")), (Views{"合成"}));
  EXPECT_TRUE(lexicon->ToChinese(key_("zhang")).empty());
}

TEST_F(BilingualLexiconTest, CutsHanTextIntoTheLongestWords) {
  auto lexicon = BilingualLexicon::FromText(kDictionary, *folder_, key_);
  EXPECT_EQ(lexicon->LongestWords("合成气催化部分氧化工"),
            (Views{"合成", "气", "催化", "部分氧化", "工"}));
  EXPECT_TRUE(lexicon->LongestWords("").empty());
}

// The dictionary the setup installs (scripts/setup.sh writes it from the npm package), when it
// is there: it loads, and its common words translate.
TEST_F(BilingualLexiconTest, TheInstalledDictionaryLoads) {
  const char* path = std::getenv("PARKHUB_LEXICON");
  if (path == nullptr || !std::filesystem::exists(path)) GTEST_SKIP() << "PARKHUB_LEXICON not set";
  auto lexicon = BilingualLexicon::Load(path, *folder_, key_);
  ASSERT_TRUE(lexicon.ok()) << lexicon.status().ToString();
  EXPECT_GT((*lexicon)->words(), 90000u);
  const auto& catalysis = (*lexicon)->ToEnglish("催化");
  EXPECT_NE(std::find(catalysis.begin(), catalysis.end(), "catalysis"), catalysis.end());
  const auto& chinese = (*lexicon)->ToChinese(key_("oxidize"));
  EXPECT_NE(std::find(chinese.begin(), chinese.end(), "氧化"), chinese.end());
  EXPECT_EQ(BilingualLexicon::Load("/nonexistent/cedict", *folder_, key_).status().code(),
            ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace parkhub::matching
