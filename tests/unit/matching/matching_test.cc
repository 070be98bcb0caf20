#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <cmath>
#include <random>
#include <set>

#include "matching/analyzer.h"
#include "core/random.h"
#include "matching/highlighter.h"
#include "matching/people.h"
#include "matching/search_index.h"
#include "matching/evaluation.h"

namespace parkhub::matching {
namespace {

class MatchingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::move(text::TextFolder::Create()).value();
    analyzer_ = std::move(Analyzer::Create(*folder_)).value();
  }
  bool Has(const std::vector<std::string>& terms, const std::string& term) {
    return std::find(terms.begin(), terms.end(), term) != terms.end();
  }
  std::unique_ptr<text::TextFolder> folder_;
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

TEST_F(MatchingTest, FunctionCharactersAndPairsAcrossWordsAreFragments) {
  std::vector<std::string> fragments;
  auto terms = analyzer_->Terms("用于制氢的合成气", &fragments);
  std::set<std::string> fragment_set(fragments.begin(), fragments.end());
  EXPECT_TRUE(fragment_set.count("于制")) << "a pair across 用于|制氢";
  EXPECT_TRUE(fragment_set.count("的")) << "a function character";
  EXPECT_FALSE(fragment_set.count("制氢")) << "a word";
  EXPECT_FALSE(fragment_set.count("合成")) << "a pair inside a word";
  for (const auto& fragment : fragments) EXPECT_TRUE(Has(terms, fragment));
  fragments.clear();
  analyzer_->Terms("铌", &fragments);
  EXPECT_TRUE(fragments.empty()) << "a telling character on its own is a word";
  fragments.clear();
  analyzer_->Terms("褚伯秀", &fragments);
  EXPECT_TRUE(fragments.empty()) << "a name the dictionary does not know: its pairs are the word";
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

// The stem cache starts over when full (50,000 words): the stems must not change across that.
TEST_F(MatchingTest, StemsStayTheSameAcrossTheStemCacheStartingOver) {
  const std::vector<std::string> before = analyzer_->Terms("oxidations catalysing membranes");
  std::string first, last;  // 50,000 distinct words fill the cache; 10,000 more follow
  for (int i = 0; i < 60000; ++i) {
    std::string word = "w";
    for (int n = i; n > 0; n /= 26) word += static_cast<char>('a' + n % 26);
    (i < 50000 ? first : last) += word + "ing ";
  }
  analyzer_->Terms(first);
  auto after_restart = analyzer_->Terms(last);
  auto fresh = std::move(Analyzer::Create(*folder_)).value();  // its own cache, never full
  EXPECT_EQ(after_restart, fresh->Terms(last));
  EXPECT_EQ(analyzer_->Terms("oxidations catalysing membranes"), before);
  EXPECT_EQ(before, (std::vector<std::string>{"oxid", "catalys", "membran"}));
}

TEST_F(MatchingTest, HighlighterMarksWordsAcrossScriptsAndStems) {
  auto terms = analyzer_->Terms("石墨烯 电池 material");
  MatchTerms query({terms.begin(), terms.end()});
  auto lit = HighlightSnippet(*analyzer_, "高導熱石墨烯電池 <b>& Materials</b>", query, 200);
  EXPECT_EQ(lit.html, "高導熱<mark>石墨烯電池</mark> &lt;b&gt;&amp; <mark>Materials</mark>&lt;/b&gt;");
  EXPECT_EQ(lit.matched, (std::vector<std::string>{"石墨烯電池", "Materials"}));

  auto window = HighlightSnippet(*analyzer_, "lead words " + std::string(200, '.') + " 石墨烯 tail " +
                                                    std::string(200, '.'),
                                    query, 40);
  EXPECT_EQ(window.html.rfind("…", 0), 0u) << "cut before: " << window.html;
  EXPECT_NE(window.html.find("<mark>石墨烯</mark>"), std::string::npos);
  // Words are skipped unstemmed when no term begins as they do; the stemmer's exceptions and
  // stems that change more than an ending must still light up.
  std::string words = "Dying lying tying skies skis ugly early only news gently idly yellow "
                      "Youthful studies happily MOS2 5G Cu2O";
  auto word_terms = analyzer_->Terms(words);
  auto all_words = HighlightSnippet(*analyzer_, words, MatchTerms(word_terms), 500);
  EXPECT_EQ(all_words.matched.size(), 18u) << all_words.html;
  auto one_word = HighlightSnippet(*analyzer_, std::string(5000, 'z'), query, 50);
  EXPECT_LE(one_word.html.size(), 60u);
  EXPECT_TRUE(HighlightSnippet(*analyzer_, "", query, 50).html.empty());
}

IndexDocument Doc(const std::string& id, std::vector<IndexField> fields,
                  std::vector<std::string> filters = {},
                  std::map<unsigned, std::string> values = {}) {
  IndexDocument d;
  d.id = id;
  d.fields = std::move(fields);
  d.filter_terms = std::move(filters);
  d.values = std::move(values);
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

TEST_F(SearchIndexTest, FragmentsScoreButDoNotMatchOnTheirOwn) {
  auto doc = [&](const std::string& id, const std::string& title) {
    return IndexChange{id, Doc(id, {{analyzer_->Terms(title), 3}})};
  };
  ASSERT_TRUE(index_
                  ->Apply({doc("crowns", "关于制作牙冠的方法"), doc("syngas", "合成气制氢工艺"),
                           doc("bridge", "长江大桥的钢结构")},
                          1)
                  .ok());
  IndexQuery query;
  query.terms = analyzer_->Terms("用于制氢的合成气", &query.fragment_terms);
  EXPECT_EQ(Ids(Search(query)), std::vector<std::string>{"syngas"})
      << "the crowns share only 于制 and the bridge only 的";
  IndexQuery without = query;
  without.fragment_terms.clear();
  EXPECT_EQ(Search(without).hits.size(), 3u) << "the same terms as words match all three";
  IndexQuery only_fragments;
  only_fragments.terms = analyzer_->Terms("的", &only_fragments.fragment_terms);
  EXPECT_EQ(Search(only_fragments).hits.size(), 2u) << "a query of fragments alone still matches";
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
  ASSERT_TRUE(index_->Apply({{"x", std::nullopt}, {"y", Doc("y", {{{"gamma"}, 1}}, {"Kneed"}, {{1, "need"}})}}, 9).ok());
  EXPECT_TRUE(Search(Query("beta")).hits.empty());
  EXPECT_EQ(index_->DurableSeq(), 0) << "nothing is durable before a checkpoint";
  ASSERT_TRUE(index_->Checkpoint().ok());
  EXPECT_EQ(index_->DurableSeq(), 9);
  auto second = SearchIndex::Open(dir_.string());
  EXPECT_EQ(second.status().code(), ErrorCode::kUnavailable) << "one process per index";
  EXPECT_EQ(SearchIndex::EnsureNotInUse(dir_.string()).code(), ErrorCode::kUnavailable);
  ASSERT_TRUE(index_->Apply({{"z", Doc("z", {{{"delta"}, 1}})}}, 10).ok());  // never checkpointed
  index_.reset();
  EXPECT_TRUE(SearchIndex::EnsureNotInUse(dir_.string()).ok());
  index_ = std::move(SearchIndex::Open(dir_.string())).value();
  EXPECT_EQ(index_->LastAppliedSeq(), 9) << "the snapshot's sequence: the owner replays from here";
  EXPECT_EQ(index_->DocumentCount(), 1u);
  IndexQuery q = Query("gamma");
  q.filter_groups = {{"Kneed"}};
  q.facet_slots = {1};
  auto found = Search(q);
  EXPECT_EQ(Ids(found), std::vector<std::string>{"y"}) << "terms, filters and values survive";
  EXPECT_EQ(found.facets[1]["need"], 1u);
  EXPECT_TRUE(Search(Query("delta")).hits.empty());
}

TEST_F(SearchIndexTest, ADamagedSnapshotIsRefusedNotRead) {
  ASSERT_TRUE(index_->Apply({{"x", Doc("x", {{{"alpha"}, 1}})}}, 1).ok());
  ASSERT_TRUE(index_->Checkpoint().ok());
  index_.reset();
  auto size = std::filesystem::file_size(dir_ / "snapshot");
  std::filesystem::resize_file(dir_ / "snapshot", size - 3);
  auto reopened = SearchIndex::Open(dir_.string());
  ASSERT_FALSE(reopened.ok());
  EXPECT_NE(reopened.status().message().find("parkhub reindex"), std::string::npos);
  std::filesystem::remove(dir_ / "snapshot");
  index_ = std::move(SearchIndex::Open(dir_.string())).value();
}

TEST_F(SearchIndexTest, CompactionKeepsEveryLiveDocumentAndItsRank) {
  std::vector<IndexChange> docs;
  for (int i = 0; i < 50; ++i) {
    docs.push_back({"d" + std::to_string(i),
                    Doc("d" + std::to_string(i), {{{"common", i % 2 ? "odd" : "even", "w" + std::to_string(i)}, 1}},
                        {i % 2 ? "Kodd" : "Keven"}, {{1, std::to_string(i)}})});
  }
  ASSERT_TRUE(index_->Apply(docs, 1).ok());
  std::vector<IndexChange> removals;
  for (int i = 0; i < 30; ++i) removals.push_back({"d" + std::to_string(i), std::nullopt});
  ASSERT_TRUE(index_->Apply(removals, 2).ok());
  IndexQuery q = Query("common odd");
  q.limit = 50;
  auto before = Search(q);
  ASSERT_TRUE(index_->Checkpoint().ok());  // 60% dead: compacts
  auto after = Search(q);
  EXPECT_EQ(Ids(after).size(), 20u);
  EXPECT_EQ(Ids(after)[0].substr(0, 1), "d");
  auto before_ids = Ids(before), after_ids = Ids(after);
  std::set<std::string> expected(before_ids.begin(), before_ids.end());
  std::set<std::string> got(after_ids.begin(), after_ids.end());
  EXPECT_EQ(got, expected);
  IndexQuery odd;
  odd.filter_groups = {{"Kodd"}};
  EXPECT_EQ(Search(odd).total, 10u);
}

// MaxScore skips documents that cannot reach the top k, and block-max bounds skip whole
// windows of documents; the top k must be exactly what scoring every document gives, with the
// bounds built while loading, after a reopen (derived from the snapshot) and after a compaction
// renumbers. Enough documents for several ranking windows; some queries' first terms are
// fragments, which score only documents a word found.
// Documents d0, d1, ... of words t0 ... t998, the low numbers far more common: a title of 4 and
// a text of 5 to 84, a kind filter term, and slot 1 holding i % 10.
void AddRandomDocuments(SearchIndex& index, int count, std::mt19937& random) {
  auto word = [&random] { return "t" + std::to_string(static_cast<int>(std::pow(random() % 1000, 2) / 1000)); };
  std::vector<IndexChange> docs;
  for (int i = 0; i < count; ++i) {
    std::vector<std::string> title, body;
    for (int t = 0; t < 4; ++t) title.push_back(word());
    for (int t = 0, length = 5 + static_cast<int>(random() % 80); t < length; ++t) body.push_back(word());
    docs.push_back({"d" + std::to_string(i),
                    Doc("d" + std::to_string(i), {{title, 3}, {body, 1}}, {random() % 3 ? "Kresult" : "Kneed"},
                        {{1, SearchIndex::NumericValue(i % 10)}})});
  }
  ASSERT_TRUE(index.Apply(docs, 1).ok());
}

TEST_F(SearchIndexTest, PruningNeverChangesTheTopResults) {
  std::mt19937 random(7);
  const int kDocuments = 12000;
  AddRandomDocuments(*index_, kDocuments, random);
  auto check = [&](const std::string& when) {
    for (int n = 0; n < 40; ++n) {
      IndexQuery q;
      for (int t = 0; t < 1 + n % 12; ++t) q.terms.push_back("t" + std::to_string(random() % 400));
      if (n % 3 == 0) q.filter_groups = {{"Kresult"}};
      if (n % 3 == 1) q.filter_groups = {{"Kneed"}};  // a third pass: checked before scoring
      if (n % 4 == 2) q.ranges = {{1, 3, 6}};  // checked last
      if (n % 5 == 4) q.fragment_terms = {q.terms.front(), "t" + std::to_string(n)};
      q.limit = 10;
      auto pruned = Search(q);
      IndexQuery everything = q;
      everything.examine_at_least = kDocuments;
      auto full = Search(everything);
      ASSERT_EQ(pruned.hits.size(), full.hits.size()) << when;
      for (size_t i = 0; i < pruned.hits.size(); ++i) {
        EXPECT_EQ(pruned.hits[i].id, full.hits[i].id) << when << ", query " << n << " rank " << i;
        EXPECT_NEAR(pruned.hits[i].score, full.hits[i].score, 1e-9) << when << ", query " << n << " rank " << i;
      }
      EXPECT_TRUE(full.total_exact) << when;
      EXPECT_LE(pruned.total, full.total) << when;
      if (full.hits.size() < 6) continue;
      // A score floor: exactly the documents above it, best first.
      IndexQuery above = q;
      above.min_score = full.hits[5].score * (1 + 1e-9);  // off the summation order's last bit
      above.limit = 100;
      everything.limit = 100;
      auto expected = Search(everything).hits;
      while (!expected.empty() && expected.back().score <= above.min_score) expected.pop_back();
      auto floored = Search(above);
      ASSERT_EQ(floored.hits.size(), expected.size()) << when << ", query " << n;
      for (size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(floored.hits[i].id, expected[i].id) << when << ", query " << n << " rank " << i;
      }
    }
  };
  check("after loading");
  ASSERT_TRUE(index_->Checkpoint().ok());
  index_.reset();
  index_ = std::move(SearchIndex::Open(dir_.string())).value();
  check("after a reopen");
  std::vector<IndexChange> removals;
  for (int i = 0; i < kDocuments; i += 3) removals.push_back({"d" + std::to_string(i), std::nullopt});
  ASSERT_TRUE(index_->Apply(removals, 2).ok());
  ASSERT_TRUE(index_->Checkpoint().ok());  // a third dead: compacts
  check("after compaction");
}

// A boost (here from slot 1: 0.5 to 1.4) multiplies text scores inside the pruned ranking: the
// top results are those of boosting every match, and they differ from the text order.
TEST_F(SearchIndexTest, ABoostRanksExactlyAsBoostingEveryMatch) {
  std::mt19937 random(11);
  const int kDocuments = 3000;
  AddRandomDocuments(*index_, kDocuments, random);
  Boost boost = [](const SlotValues& values) { return 0.5 + 0.1 * values.Number(1); };
  int reordered = 0;
  for (int n = 0; n < 40; ++n) {
    IndexQuery q;
    for (int t = 0; t < 1 + n % 12; ++t) q.terms.push_back("t" + std::to_string(random() % 400));
    if (n % 3 == 0) q.filter_groups = {{"Kresult"}};
    q.limit = 10;
    q.return_slots = {1};
    auto text_only = Search(q);
    q.boost = boost;
    q.highest_boost = 1.4;
    auto pruned = Search(q);
    IndexQuery everything = q;
    everything.examine_at_least = kDocuments;
    auto full = Search(everything);
    ASSERT_EQ(pruned.hits.size(), full.hits.size()) << "query " << n;
    for (size_t i = 0; i < pruned.hits.size(); ++i) {
      const IndexHit& hit = pruned.hits[i];
      EXPECT_EQ(hit.id, full.hits[i].id) << "query " << n << " rank " << i;
      double factor = 0.5 + 0.1 * SearchIndex::ParseNumericValue(hit.values.at(1));
      EXPECT_NEAR(hit.score, hit.text_score * factor, 1e-9) << "query " << n << " rank " << i;
    }
    if (Ids(pruned) != Ids(text_only)) ++reordered;
  }
  EXPECT_GT(reordered, 10);
}

// A term in every document and one in every stride-th: once the rare term leads, the common
// one is probed only at the rare one's documents, far ahead in its list and, for strides that
// divide the skip step, exactly where a block of its postings begins. Each probe must land.
TEST_F(SearchIndexTest, ProbesFarIntoLongPostingListsLandOnEveryDocument) {
  const int kDocuments = 2000;
  const std::vector<int> kStrides = {1, 5, 7, 32, 63, 64, 65, 128, 300};
  std::vector<IndexChange> docs;
  for (int i = 0; i < kDocuments; ++i) {
    std::vector<std::string> body = {"common"};
    for (int stride : kStrides) {
      if (i % stride == 0) body.push_back("every" + std::to_string(stride));
    }
    for (int filler = 0; filler < i % 13; ++filler) body.push_back("filler");  // varied lengths
    docs.push_back({"d" + std::to_string(i), Doc("d" + std::to_string(i), {{body, 1}}, {"Kresult"}, {})});
  }
  ASSERT_TRUE(index_->Apply(docs, 1).ok());
  for (int stride : kStrides) {
    IndexQuery q;
    q.terms = {"every" + std::to_string(stride), "common"};
    q.limit = 3;
    IndexQuery everything = q;
    everything.examine_at_least = kDocuments;
    auto pruned = Search(q).hits;
    auto full = Search(everything).hits;
    ASSERT_EQ(pruned.size(), 3u) << "stride " << stride;
    for (size_t i = 0; i < pruned.size(); ++i) {
      EXPECT_EQ(pruned[i].id, full[i].id) << "stride " << stride << " rank " << i;
      EXPECT_NEAR(pruned[i].score, full[i].score, 1e-9) << "stride " << stride << " rank " << i;
    }
  }
}

// Impacts are computed at the average document length of their time; once that average has
// moved, every posting is recomputed, so an index loaded in steps scores as one loaded at once.
TEST_F(SearchIndexTest, ImpactsFollowTheAverageLength) {
  auto document = [](int i, int length) {
    std::vector<std::string> body(static_cast<size_t>(length), "filler" + std::to_string(i % 7));
    body[0] = i % 2 ? "graphene" : "membrane";
    return IndexChange{"d" + std::to_string(i), Doc("d" + std::to_string(i), {{{"graphene"}, 3}, {body, 1}})};
  };
  std::vector<IndexChange> short_ones, long_ones;
  for (int i = 0; i < 200; ++i) short_ones.push_back(document(i, 3 + i % 5));
  for (int i = 200; i < 400; ++i) long_ones.push_back(document(i, 40 + i % 50));
  ASSERT_TRUE(index_->Apply(short_ones, 1).ok());
  ASSERT_TRUE(index_->Apply(long_ones, 2).ok());  // the average length grows tenfold

  auto at_once_dir = std::filesystem::temp_directory_path() / ("parkhub-index-" + NewPublicId("t"));
  auto at_once = std::move(SearchIndex::Open(at_once_dir.string())).value();
  std::vector<IndexChange> all = short_ones;
  all.insert(all.end(), long_ones.begin(), long_ones.end());
  ASSERT_TRUE(at_once->Apply(all, 1).ok());

  IndexQuery q;
  q.terms = {"graphene", "membrane"};
  q.limit = 400;
  auto stepwise = Search(q).hits;
  auto whole = at_once->Search(q)->hits;
  ASSERT_EQ(stepwise.size(), 400u);
  ASSERT_EQ(whole.size(), stepwise.size());
  for (size_t i = 0; i < whole.size(); ++i) {
    EXPECT_EQ(stepwise[i].id, whole[i].id) << "rank " << i;
    EXPECT_DOUBLE_EQ(stepwise[i].score, whole[i].score) << "rank " << i;
  }
  EXPECT_GT(whole.front().score, whole.back().score * 1.5) << "short documents score higher";
  at_once.reset();
  std::filesystem::remove_all(at_once_dir);
}

// A filter term is a list while rare and a bitmap once common; which one must never change
// what a filter selects: not as terms turn common mid-load, not after a reopen or compaction.
TEST_F(SearchIndexTest, CommonAndRareFilterTermsSelectExactlyTheirDocuments) {
  const int kDocuments = 6000;
  auto filters_of = [](int i) {
    return std::vector<std::string>{"K" + std::to_string(i % 3), "R" + std::to_string(i % 7),
                                    "O" + std::to_string(i % 900)};
  };
  for (int first = 0; first < kDocuments; first += 1000) {  // batches: terms turn common midway
    std::vector<IndexChange> batch;
    for (int i = first; i < first + 1000; ++i) {
      std::string id = "d" + std::to_string(i);
      batch.push_back({id, Doc(id, {{{"word"}, 1}}, filters_of(i))});
    }
    ASSERT_TRUE(index_->Apply(batch, first + 1).ok());
  }
  std::vector<IndexChange> removals;
  for (int i = 0; i < kDocuments; i += 4) removals.push_back({"d" + std::to_string(i), std::nullopt});
  ASSERT_TRUE(index_->Apply(removals, kDocuments + 1).ok());
  std::vector<std::vector<std::vector<std::string>>> filters = {
      {{"K1"}}, {{"K1"}, {"R2"}}, {{"O5", "O17"}}, {{"K0", "O7"}, {"R0", "R3"}}, {{"Knone"}}};
  auto expected_total = [&](const std::vector<std::vector<std::string>>& groups) {
    size_t total = 0;
    for (int i = 0; i < kDocuments; ++i) {
      if (i % 4 == 0) continue;
      auto own = filters_of(i);
      bool passes = std::all_of(groups.begin(), groups.end(), [&](const auto& group) {
        return std::any_of(group.begin(), group.end(), [&](const std::string& term) {
          return std::find(own.begin(), own.end(), term) != own.end();
        });
      });
      total += passes ? 1 : 0;
    }
    return total;
  };
  auto check = [&](const std::string& when) {
    for (const auto& groups : filters) {
      IndexQuery browse;
      browse.filter_groups = groups;
      IndexQuery ranked = browse;
      ranked.terms = {"word"};
      ranked.examine_at_least = kDocuments;  // no pruning: the total is exact
      EXPECT_EQ(Search(browse).total, expected_total(groups)) << when;
      EXPECT_EQ(Search(ranked).total, expected_total(groups)) << when;
    }
  };
  check("after loading");
  ASSERT_TRUE(index_->Checkpoint().ok());  // a quarter dead: compacts
  check("after compaction");
  index_.reset();
  index_ = std::move(SearchIndex::Open(dir_.string())).value();
  check("after reopening");
}

TEST_F(SearchIndexTest, PeopleScoreWithoutChangingHowTheWordsScore) {
  auto words = analyzer_->Terms("perovskite solar cells");
  auto people = PersonTerms(*folder_, {"Luca Basini", "Elena Antonetti", "Emma Palo"});
  ASSERT_TRUE(index_->Apply({{"named", Doc("named", {{words, kTitleWeight}, {people, kPeopleWeight, false}})},
                             {"plain", Doc("plain", {{words, kTitleWeight}})},
                             {"other", Doc("other", {{analyzer_->Terms("river sediment"), kTitleWeight}})}},
                            1).ok());
  auto by_words = Search(Query("perovskite cells"));
  ASSERT_EQ(by_words.hits.size(), 2u);
  EXPECT_DOUBLE_EQ(by_words.hits[0].score, by_words.hits[1].score) << "the names add no length";
  IndexQuery by_person = Query("perovskite cells");
  by_person.terms.push_back(PersonTerm(*folder_, "L. Basini"));
  auto found = Search(by_person);
  ASSERT_EQ(found.hits.size(), 2u);
  EXPECT_EQ(found.hits[0].id, "named");
  EXPECT_GT(found.hits[0].score, by_words.hits[0].score);
  EXPECT_DOUBLE_EQ(found.hits[1].score, by_words.hits[1].score);
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

TEST_F(MatchingTest, APersonsUsualSpellingsShareOneTerm) {
  std::string basini = PersonTerm(*folder_, "Luca Basini");
  EXPECT_EQ(basini, "@basini l");
  for (const char* spelling : {"L. Basini", "BASINI, Luca", "Basini, L.", "  luca   basini "}) {
    EXPECT_EQ(PersonTerm(*folder_, spelling), basini) << spelling;
  }
  EXPECT_NE(PersonTerm(*folder_, "Marco Basini"), basini);
  EXPECT_EQ(PersonTerm(*folder_, "Gina D. Venolia"), "@venolia g");
  EXPECT_EQ(PersonTerm(*folder_, "Ólafur Ragnarsson"), "@ragnarsson ó");
  EXPECT_EQ(PersonTerm(*folder_, "Plato"), "@plato");
  // Han names: the characters, either script, spaces or not.
  EXPECT_EQ(PersonTerm(*folder_, "张伟"), "@张伟");
  EXPECT_EQ(PersonTerm(*folder_, "張 偉"), "@张伟");
  EXPECT_EQ(PersonTerm(*folder_, "-- 1.2 --"), "");
  EXPECT_EQ(PersonTerms(*folder_, {"张伟", "", "J. Tang"}), (std::vector<std::string>{"@张伟", "@tang j"}));
  for (const auto& term : analyzer_->Terms("Luca Basini, 张伟 @basini")) EXPECT_NE(term.front(), '@') << term;
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
  auto report = Evaluate(*set, *folder_, *analyzer_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->queries, 2u);  // q3 has no judgement
  EXPECT_EQ(report->queries_naming_people, 0u);
  // q1 finds d1 first (1.0); q2 finds d2, which is not the judged answer, and never d1 (0).
  EXPECT_DOUBLE_EQ(report->mrr_at_10, 0.5);
  EXPECT_DOUBLE_EQ(report->recall_at_100, 0.5);
  EXPECT_FALSE(LoadBeirSet((dir / "missing").string()).ok());

  // The people signal: q2 names d1's author, which lifts d1 above d2's better words.
  std::ofstream(dir / "corpus.jsonl", std::ios::trunc)
      << R"({"_id":"d1","title":"石墨烯电池","text":"泥沙","metadata":{"authors":["Wei Zhang","林小雨"]}})" "\n"
      << R"({"_id":"d2","title":"河流泥沙","text":"泥沙输运模型","metadata":{"authors":["A. Smith"]}})" "\n";
  std::ofstream(dir / "people.jsonl")
      << R"({"_id":"q1","text":"石墨烯電池"})" "\n"
      << R"({"_id":"q2","text":"泥沙","metadata":{"inventors":["ZHANG, Wei","林 小雨"]}})" "\n";
  auto with_people = LoadBeirSet(dir.string(), "people.jsonl");
  ASSERT_TRUE(with_people.ok()) << with_people.status().ToString();
  EXPECT_EQ(with_people->corpus[0].people, (std::vector<std::string>{"Wei Zhang", "林小雨"}));
  auto people_report = Evaluate(*with_people, *folder_, *analyzer_);
  ASSERT_TRUE(people_report.ok()) << people_report.status().ToString();
  EXPECT_EQ(people_report->queries_naming_people, 1u);
  EXPECT_DOUBLE_EQ(people_report->mrr_at_10, 1.0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace parkhub::matching
