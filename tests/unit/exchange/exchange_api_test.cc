// The exchange over HTTP, and what hostile input gets back: a clear problem or an empty
// result, never a 500, and nothing written.
#include <gtest/gtest.h>

#include <set>

#include "exchange/park_vocabulary.h"
#include "support/test_app.h"

namespace parkhub::exchange {
namespace {

using nlohmann::json;

class ExchangeApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.LoadFixture();
    alice_ = env_.UserWith("alice", "member", env_.ids["A"]);
    ellen_ = env_.UserWith("ellen", "org_admin", env_.ids["E"]);
  }

  json Listing(const std::string& title, const std::string& visibility = "public") {
    return {{"kind", "result"},
            {"owner_id", env_.ids["A"]},
            {"title", title},
            {"summary", "一种高导热石墨烯薄膜"},
            {"visibility", visibility},
            {"trl", 6},
            {"details", {{"transfer_modes", {"licence"}}, {"negotiable", true}}}};
  }

  std::string CreatePublished(const json& listing) {
    auto created = env_.CallJson("POST", "/api/v1/exchange/listings", listing.dump(), alice_);
    EXPECT_EQ(created["_status"], 201) << created.dump();
    std::string id = created.value("id", "");
    auto published = env_.CallJson("POST", "/api/v1/exchange/listings/" + id + "/publish", "{}", alice_);
    EXPECT_EQ(published["_status"], 200) << published.dump();
    return id;
  }

  static std::string FirstField(const json& problem) {
    return problem.contains("errors") && !problem["errors"].empty() ? problem["errors"][0].value("field", "")
                                                                    : "";
  }

  testing::TestApp env_;
  testing::Caller alice_, ellen_;
};

TEST_F(ExchangeApiTest, PublishSearchAndExplainOverHttp) {
  json listing = Listing("石墨烯散热膜");
  listing["people"] = {"Ann Lee"};
  std::string id = CreatePublished(listing);
  auto page = env_.CallJson("GET", "/api/v1/exchange/search?q=%E7%9F%B3%E5%A2%A8%E7%83%AF&kind=result&facets=true");
  ASSERT_EQ(page["_status"], 200) << page.dump();
  ASSERT_EQ(page["items"].size(), 1u);
  const json& hit = page["items"][0];
  EXPECT_EQ(hit["listing"]["id"], id);
  EXPECT_EQ(hit["title_html"], "<mark>石墨烯</mark>散热膜");
  EXPECT_EQ(hit["why"]["matched"]["title"][0], "石墨烯");
  EXPECT_EQ(hit["why"]["signals"][0]["name"], "freshness");
  EXPECT_TRUE(hit["why"]["signals"][0]["factor"].is_number());
  EXPECT_GT(hit["score"].get<double>(), 0.0);
  EXPECT_GT(hit["why"]["text_score"].get<double>(), 0.0);
  EXPECT_NE(hit["snippet_html"].get<std::string>().find("<mark>"), std::string::npos);
  EXPECT_EQ(hit["listing"]["owner"]["names"]["en"], "University A");
  EXPECT_EQ(hit["listing"]["owner"]["names"]["zh_hans"], "香港科技大学");
  EXPECT_TRUE(hit["listing"]["keywords"].is_array());
  EXPECT_EQ(hit["listing"]["people"], json::array({"Ann Lee"}));
  EXPECT_TRUE(hit["listing"]["expires_at"].is_null() || hit["listing"]["expires_at"].is_string());
  EXPECT_FALSE(hit["listing"].contains("history")) << "a hit, not the full record";
  EXPECT_EQ(page["total"], 1);
  EXPECT_EQ(page["total_exact"], true);
  EXPECT_EQ(page["offset"], 0);
  EXPECT_EQ(page["facets"]["kind"][0]["value"], "result");
  EXPECT_EQ(page["facets"]["kind"][0]["count"], 1);
  EXPECT_EQ(page["facets"]["organization"][0]["names"]["en"], "University A");
  auto plain = env_.CallJson("GET", "/api/v1/exchange/search?q=%E7%9F%B3%E5%A2%A8%E7%83%AF");
  EXPECT_TRUE(plain["facets"].empty()) << "facets only when asked";
  EXPECT_EQ(plain["items"].size(), 1u);
  auto full = env_.CallJson("GET", "/api/v1/exchange/listings/" + id);
  EXPECT_EQ(full["details"]["transfer_modes"][0], "licence");
  EXPECT_EQ(full["history"].size(), 2u);
  EXPECT_EQ(full["editable"], false) << "an anonymous reader";
  EXPECT_EQ(full["version"], 2);
  auto own = env_.CallJson("GET", "/api/v1/exchange/listings", "", alice_);
  ASSERT_EQ(own["_status"], 200) << own.dump();
  EXPECT_EQ(own["total"], 1);
  EXPECT_EQ(own["items"][0]["id"], id);
  EXPECT_EQ(own["items"][0]["editable"], true);
}

TEST_F(ExchangeApiTest, HostileQueriesGetAClearAnswerNeverA500) {
  CreatePublished(Listing("石墨烯散热膜"));
  auto empty = [&](const std::string& target) {
    auto page = env_.CallJson("GET", target);
    EXPECT_EQ(page["_status"], 200) << target << " " << page.dump();
    EXPECT_TRUE(page["items"].empty()) << target;
  };
  empty("/api/v1/exchange/search?q=%21%3F%E2%80%A6%E2%80%94%E2%80%94");  // !?…——
  empty("/api/v1/exchange/search?q=%F0%9F%99%82%F0%9F%94%A5");           // 🙂🔥
  empty("/api/v1/exchange/search?q=%27%20OR%201%3D1%20--");            // ' OR 1=1 --

  std::string long_query;
  for (int i = 0; i < 5000; ++i) long_query += "a+";
  auto long_page = env_.CallJson("GET", "/api/v1/exchange/search?q=" + long_query);
  EXPECT_EQ(long_page["_status"], 200) << "10,000 characters are answered";
  auto too_long = env_.CallJson("GET", "/api/v1/exchange/search?q=" + long_query + "b");
  EXPECT_EQ(too_long["_status"], 422);
  EXPECT_EQ(FirstField(too_long), "q");

  auto bad_utf8 = env_.CallJson("GET", "/api/v1/exchange/search?q=%FF%FE%E7%9F");
  EXPECT_EQ(bad_utf8["_status"], 400) << "like every malformed query parameter";
  EXPECT_EQ(FirstField(bad_utf8), "q");
  auto unknown = env_.CallJson("GET", "/api/v1/exchange/search?q=x&colour=red");
  EXPECT_EQ(unknown["_status"], 400);
  EXPECT_NE(unknown.dump().find("colour"), std::string::npos);
  auto facets = env_.CallJson("GET", "/api/v1/exchange/search?q=x&facets=maybe");
  EXPECT_EQ(facets["_status"], 400);
  EXPECT_EQ(FirstField(facets), "facets");
  auto trl = env_.CallJson("GET", "/api/v1/exchange/search?q=x&trl_min=12");
  EXPECT_EQ(trl["_status"], 422);
  EXPECT_EQ(FirstField(trl), "trl_min");
  auto huge = env_.CallJson("GET", "/api/v1/exchange/search?q=x&trl_max=99999999999999999999");
  EXPECT_EQ(huge["_status"], 422);
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/exchange/search?trl_min=abc")["_status"], 400);
  auto kind = env_.CallJson("GET", "/api/v1/exchange/search?kind=patent");
  EXPECT_EQ(kind["_status"], 422);
  EXPECT_EQ(FirstField(kind), "kind");
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/exchange/search?limit=0")["_status"], 422);
}

// A Chinese query of thousands of characters does not fit in a URL; the same search takes a
// JSON body, with the same rules and the same answers.
TEST_F(ExchangeApiTest, LongQueriesSearchByPostWithTheSameRules) {
  std::string id = CreatePublished(Listing("高导热石墨烯薄膜"));
  auto short_page = env_.CallJson("POST", "/api/v1/exchange/search",
                                  json{{"q", "石墨烯"}, {"kind", {"result"}}, {"limit", 5}}.dump());
  ASSERT_EQ(short_page["_status"], 200) << short_page.dump();
  ASSERT_EQ(short_page["items"].size(), 1u);
  EXPECT_EQ(short_page["items"][0]["listing"]["id"], id);
  std::string long_query;
  for (int i = 0; i < 2500; ++i) long_query += "石墨烯薄";  // 10,000 characters
  auto long_page = env_.CallJson("POST", "/api/v1/exchange/search", json{{"q", long_query}}.dump());
  EXPECT_EQ(long_page["_status"], 200) << long_page.dump().substr(0, 300);
  auto too_long = env_.CallJson("POST", "/api/v1/exchange/search", json{{"q", long_query + "膜"}}.dump());
  EXPECT_EQ(too_long["_status"], 422);
  EXPECT_EQ(FirstField(too_long), "q");
  auto wrong_type = env_.CallJson("POST", "/api/v1/exchange/search", json{{"q", {1, 2}}}.dump());
  EXPECT_EQ(FirstField(wrong_type), "q");
  auto unknown = env_.CallJson("POST", "/api/v1/exchange/search", json{{"colour", "red"}}.dump());
  EXPECT_EQ(unknown["_status"], 400);
}

TEST_F(ExchangeApiTest, BadListingsAreRefusedWithTheirFieldsAndNothingIsWritten) {
  json bad = Listing("");
  bad["trl"] = 10;
  bad["colour"] = "red";
  auto refused = env_.CallJson("POST", "/api/v1/exchange/listings", bad.dump(), alice_);
  EXPECT_EQ(refused["_status"], 422);
  EXPECT_EQ(FirstField(refused), "colour");
  bad.erase("colour");
  refused = env_.CallJson("POST", "/api/v1/exchange/listings", bad.dump(), alice_);
  EXPECT_EQ(refused["_status"], 422);
  std::set<std::string> fields;
  for (const auto& e : refused["errors"]) fields.insert(e["field"]);
  EXPECT_TRUE(fields.count("title") && fields.count("trl")) << refused.dump();
  json unnamed = Listing("石墨烯");
  unnamed["people"] = {"Ann Lee", 42};
  EXPECT_EQ(FirstField(env_.CallJson("POST", "/api/v1/exchange/listings", unnamed.dump(), alice_)), "people");
  unnamed["people"] = {"Ann Lee", "..."};
  EXPECT_EQ(FirstField(env_.CallJson("POST", "/api/v1/exchange/listings", unnamed.dump(), alice_)), "people");
  auto garbage = env_.Call("POST", "/api/v1/exchange/listings", "{not json", alice_);
  EXPECT_EQ(garbage.status, 400);
  auto mine = env_.CallJson("GET", "/api/v1/exchange/listings", "", alice_);
  EXPECT_TRUE(mine["items"].empty()) << "nothing was written";
  EXPECT_EQ(env_.CallJson("POST", "/api/v1/exchange/listings", Listing("x").dump())["_status"], 401);
}

TEST_F(ExchangeApiTest, OutsidersGet404ForPrivateListingsAnd403ForCrossOrganisationEdits) {
  std::string named = CreatePublished([&] {
    json l = Listing("保密成果", "named");
    l["audience"] = {env_.ids["B"]};
    return l;
  }());
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/exchange/listings/" + named, "", ellen_)["_status"], 404);
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/exchange/listings/" + named)["_status"], 404);
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/exchange/listings/" + named + "/matches", "", ellen_)["_status"], 404);
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/exchange/listings/lst_nothing")["_status"], 404);
  std::string open = CreatePublished(Listing("公开成果"));
  auto edit = env_.CallJson("PATCH", "/api/v1/exchange/listings/" + open, R"({"title":"hijacked"})", ellen_);
  EXPECT_EQ(edit["_status"], 403);
  auto hidden_edit = env_.CallJson("PATCH", "/api/v1/exchange/listings/" + named, R"({"title":"x"})", ellen_);
  EXPECT_EQ(hidden_edit["_status"], 404) << "a listing you cannot see does not exist for you";
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/exchange/listings/" + open)["title"], "公开成果");
  auto owner_change = env_.CallJson("PATCH", "/api/v1/exchange/listings/" + open,
                                    json{{"owner_id", env_.ids["E"]}}.dump(), alice_);
  EXPECT_EQ(owner_change["_status"], 422);
  EXPECT_EQ(FirstField(owner_change), "owner_id");
}

TEST_F(ExchangeApiTest, IntroductionsAndSavedSearchesOverHttp) {
  std::string id = CreatePublished(Listing("石墨烯散热膜"));
  auto saved = env_.CallJson("POST", "/api/v1/exchange/saved-searches",
                             R"({"name":"graphene","q":"石墨烯","kind":["result"]})", ellen_);
  EXPECT_EQ(saved["_status"], 201) << saved.dump();
  CreatePublished(Listing("石墨烯电池"));
  auto notes = env_.CallJson("GET", "/api/v1/notifications", "", ellen_);
  EXPECT_EQ(notes["unread"], 1) << notes.dump();
  auto intro = env_.CallJson("POST", "/api/v1/exchange/introductions",
                             json{{"listing_id", id}, {"organization_id", env_.ids["E"]},
                                  {"message", "Let us talk"}}.dump(),
                             ellen_);
  ASSERT_EQ(intro["_status"], 201) << intro.dump();
  std::string intro_id = intro["id"];
  auto declined = env_.CallJson("POST", "/api/v1/exchange/introductions/" + intro_id + "/decline",
                                R"({"reason":"already licensed exclusively"})", alice_);
  EXPECT_EQ(declined["state"], "declined");
  EXPECT_EQ(declined["reason"], "already licensed exclusively");
  auto deal = env_.CallJson("POST", "/api/v1/exchange/introductions/" + intro_id + "/deal",
                            R"({"kind":"licence"})", ellen_);
  EXPECT_EQ(deal["_status"], 409) << "no deal from a declined introduction";
  auto inbox = env_.CallJson("GET", "/api/v1/exchange/introductions", "", alice_);
  EXPECT_EQ(inbox["items"].size(), 1u);
}

// The park's glossary: a platform administrator uploads terms the dictionary lacks, a search in
// Chinese then finds the English listing and says which word met which; a bad file is refused
// whole, others may read it but not change it, and a removed term translates no more.
TEST_F(ExchangeApiTest, TheParksGlossaryTranslatesSearchesAndOnlyAdministratorsKeepIt) {
  auto admin = env_.UserWith("platform", "platform_admin");
  json listing = Listing("Syngas from methane by catalytic partial oxidation");
  listing["summary"] = "A nickel catalyst turns natural gas into syngas at 800 degrees.";
  std::string id = CreatePublished(listing);
  const std::string query = "/api/v1/exchange/search?q=%E5%90%88%E6%88%90%E6%B0%94";  // 合成气
  EXPECT_TRUE(env_.CallJson("GET", query)["items"].empty()) << "no shared term, no glossary yet";

  auto upload = [&](const std::string& csv, const testing::Caller& as,
                    const std::string& params = "") {
    auto response = env_.Call("POST", "/api/v1/exchange/glossary" + params, csv, as, "text/csv");
    json body = json::parse(response.body);
    body["_status"] = response.status;
    return body;
  };
  auto bad = upload("chinese,english\n合成气,syngas\nsyngas,合成气\n,methane\n", admin);
  EXPECT_EQ(bad["_status"], 422) << bad.dump();
  std::set<std::string> fields;
  for (const auto& e : bad["errors"]) fields.insert(e["field"]);
  EXPECT_EQ(fields,
            (std::set<std::string>{"rows[3].chinese", "rows[3].english", "rows[4].chinese"}));
  EXPECT_EQ(upload("chinese,english,notes\n合成气,syngas,\n", admin)["errors"][0]["field"],
            "header");
  EXPECT_EQ(upload("chinese,english\n合成气,syngas\n", alice_)["_status"], 403);
  auto dry = upload("chinese,english\n合成气,syngas\n", admin, "?dry_run=true");
  EXPECT_EQ(dry["_status"], 200);
  EXPECT_EQ(dry["rows"], 1);
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/exchange/glossary", "", alice_)["total"], 0)
      << "a refused file and a dry run wrote nothing";

  auto added = upload("chinese,english\n合成气,syngas\n合成氣,syngas\n", admin);
  EXPECT_EQ(added["_status"], 201) << added.dump();
  EXPECT_EQ(added["added"], 2);
  EXPECT_EQ(upload("chinese,english\n合成气,syngas\n", admin)["known"], 1) << "not repeated";
  auto hits = env_.CallJson("GET", query);
  ASSERT_EQ(hits["items"].size(), 1u) << hits.dump();
  EXPECT_EQ(hits["items"][0]["listing"]["id"], id);
  const json& translation = hits["items"][0]["why"]["translations"][0];
  EXPECT_EQ(translation["query_word"], "合成气");
  EXPECT_EQ(translation["listing_words"][0], "Syngas");

  auto list = env_.CallJson("GET", "/api/v1/exchange/glossary?q=syn&limit=1", "", alice_);
  EXPECT_EQ(list["total"], 2);
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/exchange/glossary?limit=0", "", alice_)["_status"], 422);
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/exchange/glossary")["_status"], 401);
  std::string term = list["items"][0]["id"];
  EXPECT_EQ(env_.CallJson("DELETE", "/api/v1/exchange/glossary/" + term, "", alice_)["_status"],
            403);
  auto all = env_.CallJson("GET", "/api/v1/exchange/glossary", "", alice_);
  for (const auto& item : all["items"]) {
    std::string path = "/api/v1/exchange/glossary/" + item["id"].get<std::string>();
    EXPECT_EQ(env_.CallJson("DELETE", path, "", admin)["_status"], 200);
  }
  EXPECT_EQ(env_.CallJson("DELETE", "/api/v1/exchange/glossary/" + term, "", admin)["_status"],
            404);
  EXPECT_TRUE(env_.CallJson("GET", query)["items"].empty()) << "removed terms translate no more";
}

// The registry's and facilities' bilingual names are part of the vocabulary: a resource named
// 质谱仪 / Mass spectrometer lets a Chinese search find an English listing that names it.
TEST_F(ExchangeApiTest, SharedResourcesNamesTranslateSearches) {
  std::string id = CreatePublished(Listing("Mass spectrometer time for proteomics"));
  const std::string query = "/api/v1/exchange/search?q=%E8%B4%A8%E8%B0%B1%E4%BB%AA";  // 质谱仪
  EXPECT_TRUE(env_.CallJson("GET", query)["items"].empty()) << "no resource named so yet";
  auto manager = env_.PrincipalWith("manager", "facility_manager", "B");
  auto resource = env_.app().facilities().CreateResource(
      manager, env_.Instrument("B", "质谱仪", "Mass spectrometer"));
  ASSERT_TRUE(resource.ok()) << resource.status().ToString();
  ASSERT_TRUE(env_.app().vocabulary().Refresh().ok());  // as housekeeping does every minute
  auto hits = env_.CallJson("GET", query);
  ASSERT_EQ(hits["items"].size(), 1u) << hits.dump();
  EXPECT_EQ(hits["items"][0]["listing"]["id"], id);
  EXPECT_EQ(hits["items"][0]["why"]["translations"][0]["query_word"], "质谱仪");
}

// A listing that writes a term in both languages teaches it to the vocabulary once it is
// published and public: its keyword 合成气 (syngas) lets a Chinese search find another, English
// listing; a draft or a listing for named members only teaches nothing.
TEST_F(ExchangeApiTest, TermsAPublishedListingWritesInBothLanguagesTranslateSearches) {
  std::string english = CreatePublished(Listing("Syngas reforming over nickel"));
  const std::string query = "/api/v1/exchange/search?q=%E5%90%88%E6%88%90%E6%B0%94";  // 合成气
  auto bilingual = Listing("镍基重整催化剂");
  bilingual["keywords"] = {"合成气 (syngas)", "重整"};
  auto draft = env_.CallJson("POST", "/api/v1/exchange/listings", bilingual.dump(), alice_);
  ASSERT_EQ(draft["_status"], 201) << draft.dump();
  ASSERT_TRUE(env_.app().vocabulary().Refresh().ok());
  auto hits = env_.CallJson("GET", query);
  for (const auto& item : hits["items"])
    EXPECT_NE(item["listing"]["id"], english) << "a draft teaches nothing";
  auto published = env_.CallJson(
      "POST", "/api/v1/exchange/listings/" + draft["id"].get<std::string>() + "/publish", "{}",
      alice_);
  ASSERT_EQ(published["_status"], 200) << published.dump();
  ASSERT_TRUE(env_.app().vocabulary().Refresh().ok());  // as housekeeping does every minute
  hits = env_.CallJson("GET", query);
  bool found = false;
  for (const auto& item : hits["items"]) found = found || item["listing"]["id"] == english;
  EXPECT_TRUE(found) << hits.dump();
}

TEST(BilingualTermTest, ReadsATermAndItsEnglishWrittenAsOne) {
  auto pair = [](std::string_view text) {
    auto found = BilingualTerm(text);
    return found ? found->chinese + "=" + found->english : std::string("none");
  };
  EXPECT_EQ(pair("合成气 (syngas)"), "合成气=syngas");
  EXPECT_EQ(pair("合成气（Syngas）"), "合成气=Syngas");
  EXPECT_EQ(pair(" Partial oxidation / 部分氧化 "), "部分氧化=Partial oxidation");
  EXPECT_EQ(pair("质谱仪／Mass spectrometer"), "质谱仪=Mass spectrometer");
  EXPECT_EQ(pair("二氧化碳 (CO2)"), "二氧化碳=CO2");
  EXPECT_EQ(pair("合成气"), "none");
  EXPECT_EQ(pair("CO2 / 二氧化碳 capture"), "none") << "both sides hold Han or Latin letters";
  EXPECT_EQ(pair("合成气 (用于制氢)"), "none") << "a Chinese aside is no translation";
  EXPECT_EQ(pair("a / b / 合成气"), "none");
  EXPECT_EQ(pair("(syngas)"), "none");
}

// A park's operator reads how far its settled members' exchange has come; A is settled in the
// park, B only applied, and other readers are refused.
TEST_F(ExchangeApiTest, AParksOperatorReadsItsMembersExchangeFunnel) {
  std::string id = CreatePublished(Listing("石墨烯散热膜"));
  auto intro =
      env_.CallJson("POST", "/api/v1/exchange/introductions",
                    json{{"listing_id", id}, {"organization_id", env_.ids["E"]}}.dump(), ellen_);
  ASSERT_EQ(intro["_status"], 201) << intro.dump();
  std::string intro_id = intro["id"];
  auto accepted =
      env_.CallJson("POST", "/api/v1/exchange/introductions/" + intro_id + "/accept", "{}", alice_);
  ASSERT_EQ(accepted["state"], "accepted") << accepted.dump();
  auto deal = env_.CallJson("POST", "/api/v1/exchange/introductions/" + intro_id + "/deal",
                            R"({"kind":"licence"})", ellen_);
  ASSERT_EQ(deal["_status"], 201) << deal.dump();
  auto bob = env_.UserWith("bob", "member", env_.ids["B"]);
  json need = Listing("寻找散热方案");
  need["kind"] = "need";
  need["owner_id"] = env_.ids["B"];
  need["details"] = {{"problem", "设备过热"}};
  auto created = env_.CallJson("POST", "/api/v1/exchange/listings", need.dump(), bob);
  ASSERT_EQ(created["_status"], 201) << created.dump();
  env_.CallJson("POST",
                "/api/v1/exchange/listings/" + created["id"].get<std::string>() + "/publish", "{}",
                bob);

  auto operator_ = env_.UserWith("operator", "park_operator", env_.ids["park"]);
  auto funnel =
      env_.CallJson("GET", "/api/v1/parks/" + env_.ids["park"] + "/exchange-funnel", "", operator_);
  ASSERT_EQ(funnel["_status"], 200) << funnel.dump();
  EXPECT_EQ(funnel["results_published"], 1);
  EXPECT_EQ(funnel["needs_published"], 0) << "B has only applied to the park";
  EXPECT_EQ(funnel["introductions"], 1);
  EXPECT_EQ(funnel["accepted"], 1);
  EXPECT_EQ(funnel["deals"], 1);
  EXPECT_EQ(funnel["signed_deals"], 0);
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/parks/" + env_.ids["park"] + "/exchange-funnel", "",
                          alice_)["_status"],
            403);
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/parks/" + env_.ids["A"] + "/exchange-funnel", "",
                          operator_)["_status"],
            404);
}

}  // namespace
}  // namespace parkhub::exchange
