#include <gtest/gtest.h>

#include <filesystem>

#include "db/domain_events.h"
#include "exchange/exchange_service.h"
#include "registry/registry_service.h"
#include "support/test_app.h"

namespace parkhub::exchange {
namespace {

using nlohmann::json;

class ExchangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.LoadFixture();
    alice_ = Person("alice", "member", "A");          // a settled university in Hong Kong
    ellen_ = Person("ellen", "org_admin", "E");       // a mainland enterprise, not settled
    bob_ = Person("bob", "member", "B");              // a university still applying
    outsider_ = Person("olga", "", "");
  }

  struct Someone {
    testing::Caller caller;
    Principal principal;
  };

  Someone Person(const std::string& username, const std::string& role, const std::string& org) {
    Someone out;
    out.caller = env_.UserWith(username, role, org.empty() ? "" : env_.ids[org]);
    auto login = env_.app().identity().Login(username, "password-123", "127.0.0.1");
    out.principal = *env_.app().identity().AuthenticateSession(login->session_token);
    return out;
  }

  ExchangeService& service() { return env_.app().exchange(); }

  ListingInput Result(const std::string& title, const std::string& summary, int64_t trl) {
    ListingInput in;
    in.kind = "result";
    in.owner_id = env_.ids["A"];
    in.title = title;
    in.summary = summary;
    in.keywords = std::vector<std::string>{"石墨烯"};
    in.discipline = "Materials";
    in.tags = std::vector<std::string>{"energy"};
    in.trl = trl;
    in.details = json{{"ip_status", "granted"}, {"patent_numbers", {"CN112345678A"}},
                      {"transfer_modes", {"licence", "joint_development"}}, {"negotiable", true}};
    return in;
  }

  ListingInput Need(const std::string& title, const std::string& problem, int64_t trl) {
    ListingInput in;
    in.kind = "need";
    in.owner_id = env_.ids["E"];
    in.title = title;
    in.trl = trl;
    in.details = json{{"problem", problem}, {"budget_min_minor", 10000000},
                      {"budget_max_minor", 50000000}, {"currency", "CNY"}};
    return in;
  }

  std::string Publish(const Someone& who, const ListingInput& in) {
    auto created = service().CreateListing(who.principal, in);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    if (!created.ok()) return "";
    auto published = service().PublishListing(who.principal, created->id, "ready");
    EXPECT_TRUE(published.ok()) << published.status().ToString();
    return created->id;
  }

  SearchPage Find(const Someone& who, const std::string& q, SearchFilters filters = {},
                  bool facets = false) {
    SearchRequest request;
    request.query = q;
    request.filters = filters;
    request.facets = facets;
    auto page = service().Search(who.principal, request);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? *page : SearchPage{};
  }

  static std::vector<std::string> Ids(const SearchPage& page) {
    std::vector<std::string> ids;
    for (const auto& hit : page.items) ids.push_back(hit.listing.id);
    return ids;
  }

  testing::TestApp env_;
  Someone alice_, ellen_, bob_, outsider_;
};

TEST_F(ExchangeTest, ADraftIsHiddenUntilPublishedAndLeavesSearchWhenClosed) {
  auto created = service().CreateListing(alice_.principal,
                                         Result("石墨烯散热膜", "高导热石墨烯薄膜，用于手机散热", 6));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->state, "draft");
  EXPECT_TRUE(created->editable);
  EXPECT_EQ(service().GetListing(outsider_.principal, created->id).status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(Find(outsider_, "石墨烯").items.empty());

  ASSERT_TRUE(service().PublishListing(alice_.principal, created->id, "checked by the tech office").ok());
  auto seen = service().GetListing(outsider_.principal, created->id);
  ASSERT_TRUE(seen.ok());
  EXPECT_FALSE(seen->editable);
  ASSERT_EQ(seen->history.size(), 2u);
  EXPECT_EQ(seen->history[1].to_state, "published");
  EXPECT_EQ(seen->history[1].actor, "alice");
  EXPECT_EQ(seen->history[1].note, "checked by the tech office");
  EXPECT_EQ(Ids(Find(outsider_, "石墨烯")), std::vector<std::string>{created->id});

  auto again = service().PublishListing(alice_.principal, created->id, "");
  EXPECT_EQ(again.status().code(), ErrorCode::kConflict);
  ASSERT_TRUE(service().CloseListing(alice_.principal, created->id, "licensed").ok());
  EXPECT_TRUE(Find(outsider_, "石墨烯").items.empty());
  EXPECT_EQ(service().GetListing(outsider_.principal, created->id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service().UpdateListing(alice_.principal, created->id, {}).status().code(),
            ErrorCode::kConflict);
}

TEST_F(ExchangeTest, ANeedInTraditionalFindsAResultInSimplifiedWithReasons) {
  std::string result = Publish(alice_, Result("石墨烯散热膜制备技术", "一种高导热石墨烯散热薄膜的制备方法，适用于5G手机和LED照明", 7));
  std::string other = Publish(alice_, Result("河流泥沙输运模型", "水利工程中的泥沙模拟", 4));
  std::string need = Publish(ellen_, Need("尋找石墨烯散熱方案", "我們的5G基站需要高導熱的散熱薄膜", 5));

  SearchFilters results;
  results.kinds = {"result"};
  auto page = Find(outsider_, "石墨烯散熱薄膜", results);
  ASSERT_FALSE(page.items.empty());
  EXPECT_EQ(page.items[0].listing.id, result);
  EXPECT_NE(page.items[0].title_html.find("<mark>"), std::string::npos);
  EXPECT_NE(page.items[0].snippet_html.find("<mark>"), std::string::npos);
  ASSERT_FALSE(page.items[0].why.matched.empty());
  EXPECT_EQ(page.items[0].why.matched[0].first, "title");

  auto matches = service().Matches(ellen_.principal, need, {}, 0, 10);
  ASSERT_TRUE(matches.ok()) << matches.status().ToString();
  ASSERT_FALSE(matches->items.empty());
  EXPECT_EQ(matches->items[0].listing.id, result);
  for (const auto& hit : matches->items) EXPECT_NE(hit.listing.kind, "need");
  bool readiness = false;
  for (const auto& s : matches->items[0].why.signals) {
    if (s.name == "readiness_fit") {
      readiness = true;
      EXPECT_GT(s.factor, 1.0);
      EXPECT_EQ(s.params, (nlohmann::json{{"level", 7}, {"wanted", 5}}));
    }
  }
  EXPECT_TRUE(readiness);

  auto needs = service().Matches(alice_.principal, result, {}, 0, 10);
  ASSERT_TRUE(needs.ok());
  EXPECT_EQ(Ids(*needs), std::vector<std::string>{need}) << "a result is matched to needs";
  auto similar = service().MoreLikeThis(outsider_.principal, result, 0, 10);
  ASSERT_TRUE(similar.ok());
  for (const auto& hit : similar->items) {
    EXPECT_NE(hit.listing.id, result) << "never itself";
    EXPECT_EQ(hit.listing.kind, "result");
  }
  (void)other;
}

TEST_F(ExchangeTest, ANeedNamingAResultsResearcherFindsItFirstAndSaysWhy) {
  ListingInput theirs = Result("Catalytic partial oxidation of natural gas", "Syngas from natural gas", 6);
  theirs.people = std::vector<std::string>{"Gaetano Iaquaniello", "Elena Antonetti"};
  ListingInput closer = Result("Catalytic partial oxidation of natural gas", "Syngas and hydrogen from natural gas", 6);
  closer.people = std::vector<std::string>{"Wei Zhang"};
  std::string named = Publish(alice_, theirs);
  std::string other = Publish(alice_, closer);
  auto stored = service().GetListing(outsider_.principal, named);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->people, (std::vector<std::string>{"Gaetano Iaquaniello", "Elena Antonetti"}));

  ListingInput need = Need("Syngas and hydrogen from natural gas", "Catalytic partial oxidation to syngas and hydrogen", 5);
  std::string anonymous = Publish(ellen_, need);
  auto by_words = service().Matches(ellen_.principal, anonymous, {"result"}, 0, 10);
  ASSERT_TRUE(by_words.ok());
  ASSERT_EQ(Ids(*by_words), (std::vector<std::string>{other, named})) << "on words alone";

  need.people = std::vector<std::string>{"IAQUANIELLO, G."};
  std::string naming = Publish(ellen_, need);
  auto by_people = service().Matches(ellen_.principal, naming, {"result"}, 0, 10);
  ASSERT_TRUE(by_people.ok());
  ASSERT_EQ(Ids(*by_people), (std::vector<std::string>{named, other})) << "the same person outranks words";
  std::vector<std::string> people;
  for (const auto& [field, words] : by_people->items[0].why.matched) {
    if (field == "people") people = words;
  }
  EXPECT_EQ(people, std::vector<std::string>{"Gaetano Iaquaniello"});
  auto found = Ids(Find(outsider_, "Iaquaniello"));
  EXPECT_EQ(std::set<std::string>(found.begin(), found.end()), (std::set<std::string>{named, naming}))
      << "a name is searchable";

  ListingInput unnamed;
  unnamed.people = std::vector<std::string>{"Elena Antonetti", "— 42 —"};
  auto refused = service().UpdateListing(alice_.principal, named, unnamed);
  ASSERT_EQ(refused.status().code(), ErrorCode::kUnprocessable);
  ASSERT_EQ(refused.status().field_errors().size(), 1u);
  EXPECT_EQ(refused.status().field_errors()[0].field, "people");
  unnamed.people = std::vector<std::string>{"A|B"};
  EXPECT_EQ(service().UpdateListing(alice_.principal, named, unnamed).status().code(), ErrorCode::kUnprocessable);
  EXPECT_EQ(service().GetListing(outsider_.principal, named)->people.size(), 2u) << "nothing written";
}

TEST_F(ExchangeTest, ReadinessBelowTheWantedLevelRanksLower) {
  std::string low = Publish(alice_, Result("钙钛矿太阳能电池", "钙钛矿太阳能电池的封装工艺", 2));
  std::string high = Publish(alice_, Result("钙钛矿太阳能电池", "钙钛矿太阳能电池的封装工艺", 8));
  std::string need = Publish(ellen_, Need("钙钛矿电池封装", "需要钙钛矿太阳能电池封装工艺", 6));
  auto matches = service().Matches(ellen_.principal, need, {"result"}, 0, 10);
  ASSERT_TRUE(matches.ok());
  EXPECT_EQ(Ids(*matches), (std::vector<std::string>{high, low}));
}

// Signals are applied to a window of the best text matches that starts small: it must widen
// until nothing outside it could reach the page, or a well-fitting result is lost.
TEST_F(ExchangeTest, ReRankingWidensUntilNothingOutsideCanReachThePage) {
  // Same words, but a longer text: a lower text score, so outside the first window.
  const std::string kLonger = "钙钛矿电池封装，适用于多种应用场景，具有良好的稳定性和可靠性以及较低的成本";
  for (int i = 0; i < 40; ++i) Publish(alice_, Result("钙钛矿电池封装工艺", "钙钛矿电池封装", 1));
  std::vector<std::string> ready;
  for (int i = 0; i < 3; ++i) ready.push_back(Publish(alice_, Result("钙钛矿电池封装工艺", kLonger, 9)));
  std::string need = Publish(ellen_, Need("钙钛矿电池封装工艺", "需要钙钛矿电池封装工艺", 7));
  auto matches = service().Matches(ellen_.principal, need, {"result"}, 0, 10);
  ASSERT_TRUE(matches.ok());
  ASSERT_EQ(matches->items.size(), 10u);
  auto ids = Ids(*matches);
  std::vector<std::string> top3(ids.begin(), ids.begin() + 3);
  std::sort(top3.begin(), top3.end());
  std::sort(ready.begin(), ready.end());
  EXPECT_EQ(top3, ready) << "TRL 9 meets the wanted 7; TRL 1 is six levels short";
  EXPECT_LT(matches->items[0].why.text_score, matches->items[3].why.text_score)
      << "they won on readiness, not on words";
}

TEST_F(ExchangeTest, VisibilityDecidesWhoFindsAndReadsAListing) {
  auto members_only = Result("量子点显示材料", "量子点发光材料", 5);
  members_only.visibility = "members";
  std::string members = Publish(alice_, members_only);
  auto named_only = Result("量子点检测方法", "量子点荧光检测", 5);
  named_only.visibility = "named";
  named_only.audience = std::vector<std::string>{env_.ids["E"]};
  std::string named = Publish(alice_, named_only);

  EXPECT_TRUE(Find(outsider_, "量子点").items.empty());
  EXPECT_EQ(service().GetListing(outsider_.principal, members).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service().GetListing(bob_.principal, members).status().code(), ErrorCode::kNotFound)
      << "B has not settled in a park";
  EXPECT_EQ(Ids(Find(ellen_, "量子点")), std::vector<std::string>{named});
  EXPECT_TRUE(service().GetListing(ellen_.principal, named).ok());
  EXPECT_EQ(Find(alice_, "量子点").items.size(), 2u) << "the owner sees both";
  auto operator_ = Person("opal", "park_operator", "park");
  EXPECT_EQ(Ids(Find(operator_, "量子点")), std::vector<std::string>{members});
}

// A university's admin acts for its institutes: search shows them what opening shows them.
TEST_F(ExchangeTest, AUniversityAdminFindsItsInstitutesListings) {
  env_.AddInstitute("I", "B");
  auto researcher = Person("ivy", "member", "I");
  auto dean = Person("dean", "org_admin", "B");
  auto named_only = Result("固态电解质薄膜", "固态电解质薄膜的制备", 5);
  named_only.owner_id = env_.ids["I"];
  named_only.visibility = "named";
  named_only.audience = std::vector<std::string>{env_.ids["E"]};
  std::string id = Publish(researcher, named_only);
  ASSERT_TRUE(service().GetListing(dean.principal, id).ok());
  EXPECT_EQ(Ids(Find(dean, "固态电解质")), std::vector<std::string>{id});
  EXPECT_TRUE(Find(bob_, "固态电解质").items.empty()) << "a member of B is not an admin";
  auto own = service().ListOwnListings(dean.principal, {});
  ASSERT_TRUE(own.ok());
  ASSERT_EQ(own->items.size(), 1u);
  EXPECT_EQ(own->items[0].id, id);
}

TEST_F(ExchangeTest, OnlyTheOwnerEditsAndEditsReachTheIndex) {
  std::string id = Publish(alice_, Result("柔性传感器", "可穿戴柔性压力传感器", 4));
  ListingInput patch;
  patch.title = "柔性电子皮肤";
  EXPECT_EQ(service().UpdateListing(ellen_.principal, id, patch).status().code(),
            ErrorCode::kPermissionDenied);
  auto edited = service().UpdateListing(alice_.principal, id, patch);
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  EXPECT_EQ(edited->title, "柔性电子皮肤");
  EXPECT_EQ(edited->summary, "可穿戴柔性压力传感器") << "absent fields keep their values";
  EXPECT_EQ(Ids(Find(outsider_, "电子皮肤")), std::vector<std::string>{id});
  ListingInput bad;
  bad.trl = 12;
  bad.details = json{{"transfer_modes", {"barter"}}};
  auto refused = service().UpdateListing(alice_.principal, id, bad);
  ASSERT_EQ(refused.status().code(), ErrorCode::kUnprocessable);
  std::set<std::string> fields;
  for (const auto& e : refused.status().field_errors()) fields.insert(e.field);
  EXPECT_TRUE(fields.count("trl"));
  EXPECT_TRUE(fields.count("details.transfer_modes"));
  EXPECT_EQ(service().GetListing(outsider_.principal, id)->title, "柔性电子皮肤") << "nothing written";
}

TEST_F(ExchangeTest, FiltersFacetsAndPaging) {
  for (int trl = 1; trl <= 9; ++trl) Publish(alice_, Result("锂电池正极材料 " + std::to_string(trl), "锂电池", trl));
  Publish(ellen_, Need("锂电池回收", "锂电池回收工艺", 3));
  EXPECT_TRUE(Find(outsider_, "锂电池").facets.empty()) << "facets only when asked";
  auto all = Find(outsider_, "锂电池", {}, true);
  EXPECT_EQ(all.total, 10u);
  std::map<std::string, size_t> kinds;
  for (const auto& [name, values] : all.facets) {
    if (name != "kind") continue;
    for (const auto& v : values) kinds[v.value] = v.count;
  }
  EXPECT_EQ(kinds["result"], 9u);
  EXPECT_EQ(kinds["need"], 1u);
  SearchFilters ready;
  ready.kinds = {"result"};
  ready.trl_min = 7;
  EXPECT_EQ(Find(outsider_, "锂电池", ready).total, 3u);
  SearchFilters region;
  region.region = "mainland";
  EXPECT_EQ(Find(outsider_, "锂电池", region).total, 1u);
  SearchFilters tag;
  tag.tag = "ENERGY";
  EXPECT_EQ(Find(outsider_, "锂电池", tag).total, 9u) << "tags fold case";
  SearchRequest second;
  second.query = "锂电池";
  second.offset = 8;
  second.limit = 5;
  auto page = service().Search(outsider_.principal, second);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 2u);
  auto browse = Find(outsider_, "");
  EXPECT_EQ(browse.total, 10u) << "no words: browse everything visible, newest first";
}

TEST_F(ExchangeTest, ASavedSearchTellsItsOwnerOfANewMatch) {
  SearchRequest request;
  request.query = "固态电池 电解质";
  request.filters.kinds = {"result"};
  ASSERT_TRUE(service().SaveSearch(ellen_.principal, "solid-state", request).ok());
  auto unrelated = Publish(alice_, Result("河流泥沙", "泥沙模型", 3));
  auto hidden = Result("固态电池电解质", "硫化物固态电解质", 5);
  hidden.visibility = "named";
  hidden.audience = std::vector<std::string>{env_.ids["B"]};
  Publish(alice_, hidden);
  EXPECT_EQ(env_.app().notifier().List(ellen_.principal.user_id, {.limit = 10})->unread, 0)
      << "neither an unrelated nor an invisible listing notifies";
  std::string match = Publish(alice_, Result("硫化物固态电池", "一种固态电池用硫化物电解质", 5));
  auto inbox = env_.app().notifier().List(ellen_.principal.user_id, {.limit = 10});
  ASSERT_EQ(inbox->unread, 1);
  EXPECT_EQ(inbox->items[0].kind, "listing_match");
  EXPECT_EQ(inbox->items[0].params.at("listing_id"), match);
  (void)unrelated;
}

// Saved searches keep their analysed terms; one saved before they did (terms_needed -1) gets
// them when the next listing is published, and still matches it. A deleted search takes its
// terms with it.
TEST_F(ExchangeTest, SavedSearchTermsAreStoredBackfilledAndDeleted) {
  SearchRequest words;
  words.query = "钙钛矿 太阳能电池";
  auto fresh = service().SaveSearch(ellen_.principal, "perovskite", words);
  ASSERT_TRUE(fresh.ok());
  SearchRequest older = words;
  older.query = "硫化物 电解质";
  ASSERT_TRUE(service().SaveSearch(ellen_.principal, "sulphide", older).ok());
  auto c = env_.app().database().Acquire();
  auto count_terms = [&]() { return *(*c)->QueryInt("SELECT COUNT(*) FROM saved_search_terms"); };
  int64_t stored = count_terms();
  EXPECT_GT(stored, 0);
  ASSERT_TRUE((*c)->Execute("DELETE FROM saved_search_terms WHERE saved_search_id = "
                            "(SELECT id FROM saved_searches WHERE name = 'sulphide')").ok());
  ASSERT_TRUE((*c)->Execute("UPDATE saved_searches SET terms_needed = -1 WHERE name = 'sulphide'").ok());
  std::string match = Publish(alice_, Result("硫化物固态电池", "一种固态电池用硫化物电解质", 5));
  EXPECT_EQ(count_terms(), stored) << "the older search's terms were written again";
  auto inbox = env_.app().notifier().List(ellen_.principal.user_id, {.limit = 10});
  ASSERT_EQ(inbox->unread, 1) << "the older search matched; the perovskite one did not";
  EXPECT_EQ(inbox->items[0].params.at("listing_id"), match);
  ASSERT_TRUE(service().DeleteSavedSearch(ellen_.principal, fresh->id).ok());
  EXPECT_LT(count_terms(), stored);
}

TEST_F(ExchangeTest, AnIntroductionBecomesADealWithEveryStepRecorded) {
  std::string result = Publish(alice_, Result("石墨烯散热膜", "高导热", 6));
  auto intro = service().RequestIntroduction(ellen_.principal, result, env_.ids["E"], "We build base stations");
  ASSERT_TRUE(intro.ok()) << intro.status().ToString();
  EXPECT_EQ(intro->state, "requested");
  EXPECT_EQ(env_.app().notifier().List(alice_.principal.user_id, {.limit = 10})->unread, 1);
  EXPECT_EQ(service().RequestIntroduction(ellen_.principal, result, env_.ids["E"], "").status().code(),
            ErrorCode::kConflict) << "one open request per organisation";
  EXPECT_EQ(service().RequestIntroduction(ellen_.principal, result, env_.ids["A"], "").status().code(),
            ErrorCode::kPermissionDenied) << "only for an organisation you act for";
  EXPECT_EQ(service().GetIntroduction(bob_.principal, intro->id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service().AnswerIntroduction(ellen_.principal, intro->id, true, "").status().code(),
            ErrorCode::kPermissionDenied) << "the asker does not answer";
  EXPECT_EQ(service().AnswerIntroduction(alice_.principal, intro->id, false, "").status().code(),
            ErrorCode::kUnprocessable) << "a decline says why";
  ASSERT_TRUE(service().AnswerIntroduction(alice_.principal, intro->id, true, "glad to talk").ok());
  // Joint R&D: a licence across the border would need an approved flow request first
  // (tests/unit/governance/cross_border_deal_test.cc).
  auto deal = service().OpenDeal(ellen_.principal, intro->id, "joint_rd", 30000000, "CNY",
                                 "term sheet sent");
  ASSERT_TRUE(deal.ok()) << deal.status().ToString();
  EXPECT_EQ(deal->deal->stage, "negotiating");
  EXPECT_EQ(service().MoveDeal(alice_.principal, intro->id, "delivered", std::nullopt, "").status().reason(),
            "invalid_transition") << "signed comes before delivered";
  ASSERT_TRUE(service().MoveDeal(alice_.principal, intro->id, "signed", 32000000, "signed in Shenzhen").ok());
  auto done = service().MoveDeal(ellen_.principal, intro->id, "delivered", std::nullopt, "");
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->deal->value_minor, 32000000);
  std::vector<std::string> steps;
  for (const auto& step : done->history) steps.push_back(step.to_state + "/" + step.actor);
  EXPECT_EQ(steps, (std::vector<std::string>{"requested/ellen", "accepted/alice",
                                             "deal:negotiating/ellen", "deal:signed/alice",
                                             "deal:delivered/ellen"}));
  EXPECT_EQ(done->history[3].note, "signed in Shenzhen");
  exchange::IntroductionListQuery incoming;
  incoming.side = "incoming";
  auto inbox = service().ListIntroductions(alice_.principal, incoming);
  ASSERT_TRUE(inbox.ok()) << inbox.status().ToString();
  EXPECT_EQ(inbox->total, 1);
  EXPECT_EQ(inbox->items[0].id, intro->id);
  EXPECT_EQ(service().ListIntroductions(ellen_.principal, incoming)->total, 0) << "ellen asked";
  exchange::IntroductionListQuery outgoing;
  outgoing.side = "outgoing";
  EXPECT_EQ(service().ListIntroductions(ellen_.principal, outgoing)->total, 1);
  EXPECT_EQ(service().ListIntroductions(ellen_.principal, {})->total, 1);
  exchange::IntroductionListQuery declined;
  declined.state = "declined";
  EXPECT_EQ(service().ListIntroductions(alice_.principal, declined)->total, 0);
  EXPECT_EQ(service().ListIntroductions(outsider_.principal, {})->total, 0);
  exchange::IntroductionListQuery bad;
  bad.side = "sideways";
  bad.limit = 500;
  EXPECT_EQ(service().ListIntroductions(alice_.principal, bad).status().field_errors().size(), 2u);
}

TEST_F(ExchangeTest, ExpiredListingsLeaveSearch) {
  auto in = Result("纳米催化剂", "纳米催化", 5);
  in.expires_at = "2099-12-31";
  std::string id = Publish(alice_, in);
  EXPECT_EQ(Find(outsider_, "纳米催化剂").items.size(), 1u);
  auto c = env_.app().database().Acquire();
  ASSERT_TRUE((*c)->Execute("UPDATE listings SET expires_at = '2020-01-01' WHERE public_id = ?", {id}).ok());
  auto expired = service().ExpireDue();
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(*expired, 1);
  EXPECT_TRUE(Find(outsider_, "纳米催化剂").items.empty());
  auto seen = service().GetListing(alice_.principal, id);
  EXPECT_EQ(seen->state, "expired");
  EXPECT_EQ(seen->history.back().note, "its expiry date passed");
}

TEST_F(ExchangeTest, AConfidentialNeedHidesItsOwner) {
  auto in = Need("保密需求：电池热管理", "电池热管理", 4);
  in.details->operator[]("confidential") = true;
  std::string id = Publish(ellen_, in);
  auto seen = service().GetListing(outsider_.principal, id);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->owner_id, "");
  auto page = Find(outsider_, "电池热管理");
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_TRUE(page.items[0].listing.owner_names.empty());
  EXPECT_EQ(service().GetListing(ellen_.principal, id)->owner_id, env_.ids["E"]);
}

// Nor does it name its author, or who published it, to outsiders: a username names the firm.
TEST_F(ExchangeTest, AConfidentialNeedNamesNoOneOfItsOwnersPeople) {
  auto in = Need("保密需求：电池热管理", "电池热管理", 4);
  in.details->operator[]("confidential") = true;
  std::string id = Publish(ellen_, in);
  for (const auto* outsider : {&outsider_, &alice_}) {
    auto seen = service().GetListing(outsider->principal, id);
    ASSERT_TRUE(seen.ok());
    EXPECT_EQ(seen->author, "");
    ASSERT_FALSE(seen->history.empty());
    for (const auto& event : seen->history) EXPECT_EQ(event.actor, "") << event.to_state;
    auto page = Find(*outsider, "电池热管理");
    ASSERT_EQ(page.items.size(), 1u);
    EXPECT_EQ(page.items[0].listing.author, "");
  }
  auto own = service().GetListing(ellen_.principal, id);
  EXPECT_EQ(own->author, "ellen");
  EXPECT_EQ(own->history.back().actor, "ellen");
}

// A role that gives no standing in the exchange (a facility manager of the owner) sees its
// drafts neither by id nor in the list of its organisation's listings nor in search.
TEST_F(ExchangeTest, OnlyTheOwnersAdminsAndMembersSeeItsDrafts) {
  auto manager = Person("facility_a", "facility_manager", "A");
  auto draft = service().CreateListing(alice_.principal, Result("石墨烯 草稿", "石墨烯", 5));
  ASSERT_TRUE(draft.ok()) << draft.status().ToString();
  EXPECT_EQ(service().GetListing(manager.principal, draft->id).status().code(), ErrorCode::kNotFound);
  auto listed = service().ListOwnListings(manager.principal, {});
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->items.empty());
  EXPECT_TRUE(Find(manager, "石墨烯").items.empty());
  auto own = service().ListOwnListings(alice_.principal, {});
  ASSERT_EQ(own->items.size(), 1u);
  EXPECT_EQ(own->items[0].id, draft->id);
  auto second = service().CreateListing(alice_.principal, Result("石墨烯 第二稿", "石墨烯", 5));
  ASSERT_TRUE(second.ok());
  exchange::OwnListingQuery drafts;
  drafts.state = "draft";
  drafts.kind = "result";
  drafts.limit = 1;
  auto first_page = service().ListOwnListings(alice_.principal, drafts);
  EXPECT_EQ(first_page->total, 2);
  ASSERT_EQ(first_page->items.size(), 1u);
  EXPECT_EQ(first_page->items[0].id, second->id) << "newest first";
  drafts.offset = 1;
  EXPECT_EQ(service().ListOwnListings(alice_.principal, drafts)->items[0].id, draft->id);
  exchange::OwnListingQuery needs;
  needs.kind = "need";
  EXPECT_EQ(service().ListOwnListings(alice_.principal, needs)->total, 0);
  exchange::OwnListingQuery bad;
  bad.limit = 0;
  bad.kind = "gadget";
  EXPECT_EQ(service().ListOwnListings(alice_.principal, bad).status().field_errors().size(), 2u);
}

TEST_F(ExchangeTest, AnExpertiseListingProfilesAnAffiliatedPerson) {
  ListingInput in;
  in.kind = "expertise";
  in.owner_id = env_.ids["A"];
  in.title = "柔性电子专家";
  in.person_id = "per_missing";
  auto refused = service().CreateListing(alice_.principal, in);
  ASSERT_EQ(refused.status().code(), ErrorCode::kUnprocessable);
  EXPECT_EQ(refused.status().field_errors()[0].field, "person_id");
}

// The index is derived: what was committed but never indexed (a crash in between) is indexed
// when the application opens again, and a rebuild from scratch finds the same listings.
TEST(ExchangeRecoveryTest, TheIndexCatchesUpOnOpenAndRebuildsFromTheDatabase) {
  Config config;
  config.data_dir = testing::MakeTempDir();
  config.password_cost = "min";
  std::string public_id;
  {
    auto app = app::Application::Open(config, app::SchemaPolicy::kMigrate, app::IndexPolicy::kOpen);
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    auto c = (*app)->database().Acquire();
    auto org = (*c)->QueryInt("INSERT INTO organizations (public_id, type, name_en, region, "
                              "search_key, sort_name, created_at, updated_at) VALUES ('org_x', "
                              "'enterprise', 'X', 'mainland', 'x', 'x', '', '') RETURNING id");
    auto user = (*c)->QueryInt("INSERT INTO users (public_id, username, display_name, "
                               "password_hash, created_at) VALUES ('usr_x', 'x', 'X', '', '') "
                               "RETURNING id");
    ASSERT_TRUE(org.ok() && user.ok());
    // Committed by "the previous process", which died before its index commit.
    auto listing = (*c)->QueryInt(
        "INSERT INTO listings (public_id, kind, owner_id, author_id, state, visibility, title, "
        "summary, published_at, created_at, updated_at) VALUES ('lst_crash', 'result', ?, ?, "
        "'published', 'public', '超导量子比特', '', '2026-01-01T00:00:00Z', '', '') RETURNING id",
        {*org, *user});
    ASSERT_TRUE(listing.ok());
    db::DomainEvent changed;
    changed.kind = "listing.changed";
    changed.subject_row = *listing;
    ASSERT_TRUE(db::DomainEvents::Append(**c, changed).ok());
  }
  auto app = app::Application::Open(config, app::SchemaPolicy::kMigrate, app::IndexPolicy::kOpen);
  ASSERT_TRUE(app.ok());
  SearchRequest request;
  request.query = "超導量子位元 量子比特";
  auto page = (*app)->exchange().Search(Principal{}, request);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].listing.id, "lst_crash");

  auto fresh = matching::SearchIndex::Open(config.data_dir + "/rebuilt");
  ASSERT_TRUE(fresh.ok());
  auto rebuilt = (*app)->exchange().indexer().Rebuild(**fresh);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(*rebuilt, 1);
  EXPECT_EQ((*fresh)->DocumentCount(), 1u);
  EXPECT_EQ((*fresh)->LastAppliedSeq(), 1);
  app->reset();
  std::filesystem::remove_all(config.data_dir);
}

}  // namespace
}  // namespace parkhub::exchange
