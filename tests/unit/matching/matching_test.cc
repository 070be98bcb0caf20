#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "matching/analyzer.h"
#include "core/random.h"
#include "matching/highlighter.h"
#include "matching/search_index.h"
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

TEST_F(MatchingTest, HighlighterMarksWordsAcrossScriptsAndStems) {
  Highlighter highlighter;
  auto terms = analyzer_->Terms("石墨烯 电池 material");
  std::set<std::string> query(terms.begin(), terms.end());
  auto lit = highlighter.Snippet(*analyzer_, "高導熱石墨烯電池 <b>& Materials</b>", query, 200);
  EXPECT_EQ(lit.html, "高導熱<mark>石墨烯電池</mark> &lt;b&gt;&amp; <mark>Materials</mark>&lt;/b&gt;");
  EXPECT_EQ(lit.matched, (std::vector<std::string>{"石墨烯電池", "Materials"}));

  auto window = highlighter.Snippet(*analyzer_, "lead words " + std::string(200, '.') + " 石墨烯 tail " +
                                                    std::string(200, '.'),
                                    query, 40);
  EXPECT_EQ(window.html.rfind("…", 0), 0u) << "cut before: " << window.html;
  EXPECT_NE(window.html.find("<mark>石墨烯</mark>"), std::string::npos);
  auto one_word = highlighter.Snippet(*analyzer_, std::string(5000, 'z'), query, 50);
  EXPECT_LE(one_word.html.size(), 60u);
  EXPECT_TRUE(highlighter.Snippet(*analyzer_, "", query, 50).html.empty());
}

IndexDocument Doc(const std::string& id, std::vector<IndexField> fields,
                  std::vector<std::string> filters = {},
                  std::map<unsigned, std::string> values = {}) {
  IndexDocument d;
  d.id = id;
  d.fields = std::move(fields);
  d.filter_terms = std::move(filters);
  d.values = std::move(values);
  d.data = "data of " + id;
  return d;
}

std::vector<std::string> Ids(const IndexResult& result) {
  std::vector<std::string> ids;
  for (const auto& hit : result.hits) ids.push_back(hit.id);
  return ids;
}

class SearchIndexTest : public MatchingTest {
 protected:
  void SetUp() override {
    MatchingTest::SetUp();
    dir_ = std::filesystem::temp_directory_path() / ("parkhub-index-" + NewPublicId("t"));
    index_ = std::move(SearchIndex::Open(dir_.string())).value();
  }
  void TearDown() override {
    index_.reset();
    std::filesystem::remove_all(dir_);
  }
  IndexResult Search(IndexQuery query) {
    auto result = index_->Search(query);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : IndexResult{};
  }
  IndexQuery Query(const std::string& text) {
    IndexQuery q;
    q.terms = analyzer_->Terms(text);
    return q;
  }
  std::filesystem::path dir_;
  std::unique_ptr<SearchIndex> index_;
};

TEST_F(SearchIndexTest, RanksTitleMatchesAboveTextMatches) {
  ASSERT_TRUE(index_->Apply({{"text-only", Doc("text-only", {{analyzer_->Terms("a survey"), 3},
                                  {analyzer_->Terms("perovskite solar cells and many other things"), 1}})},
                             {"title", Doc("title", {{analyzer_->Terms("perovskite solar cells"), 3},
                                  {analyzer_->Terms("we report efficiency"), 1}})},
                             {"unrelated", Doc("unrelated", {{analyzer_->Terms("river sediment"), 3}})}},
                            1).ok());
  auto result = Search(Query("Perovskite solar cell"));
  EXPECT_EQ(Ids(result), (std::vector<std::string>{"title", "text-only"}));
  EXPECT_EQ(result.hits[0].data, "data of title");
  EXPECT_TRUE(Search(Query("zeolite")).hits.empty());
  EXPECT_EQ(Search(Query("!!!")).total, 3u) << "no terms at all: browse everything";
  auto one = Query("perovskite");
  one.limit = 1;
  EXPECT_EQ(Search(one).hits.size(), 1u);
}

TEST_F(SearchIndexTest, ARepeatedQueryTermDoesNotDrownARareOne) {
  ASSERT_TRUE(index_->Apply({{"layer", Doc("layer", {{{"layer"}, 1}})},
                             {"graphene", Doc("graphene", {{{"graphene"}, 1}})},
                             {"film", Doc("film", {{{"layer", "film"}, 1}})},
                             {"coating", Doc("coating", {{{"layer", "coating"}, 1}})}},
                            4).ok());
  // "said layer" five times, as claims do, against one rare and telling word.
  IndexQuery q;
  q.terms = {"layer", "layer", "layer", "layer", "layer", "graphene"};
  q.limit = 1;
  EXPECT_EQ(Ids(Search(q)), std::vector<std::string>{"graphene"});
}

TEST_F(SearchIndexTest, FiltersRangesFacetsAndExclusions) {
  auto trl = [](double level) { return SearchIndex::NumericValue(level); };
  ASSERT_TRUE(index_->Apply(
      {{"a", Doc("a", {{analyzer_->Terms("graphene battery"), 1}}, {"Kresult", "Rhk"},
                 {{1, "result"}, {2, trl(7)}, {3, "energy|materials"}})},
       {"b", Doc("b", {{analyzer_->Terms("graphene coating"), 1}}, {"Kneed", "Rsz"},
                 {{1, "need"}, {2, trl(3)}, {3, "materials"}})},
       {"c", Doc("c", {{analyzer_->Terms("graphene sensor"), 1}}, {"Kresult", "Rsz"},
                 {{1, "result"}, {2, trl(4)}})}},
      3).ok());
  auto q = Query("graphene");
  q.facet_slots = {1, 3};
  auto all = Search(q);
  EXPECT_EQ(all.total, 3u);
  EXPECT_EQ(all.facets[1]["result"], 2u);
  EXPECT_EQ(all.facets[3]["materials"], 2u) << "several values in one slot count once each";
  EXPECT_EQ(all.facets[3]["energy"], 1u);

  q.filter_groups = {{"Kresult"}, {"Rhk", "Rsz"}};
  EXPECT_EQ(Search(q).total, 2u);
  q.ranges = {{2, 5, 9}};
  EXPECT_EQ(Ids(Search(q)), std::vector<std::string>{"a"});
  q.ranges.clear();
  q.exclude_ids = {"a"};
  EXPECT_EQ(Ids(Search(q)), std::vector<std::string>{"c"});

  IndexQuery browse;  // no words: everything that passes the filters
  browse.filter_groups = {{"Rsz"}};
  EXPECT_EQ(Search(browse).total, 2u);
}

TEST_F(SearchIndexTest, ReplacesRemovesAndRemembersTheLastSequenceAcrossReopen) {
  ASSERT_TRUE(index_->Apply({{"x", Doc("x", {{{"alpha"}, 1}})}}, 7).ok());
  ASSERT_TRUE(index_->Apply({{"x", Doc("x", {{{"beta"}, 1}})}}, 8).ok());
  EXPECT_TRUE(Search(Query("alpha")).hits.empty()) << "the new version replaced the old";
  EXPECT_EQ(Search(Query("beta")).hits.size(), 1u);
  ASSERT_TRUE(index_->Apply({{"x", std::nullopt}}, 9).ok());
  EXPECT_TRUE(Search(Query("beta")).hits.empty());
  index_.reset();
  index_ = std::move(SearchIndex::Open(dir_.string())).value();
  EXPECT_EQ(index_->LastAppliedSeq(), 9);
  EXPECT_EQ(index_->DocumentCount(), 0u);
  auto second = SearchIndex::Open(dir_.string());
  EXPECT_FALSE(second.ok()) << "one writer per index";
}

TEST_F(SearchIndexTest, MaxTermsKeepsTheRarestTerms) {
  ASSERT_TRUE(index_->Apply({{"common1", Doc("common1", {{{"the", "method"}, 1}})},
                             {"common2", Doc("common2", {{{"the", "device"}, 1}})},
                             {"rare", Doc("rare", {{{"the", "perovskite"}, 1}})}},
                            1).ok());
  IndexQuery q;
  q.terms = {"the", "perovskite"};
  q.max_terms = 1;
  EXPECT_EQ(Ids(Search(q)), std::vector<std::string>{"rare"});
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
