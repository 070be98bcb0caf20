#include "matching/bilingual_lexicon.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "matching/analyzer.h"
#include "matching/query_translator.h"
#include "matching/search_index.h"

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
    key_ = [this](std::string_view phrase) { return EnglishKey(*analyzer_, phrase); };
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
  EXPECT_EQ(LongestWords({lexicon.get()}, "合成气催化部分氧化工"),
            (Views{"合成", "气", "催化", "部分氧化", "工"}));
  EXPECT_TRUE(LongestWords({lexicon.get()}, "").empty());
}

// The park's vocabulary comes first: its words are cut whole where the dictionary would cut them
// in pieces, its renderings lead, and a query word keeps the script the query wrote it in.
TEST_F(BilingualLexiconTest, TheParksVocabularyComesBeforeTheDictionary) {
  auto dictionary = BilingualLexicon::FromText(kDictionary, *folder_, key_);
  auto park = BilingualLexicon::FromPairs(
      {{"合成氣", "syngas"},
       {"合成气", "synthesis gas"},
       {"香港科技大学", "The Hong Kong University of Science and Technology"}},
      *folder_, key_);
  EXPECT_EQ(LongestWords({park.get(), dictionary.get()}, "合成气催化"), (Views{"合成气", "催化"}));
  EXPECT_EQ(park->ToEnglish("合成气"), (Views{"syngas", "synthesis gas"}))
      << "either script, one folded word";
  QueryTranslator translator({park.get(), dictionary.get()}, *analyzer_, *folder_);
  std::map<std::string, std::string> sources;
  for (const auto& t : translator.Translate("合成氣催化")) sources[t.term] = t.source;
  EXPECT_EQ(sources[key_("syngas")], "合成氣") << "as the query wrote it";
  EXPECT_EQ(sources.count(key_("compose")), 0u) << "合成 is not cut out of 合成气";
  std::set<std::string> chinese;
  for (const auto& t : translator.Translate("Hong Kong University of Science and Technology"))
    chinese.insert(t.rendering);
  EXPECT_TRUE(chinese.count("香港科技大学")) << "a name longer than four words is one phrase";
}

// A Chinese query is searched in English and the other way round: each source word one group,
// its renderings sharing its weight, each translation saying what it came from.
TEST_F(BilingualLexiconTest, QueriesAreTranslatedWordByWordWithTheirWeightShared) {
  auto lexicon = BilingualLexicon::FromText(kDictionary, *folder_, key_);
  QueryTranslator translator({lexicon.get()}, *analyzer_, *folder_);
  std::map<std::string, double> weights;
  std::map<std::string, std::string> sources;
  for (const auto& t : translator.Translate("合成氣的催化部分氧化")) {
    weights[t.term] += t.weight;
    sources[t.term] = t.source + " → " + t.rendering;
  }
  EXPECT_DOUBLE_EQ(weights[key_("partial")], 1.0) << "部分氧化 has one rendering";
  EXPECT_DOUBLE_EQ(weights[key_("oxidation")], 1.0);
  EXPECT_DOUBLE_EQ(weights[key_("gas")], 1.0 / 3) << "气 shares its weight among gas, air, smell";
  EXPECT_DOUBLE_EQ(weights[key_("catalysis")], 0.5);
  EXPECT_EQ(sources[key_("partial")], "部分氧化 → partial oxidation");
  EXPECT_EQ(weights.count(key_("zhang")), 0u);

  std::set<std::string> read;
  for (const auto& t : translator.Translate("Partial oxidation of the gas"))
    read.insert(t.source + " → " + t.rendering);
  EXPECT_EQ(read, (std::set<std::string>{"partial oxidation → 部分氧化", "oxidation → 氧化",
                                         "gas → 气"}))
      << "the longest phrase first, then its words on their own; of and the not alone";
}

TEST_F(BilingualLexiconTest, ATranslatedQueryFindsTheDocumentInTheOtherLanguage) {
  auto lexicon = BilingualLexicon::FromText(kDictionary, *folder_, key_);
  QueryTranslator translator({lexicon.get()}, *analyzer_, *folder_);
  auto directory = std::filesystem::temp_directory_path() / "parkhub-translation-test";
  std::filesystem::remove_all(directory);
  auto index = std::move(SearchIndex::Open(directory.string())).value();
  std::vector<IndexChange> documents;
  for (const auto& [id, title] : {std::pair{"syngas", "Catalytic partial oxidation of natural gas"},
                                  std::pair{"chips", "Integrated circuit packaging"},
                                  std::pair{"air", "Air quality sensors"}}) {
    IndexDocument document;
    document.id = id;
    document.fields = {{analyzer_->Terms(title), 3}};
    documents.push_back({id, document});
  }
  ASSERT_TRUE(index->Apply(documents, 0).ok());
  IndexQuery query;
  query.terms = analyzer_->Terms("合成气部分氧化");
  EXPECT_TRUE(index->Search(query)->hits.empty()) << "without translation, no shared term";
  for (const auto& t : translator.Translate("合成气部分氧化"))
    query.weighted_terms.push_back({t.term, t.weight, t.fragment});
  auto found = index->Search(query);
  ASSERT_TRUE(found.ok());
  ASSERT_FALSE(found->hits.empty());
  EXPECT_EQ(found->hits[0].id, "syngas");
  std::filesystem::remove_all(directory);
}

// In an index mostly in Chinese, English function words are rare, so their idf is high: without
// WeakQueryTerms the lone English document that says "of the" would outrank the Chinese one the
// query's translation finds.
TEST_F(BilingualLexiconTest, FunctionWordsDoNotMakeTheLoneEnglishDocumentWin) {
  auto lexicon = BilingualLexicon::FromText(kDictionary, *folder_, key_);
  QueryTranslator translator({lexicon.get()}, *analyzer_, *folder_);
  auto directory = std::filesystem::temp_directory_path() / "parkhub-function-words-test";
  std::filesystem::remove_all(directory);
  auto index = std::move(SearchIndex::Open(directory.string())).value();
  std::vector<IndexChange> documents;
  auto add = [&](std::string id, std::string_view title) {
    IndexDocument document;
    document.id = id;
    document.fields = {{analyzer_->Terms(title), 3}};
    documents.push_back({id, document});
  };
  add("english", "The end of the line is in the hands of the state");
  add("chinese", "金属的氧化");
  for (int i = 0; i < 30; ++i) add("chip" + std::to_string(i), "集成电路封装与晶片测试");
  ASSERT_TRUE(index->Apply(documents, 0).ok());
  std::string_view text = "The oxidation of the metals";
  IndexQuery query;
  query.terms = analyzer_->Terms(text);
  for (const auto& t : translator.Translate(text))
    query.weighted_terms.push_back({t.term, t.weight, t.fragment});
  query.weak_terms = &WeakQueryTerms();
  auto found = index->Search(query);
  ASSERT_TRUE(found.ok());
  ASSERT_FALSE(found->hits.empty());
  EXPECT_EQ(found->hits[0].id, "chinese");
  std::filesystem::remove_all(directory);
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
