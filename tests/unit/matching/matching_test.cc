#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "matching/analyzer.h"
#include "matching/bm25_index.h"
#include "matching/evaluation.h"

namespace parkhub::matching {
namespace {

class MatchingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::move(search::TextFolder::Create()).value();
    analyzer_ = std::move(Analyzer::Create(*folder_)).value();
  }
  bool Has(const std::vector<std::string>& terms, const std::string& term) {
    return std::find(terms.begin(), terms.end(), term) != terms.end();
  }
  std::unique_ptr<search::TextFolder> folder_;
  std::unique_ptr<Analyzer> analyzer_;
};

TEST_F(MatchingTest, TraditionalAndSimplifiedGiveTheSameTerms) {
  EXPECT_EQ(analyzer_->Terms("香港科技大學的石墨烯電池"), analyzer_->Terms("香港科技大学的石墨烯电池"));
  EXPECT_EQ(analyzer_->Terms("ＧＲＡＰＨＥＮＥ"), analyzer_->Terms("graphene"));
}

TEST_F(MatchingTest, ChineseIsSegmentedIntoWordsAndBigrams) {
  auto terms = analyzer_->Terms("控制器设计方法");
  EXPECT_TRUE(Has(terms, "控制器")) << "a dictionary word is kept whole";
  EXPECT_TRUE(Has(terms, "设计"));
  EXPECT_TRUE(Has(terms, "器设")) << "bigrams across word boundaries meet other segmentations";
}

TEST_F(MatchingTest, MixedScriptAndChemicalTokensStayWhole) {
  auto terms = analyzer_->Terms("MoS2薄膜用于5G天线，掺杂Eu2+离子");
  EXPECT_TRUE(Has(terms, "mos2"));
  EXPECT_TRUE(Has(terms, "5g"));
  EXPECT_TRUE(Has(terms, "eu2"));
  EXPECT_TRUE(Has(terms, "薄膜"));
  EXPECT_TRUE(analyzer_->Terms("🙂🙂 ?!… ——").empty());
  EXPECT_TRUE(analyzer_->Terms("").empty());
}

TEST_F(MatchingTest, EnglishIsStemmed) {
  EXPECT_EQ(analyzer_->Terms("Catalytic materials"), analyzer_->Terms("catalytic material"));
  EXPECT_EQ(analyzer_->Terms("oxidation"), analyzer_->Terms("oxidations"));
}

TEST_F(MatchingTest, Bm25RanksTitleMatchesAboveTextMatches) {
  Bm25Index index;
  index.Add("text-only", {{analyzer_->Terms("a survey"), 3.0},
                          {analyzer_->Terms("perovskite solar cells and many other things"), 1.0}});
  index.Add("title", {{analyzer_->Terms("perovskite solar cells"), 3.0},
                      {analyzer_->Terms("we report efficiency"), 1.0}});
  index.Add("unrelated", {{analyzer_->Terms("river sediment"), 3.0}, {{}, 1.0}});
  auto ranked = index.Search(analyzer_->Terms("Perovskite solar cell"), 10);
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].id, "title");
  EXPECT_EQ(ranked[1].id, "text-only");
  EXPECT_TRUE(index.Search(analyzer_->Terms("!!!"), 10).empty());
  EXPECT_EQ(index.Search(analyzer_->Terms("perovskite"), 1).size(), 1u);
}

TEST_F(MatchingTest, ARepeatedQueryTermDoesNotDrownARareOne) {
  Bm25Index index;
  index.Add("layer", {{{"layer"}, 1.0}});
  index.Add("graphene", {{{"graphene"}, 1.0}});
  index.Add("film", {{{"layer", "film"}, 1.0}});
  index.Add("coating", {{{"layer", "coating"}, 1.0}});
  // "said layer" five times, as claims do, against one rare and telling word.
  auto ranked = index.Search({"layer", "layer", "layer", "layer", "layer", "graphene"}, 1);
  ASSERT_EQ(ranked.size(), 1u);
  EXPECT_EQ(ranked[0].id, "graphene");
}

TEST_F(MatchingTest, EvaluationReadsBeirAndScoresRanks) {
  auto dir = std::filesystem::temp_directory_path() / ("parkhub-beir-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "corpus.jsonl")
      << R"({"_id":"d1","title":"石墨烯电池","text":"一种石墨烯电池的制备方法","metadata":{"keywords":["石墨烯"]}})" "\n"
      << R"({"_id":"d2","title":"河流泥沙","text":"泥沙输运模型"})" "\n";
  std::ofstream(dir / "queries.jsonl") << R"({"_id":"q1","text":"石墨烯電池"})" "\n"
                                       << R"({"_id":"q2","text":"泥沙"})" "\n"
                                       << R"({"_id":"q3","text":"unjudged"})" "\n";
  std::ofstream(dir / "qrels.tsv") << "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td1\t1\n";
  auto set = LoadBeirSet(dir.string());
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  auto report = Evaluate(*set, *analyzer_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->queries, 2u);  // q3 has no judgement
  // q1 finds d1 first (1.0); q2 finds d2, which is not the judged answer, and never d1 (0).
  EXPECT_DOUBLE_EQ(report->mrr_at_10, 0.5);
  EXPECT_DOUBLE_EQ(report->recall_at_100, 0.5);
  EXPECT_FALSE(LoadBeirSet((dir / "missing").string()).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace parkhub::matching
