// The competitions API over HTTP: problem+json with fields for bad input, permission checks,
// a judge who must confirm, and an assignment that says why it cannot be made.
#include <gtest/gtest.h>

#include "registry/registry_service.h"
#include "support/test_app.h"

namespace parkhub::competitions {
namespace {

using nlohmann::json;
using testing::Caller;
using testing::TestApp;

class CompetitionApiTest : public ::testing::Test {
 protected:
  CompetitionApiTest() : clock_(*ParseUtc("2026-03-01T02:00:00Z")), env_({}, &clock_) {
    env_.LoadFixture();
    coordinator_ = env_.UserWith("coordinator", "park_operator", env_.ids["park"]);
    ellen_ = env_.UserWith("ellen", "org_admin", env_.ids["E"]);
    judge_ = env_.UserWith("judge_zhao");
  }

  json Call(const std::string& method, const std::string& path, const json& body,
            const Caller& as) {
    return env_.CallJson(method, "/api/v1/competitions" + path, body.is_null() ? "" : body.dump(),
                         as);
  }

  std::string Edition() {
    json edition = Call("POST", "/editions",
                        {{"organiser", env_.ids["park"]},
                         {"year", 2026},
                         {"names", {{"zh_hans", "大赛"}, {"zh_hant", "大賽"}, {"en", "Contest"}}},
                         {"entries_close_on", "2026-04-30"}},
                        coordinator_);
    EXPECT_EQ(edition["_status"], 201) << edition.dump();
    return edition.value("id", "");
  }

  json Entry(const std::string& edition, const json& facts) {
    return Call("POST", "/entries",
                {{"edition", edition},
                 {"group", "enterprise"},
                 {"organisation", env_.ids["E"]},
                 {"title", "固态电池隔膜"},
                 {"facts", facts}},
                ellen_);
  }

  ManualClock clock_;
  TestApp env_;
  Caller coordinator_, ellen_, judge_;
};

TEST_F(CompetitionApiTest, EditionsAndEntriesOverHttpWithFieldsNamedOnBadInput) {
  json refused = Call("POST", "/editions",
                      {{"organiser", env_.ids["park"]}, {"year", "2026"}, {"colour", 1}}, ellen_);
  EXPECT_EQ(refused["_status"], 422) << refused.dump();
  std::string edition = Edition();
  json denied = Call("POST", "/editions",
                     {{"organiser", env_.ids["park"]},
                      {"year", 2027},
                      {"names", {{"zh_hans", "大赛"}, {"zh_hant", "大賽"}, {"en", "Contest"}}},
                      {"entries_close_on", "2027-04-30"}},
                     ellen_);
  EXPECT_EQ(denied["_status"], 403);

  json ineligible = Entry(edition, {{"revenue_cny", 3e8}, {"listed", false}, {"earlier_wins", 3}});
  ASSERT_EQ(ineligible["_status"], 422);
  EXPECT_EQ(ineligible["errors"][0]["field"], "facts.revenue_cny");
  EXPECT_EQ(ineligible["errors"][0]["code"], "not_eligible");
  EXPECT_EQ(ineligible["errors"][1]["field"], "facts.earlier_wins");
  EXPECT_EQ(Call("GET", "/editions/" + edition + "/entries", nullptr, coordinator_)["items"].size(),
            0u)
      << "nothing was written";

  json entry = Entry(edition, {{"revenue_cny", 5e6}, {"listed", false}, {"earlier_wins", 0}});
  ASSERT_EQ(entry["_status"], 201) << entry.dump();
  EXPECT_EQ(entry["actions"], json({"withdraw"}));
  auto entrant = env_.app().registry().GetOrganization(env_.ids["E"]);
  ASSERT_TRUE(entrant.ok());
  EXPECT_EQ(entry["organisation"],
            json({{"id", env_.ids["E"]},
                  {"names",
                   {{"zh_hans", entrant->names.zh_hans},
                    {"zh_hant", entrant->names.zh_hant},
                    {"en", entrant->names.en}}}}))
      << "screens name the entrant";
  EXPECT_EQ(Call("GET", "/editions/" + edition, nullptr, ellen_)["organiser"]["id"],
            env_.ids["park"]);
  json listed = Call("GET", "/editions/" + edition + "/entries", nullptr, coordinator_);
  EXPECT_EQ(listed["items"].size(), 1u);
  EXPECT_EQ(Call("GET", "/entries/" + entry["id"].get<std::string>(), nullptr, judge_)["_status"],
            404);
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/competitions/editions")["_status"], 401);
}

TEST_F(CompetitionApiTest, AJudgeConfirmsFirstAndAnImpossibleAssignmentSaysWhy) {
  std::string edition = Edition();
  std::string entry =
      Entry(edition, {{"revenue_cny", 5e6}, {"listed", false}, {"earlier_wins", 0}})["id"];
  registry::PersonInput person;
  person.name_zh = "赵磊";
  person.name_en = "Zhao Lei";
  person.kind = "expert";
  auto zhao = env_.app().registry().CreatePerson(registry::RegistryService::SystemPrincipal(),
                                                 person, {{env_.ids["E"], "adviser", "", ""}});
  ASSERT_TRUE(zhao.ok());
  json round = Call("POST", "/rounds",
                    {{"edition", edition},
                     {"names", {{"zh_hans", "网评"}, {"zh_hant", "網評"}, {"en", "Online review"}}},
                     {"judges_per_entry", 1},
                     {"normalise", "yes"}},
                    coordinator_);
  ASSERT_EQ(round["_status"], 422);
  EXPECT_EQ(round["errors"][0]["field"], "normalise");
  round = Call("POST", "/rounds",
               {{"edition", edition},
                {"names", {{"zh_hans", "网评"}, {"zh_hant", "網評"}, {"en", "Online review"}}},
                {"judges_per_entry", 1}},
               coordinator_);
  ASSERT_EQ(round["_status"], 201) << round.dump();
  std::string id = round["id"];
  json judged = Call("POST", "/rounds/" + id + "/judges",
                     {{"username", "judge_zhao"}, {"person", zhao->id}}, coordinator_);
  ASSERT_EQ(judged["_status"], 200);
  EXPECT_EQ(judged["judges"][0]["names"]["zh_hans"], "赵磊");
  EXPECT_EQ(judged["judges"][0]["names"]["en"], "Zhao Lei");
  EXPECT_EQ(Call("POST", "/rounds/" + id + "/assign", {{"seed", 1}}, coordinator_)["code"],
            "judge_unconfirmed");
  ASSERT_EQ(Call("POST", "/rounds/" + id + "/confirm", nullptr, judge_)["_status"], 200);
  json impossible = Call("POST", "/rounds/" + id + "/assign", {{"seed", 1}}, coordinator_);
  ASSERT_EQ(impossible["_status"], 409) << impossible.dump();
  EXPECT_EQ(impossible["failure"]["code"], "too_few_judges") << "the only judge advises E";
  EXPECT_EQ(impossible["failure"]["entries"], json({entry}));
}

TEST_F(CompetitionApiTest, ACertificateCodeIsCheckedByAnyoneAndAnUnknownOneIsNotFound) {
  json unknown = env_.CallJson("GET", "/api/v1/competitions/certificates/ABCD-EFGH-IJKL-MNOP");
  EXPECT_EQ(unknown["_status"], 404) << "public: no sign-in asked, and nothing found";
}

}  // namespace
}  // namespace parkhub::competitions
