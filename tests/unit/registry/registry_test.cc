#include <gtest/gtest.h>

#include "support/test_app.h"

namespace parkhub::registry {
namespace {

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override { env_.LoadFixture(); }
  RegistryService& registry() { return env_.app().registry(); }
  identity::Principal PrincipalOf(const std::string& username, const std::string& role,
                                  const std::string& scope) {
    env_.UserWith(username, role, scope);
    auto users = env_.app().identity().ListUsers();
    for (const auto& u : *users) {
      if (u.username != username) continue;
      auto c = env_.app().database().Acquire();
      auto id = (*c)->QueryInt("SELECT id FROM users WHERE username = ?", {username});
      identity::Principal p;
      p.user_id = *id;
      p.username = username;
      p.roles = u.roles;
      return p;
    }
    return {};
  }
  testing::TestApp env_;
};

TEST_F(RegistryTest, FindsOrganisationsAcrossScripts) {
  OrganizationQuery query;
  query.q = "香港科技大學";  // Traditional; stored in Simplified
  auto page = registry().ListOrganizations(query);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].id, env_.ids["A"]);
  query.q = "university a";
  EXPECT_EQ(registry().ListOrganizations(query)->total, 1);
  query.q = "%";
  EXPECT_EQ(registry().ListOrganizations(query)->total, 0);
}

TEST_F(RegistryTest, DerivesTraditionalNameFromSimplified) {
  auto a = registry().GetOrganization(env_.ids["A"]);
  EXPECT_EQ(a->names.zh_hant, "香港科技大學");
}

// Under 简体 names sort by pinyin, under 繁體 by stroke count, under English alphabetically: each
// the order a reader of that language looks for a name in.
TEST_F(RegistryTest, OrganisationsSortInTheReadersOrder) {
  auto system = RegistryService::SystemPrincipal();
  for (auto [zh, en] : {std::pair{"北京大学", "Peking University"},
                        {"澳门大学", "University of Macau"},
                        {"香港大学", "University of Hong Kong"},
                        {"中山大学", "Sun Yat-sen University"}}) {
    OrganizationInput input;
    input.type = "university";
    input.name_zh_hans = zh;
    input.name_en = en;
    input.region = "mainland";
    input.tags = std::vector<std::string>{"sort_test"};
    ASSERT_TRUE(registry().CreateOrganization(system, input).ok());
  }
  auto names_in = [&](const std::string& lang) {
    OrganizationQuery query;
    query.tag = "sort_test";
    query.lang = lang;
    std::vector<std::string> out;
    auto page = registry().ListOrganizations(query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) return out;
    for (const auto& o : page->items)
      out.push_back(lang == "zh-Hant" ? o.names.zh_hant
                    : lang == "en"    ? o.names.en
                                      : o.names.zh_hans);
    return out;
  };
  // ào, běi, xiāng, zhōng
  EXPECT_EQ(names_in("zh-Hans"),
            (std::vector<std::string>{"澳门大学", "北京大学", "香港大学", "中山大学"}));
  // 中 4 strokes, 北 5, 香 9, 澳 16
  EXPECT_EQ(names_in("zh-Hant"),
            (std::vector<std::string>{"中山大學", "北京大學", "香港大學", "澳門大學"}));
  EXPECT_EQ(names_in("en"),
            (std::vector<std::string>{"Peking University", "Sun Yat-sen University",
                                      "University of Hong Kong", "University of Macau"}));
  // Rows written before the keys existed get them at start.
  auto c = env_.app().database().Acquire();
  ASSERT_TRUE(
      (*c)->Execute("UPDATE organizations SET sort_key_zh_hans = '', sort_key_zh_hant = ''").ok());
  ASSERT_TRUE(registry().FillSortKeys().ok());
  EXPECT_EQ(names_in("zh-Hant"),
            (std::vector<std::string>{"中山大學", "北京大學", "香港大學", "澳門大學"}));
  OrganizationQuery bad;
  bad.lang = "fr";
  EXPECT_EQ(registry().ListOrganizations(bad).status().code(), ErrorCode::kUnprocessable);
}

TEST_F(RegistryTest, FiltersByParkMembershipAndCountsFromRecords) {
  OrganizationQuery query;
  query.park_id = env_.ids["park"];
  auto settled = registry().ListOrganizations(query);
  ASSERT_EQ(settled->total, 1);
  auto park = registry().GetPark(env_.ids["park"]);
  ASSERT_TRUE(park.ok());
  std::map<std::string, int64_t> states(park->members_by_state.begin(), park->members_by_state.end());
  EXPECT_EQ(states["settled"], 1);
  EXPECT_EQ(states["applied"], 1);
}

TEST_F(RegistryTest, MembershipsAreFoundByTheMembersNameInAnyScript) {
  auto op = PrincipalOf("operator3", "park_operator", env_.ids["park"]);
  MembershipQuery query;
  query.q = "香港科技大學";  // Traditional; A is stored in Simplified
  auto found = registry().ListMemberships(op, query);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->total, 1);
  EXPECT_EQ(found->items[0].id, env_.ids["membership_A"]);
  EXPECT_EQ(found->items[0].organization_names.zh_hans, "香港科技大学");
  query.q = "university";
  EXPECT_EQ(registry().ListMemberships(op, query)->total, 2);
  query.q = "%";
  EXPECT_EQ(registry().ListMemberships(op, query)->total, 0);
}

// A page offers only the steps its reader may take: the operator of the park moves a membership,
// the applicant's admin sees where it stands.
TEST_F(RegistryTest, OnlyTheParksOperatorIsOfferedAMembershipsNextSteps) {
  auto op = PrincipalOf("operator2", "park_operator", env_.ids["park"]);
  auto admin = PrincipalOf("dean2", "org_admin", env_.ids["B"]);
  auto as_operator = registry().GetMembership(op, env_.ids["membership_B"]);
  ASSERT_TRUE(as_operator.ok()) << as_operator.status().ToString();
  EXPECT_EQ(as_operator->allowed_next, (std::vector<std::string>{"under_review", "withdrawn"}));
  auto as_admin = registry().GetMembership(admin, env_.ids["membership_B"]);
  ASSERT_TRUE(as_admin.ok()) << as_admin.status().ToString();
  EXPECT_TRUE(as_admin->allowed_next.empty());
  MembershipQuery query;
  query.organization_id = env_.ids["B"];
  auto listed = registry().ListMemberships(admin, query);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_TRUE(listed->items[0].allowed_next.empty());
  EXPECT_FALSE(registry().ListMemberships(op, query)->items[0].allowed_next.empty());
}

TEST_F(RegistryTest, WorkflowRecordsHistoryAndRefusesInvalidTransitions) {
  auto op = PrincipalOf("operator1", "park_operator", env_.ids["park"]);
  auto skipped = registry().TransitionMembership(op, env_.ids["membership_B"], "settled", "");
  ASSERT_FALSE(skipped.ok());
  EXPECT_EQ(skipped.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(skipped.status().extensions()["allowed_next_states"],
            nlohmann::json::array({"under_review", "withdrawn"}));
  auto moved = registry().TransitionMembership(op, env_.ids["membership_B"], "under_review",
                                               "documents complete");
  ASSERT_TRUE(moved.ok());
  ASSERT_EQ(moved->history.size(), 2u);
  EXPECT_EQ(moved->history[1].actor, "operator1");
  EXPECT_EQ(moved->history[1].note, "documents complete");
  EXPECT_EQ(moved->history[1].from_state, "applied");
}

TEST_F(RegistryTest, OnlyOperatorsOfThatParkMoveMemberships) {
  auto admin_a = PrincipalOf("admin_a", "org_admin", env_.ids["A"]);
  auto refused = registry().TransitionMembership(admin_a, env_.ids["membership_A"], "suspended", "");
  EXPECT_EQ(refused.status().code(), ErrorCode::kPermissionDenied);
  auto stranger = PrincipalOf("stranger", "org_admin", env_.ids["E"]);
  auto hidden = registry().TransitionMembership(stranger, env_.ids["membership_A"], "suspended", "");
  EXPECT_EQ(hidden.status().code(), ErrorCode::kNotFound);
}

TEST_F(RegistryTest, OrgAdminEditsOwnOrganisationOnly) {
  auto admin_a = PrincipalOf("admin_a", "org_admin", env_.ids["A"]);
  OrganizationInput patch;
  patch.website = "https://a.example.edu";
  EXPECT_TRUE(registry().UpdateOrganization(admin_a, env_.ids["A"], patch).ok());
  auto other = registry().UpdateOrganization(admin_a, env_.ids["B"], patch);
  EXPECT_EQ(other.status().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(registry().GetOrganization(env_.ids["B"])->website, "");
}

// The ancestor rule (registry::OrgGraph): a university's admin administers the institutes below
// it, at any depth, and sees and files their memberships; a member of the university does not.
TEST_F(RegistryTest, AnAdminAdministersEveryOrganisationBelowTheirs) {
  env_.AddInstitute("I", "B");
  env_.AddInstitute("L", "I");  // a lab of the institute: two levels below B
  auto dean = PrincipalOf("dean", "org_admin", env_.ids["B"]);
  auto bob = PrincipalOf("bob", "member", env_.ids["B"]);
  OrganizationInput patch;
  patch.website = "https://lab.example.edu";
  EXPECT_TRUE(registry().UpdateOrganization(dean, env_.ids["L"], patch).ok());
  EXPECT_EQ(registry().UpdateOrganization(bob, env_.ids["L"], patch).status().code(),
            ErrorCode::kPermissionDenied);
  auto applied = registry().ApplyForMembership(dean, env_.ids["park"], env_.ids["L"], "");
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_TRUE(registry().GetMembership(dean, applied->id).ok());
  MembershipQuery query;
  query.organization_id = env_.ids["L"];
  auto listed = registry().ListMemberships(dean, query);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->total, 1) << "the grandchild's membership is in the dean's list";
  EXPECT_EQ(registry().ListMemberships(bob, query)->total, 0);
  EXPECT_FALSE(registry().GetMembership(bob, applied->id).ok());
}

TEST_F(RegistryTest, StaleVersionIsAConflict) {
  auto system = RegistryService::SystemPrincipal();
  OrganizationInput patch;
  patch.city = "Hong Kong";
  patch.expected_version = 99;
  auto stale = registry().UpdateOrganization(system, env_.ids["A"], patch);
  EXPECT_EQ(stale.status().reason(), "version_mismatch");
}

TEST_F(RegistryTest, RefusesParentCycles) {
  auto system = RegistryService::SystemPrincipal();
  OrganizationInput child;
  child.parent_id = env_.ids["A"];
  ASSERT_TRUE(registry().UpdateOrganization(system, env_.ids["E"], child).ok());
  OrganizationInput cycle;
  cycle.parent_id = env_.ids["E"];
  auto refused = registry().UpdateOrganization(system, env_.ids["A"], cycle);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().field_errors()[0].field, "parent_id");
}

TEST_F(RegistryTest, ImportWithABadRowWritesNothingAndReportsEveryRow) {
  auto system = RegistryService::SystemPrincipal();
  std::string csv =
      "type,name_zh_hans,name_en,region,country,tags\n"
      "university,新大学,New University,mainland,,985;211\n"
      "planet,,Bad Type,mainland,,\n"
      "university,,No Country,foreign,,\n";
  auto report = registry().ImportOrganizationsCsv(system, csv, false);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->rows, 3);
  EXPECT_EQ(report->written, 0);
  ASSERT_EQ(report->issues.size(), 2u);
  EXPECT_EQ(report->issues[0].line, 3);
  EXPECT_EQ(report->issues[0].field, "type");
  EXPECT_EQ(report->issues[1].line, 4);
  EXPECT_EQ(report->issues[1].field, "country");
  OrganizationQuery query;
  query.q = "New University";
  EXPECT_EQ(registry().ListOrganizations(query)->total, 0);
}

TEST_F(RegistryTest, ImportDryRunWritesNothingAndRealRunWritesAll) {
  auto system = RegistryService::SystemPrincipal();
  std::string csv = "type,name_zh_hans,name_en,region\nuniversity,新大学,New University,mainland\n";
  auto dry = registry().ImportOrganizationsCsv(system, csv, true);
  EXPECT_EQ(dry->valid, 1);
  EXPECT_EQ(dry->written, 0);
  OrganizationQuery query;
  query.q = "new university";
  EXPECT_EQ(registry().ListOrganizations(query)->total, 0);
  auto real = registry().ImportOrganizationsCsv(system, csv, false);
  EXPECT_EQ(real->written, 1);
  EXPECT_EQ(registry().ListOrganizations(query)->total, 1);
}

TEST_F(RegistryTest, ExportThenImportReproducesOrganisations) {
  auto system = RegistryService::SystemPrincipal();
  auto csv = registry().ExportOrganizationsCsv();
  ASSERT_TRUE(csv.ok());
  EXPECT_NE(csv->find("香港科技大学"), std::string::npos);
  testing::TestApp other;
  auto report = other.app().registry().ImportOrganizationsCsv(system, *csv, false);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->issues.empty()) << report->issues[0].reason;
  EXPECT_EQ(report->written, 5);
}

// The reviewer's reproducer: an organisation named as a formula comes out of the public export
// as text, and goes back in under its own name.
TEST_F(RegistryTest, ExportsCarryNoRunnableFormulas) {
  auto system = RegistryService::SystemPrincipal();
  const std::string name = "=HYPERLINK(\"http://evil.example\",\"x\")";
  std::string csv = "type,name_en,region\nenterprise,\"" + std::string("=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")") +
                    "\",mainland\n";
  auto imported = registry().ImportOrganizationsCsv(system, csv, false);
  ASSERT_EQ(imported->written, 1) << (imported->issues.empty() ? "" : imported->issues[0].reason);
  auto exported = registry().ExportOrganizationsCsv();
  EXPECT_EQ(exported->find(",=HYPERLINK"), std::string::npos);
  EXPECT_EQ(exported->find(",\"=HYPERLINK"), std::string::npos);
  EXPECT_NE(exported->find(",\"'=HYPERLINK"), std::string::npos);
  testing::TestApp other;
  ASSERT_EQ(other.app().registry().ImportOrganizationsCsv(system, *exported, false)->written, 6);
  OrganizationQuery query;
  query.q = "hyperlink";
  auto found = other.app().registry().ListOrganizations(query);
  ASSERT_EQ(found->total, 1);
  EXPECT_EQ(found->items[0].names.en, name);
}

TEST_F(RegistryTest, AgreementsNeedMemberSignatories) {
  auto system = RegistryService::SystemPrincipal();
  Agreement agreement{"", "Framework", "2020-01-02", {env_.ids["A"], env_.ids["E"]}, {"credits"}};
  auto refused = registry().AddAgreement(system, env_.ids["alliance"], agreement);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().field_errors()[0].field, "signatory_ids");
  agreement.signatory_ids = {env_.ids["A"], env_.ids["B"]};
  ASSERT_TRUE(registry().AddAgreement(system, env_.ids["alliance"], agreement).ok());
  auto alliance = registry().GetAlliance(env_.ids["alliance"]);
  ASSERT_EQ(alliance->agreements.size(), 1u);
  EXPECT_EQ(alliance->agreements[0].scope_items[0], "credits");
}

TEST_F(RegistryTest, PeopleNeedAnAffiliationTheEditorAdministers) {
  auto admin_a = PrincipalOf("admin_a", "org_admin", env_.ids["A"]);
  PersonInput person;
  person.name_zh = "陈明";
  person.name_en = "Chen Ming";
  person.kind = "researcher";
  auto mine = registry().CreatePerson(admin_a, person, {{env_.ids["A"], "professor", "", ""}});
  ASSERT_TRUE(mine.ok());
  auto theirs = registry().CreatePerson(admin_a, person, {{env_.ids["B"], "professor", "", ""}});
  EXPECT_EQ(theirs.status().code(), ErrorCode::kPermissionDenied);
  PersonQuery query;
  query.q = "陳明";  // Traditional
  auto found = registry().ListPeople(admin_a, query);
  EXPECT_EQ(found->total, 1);
}

// An admin of A may not claim B's person by affiliating them with A, and so may not edit them.
TEST_F(RegistryTest, AnAdminCannotClaimAnotherOrganisationsPerson) {
  auto admin_a = PrincipalOf("admin_a", "org_admin", env_.ids["A"]);
  auto admin_b = PrincipalOf("admin_b", "org_admin", env_.ids["B"]);
  PersonInput person;
  person.name_en = "Li Hua";
  person.kind = "researcher";
  person.email = "li.hua@b.example";
  auto theirs = registry().CreatePerson(admin_b, person, {{env_.ids["B"], "engineer", "", ""}});
  ASSERT_TRUE(theirs.ok()) << theirs.status().ToString();
  auto claimed = registry().AddAffiliation(admin_a, theirs->id, {env_.ids["A"], "visitor", "", ""});
  EXPECT_EQ(claimed.status().code(), ErrorCode::kPermissionDenied);
  PersonInput patch;
  patch.email = "attacker@a.example";
  EXPECT_EQ(registry().UpdatePerson(admin_a, theirs->id, patch).status().code(),
            ErrorCode::kPermissionDenied);
  auto unchanged = registry().GetPerson(admin_b, theirs->id);
  EXPECT_EQ(unchanged->affiliations.size(), 1u);
  EXPECT_EQ(unchanged->email, "li.hua@b.example");
  // Someone who administers both the person and the new organisation may add it.
  auto both = registry().AddAffiliation(admin_b, theirs->id, {env_.ids["B"], "adviser", "", ""});
  EXPECT_TRUE(both.ok()) << both.status().ToString();
}

// A profile is readable by any signed-in user; its e-mail only by the person's editors, park
// operators and platform admins, in every way out: one person, the list and the CSV export.
TEST_F(RegistryTest, ContactDetailsOnlyForThoseWhoLookAfterThePerson) {
  auto admin_b = PrincipalOf("admin_b", "org_admin", env_.ids["B"]);
  auto operator_ = PrincipalOf("operator", "park_operator", env_.ids["park"]);
  auto stranger = PrincipalOf("stranger", "", "");
  auto admin_a = PrincipalOf("admin_a", "org_admin", env_.ids["A"]);
  PersonInput person;
  person.name_en = "Li Hua";
  person.kind = "researcher";
  person.email = "li.hua@b.example";
  auto created = registry().CreatePerson(admin_b, person, {{env_.ids["B"], "engineer", "", ""}});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  for (const auto* viewer : {&admin_b, &operator_}) {
    EXPECT_EQ(registry().GetPerson(*viewer, created->id)->email, "li.hua@b.example");
  }
  for (const auto* viewer : {&stranger, &admin_a}) {
    auto seen = registry().GetPerson(*viewer, created->id);
    ASSERT_TRUE(seen.ok());
    EXPECT_EQ(seen->name_en, "Li Hua");
    EXPECT_EQ(seen->email, "");
    EXPECT_FALSE(seen->contacts_visible);
    auto listed = registry().ListPeople(*viewer, PersonQuery{});
    for (const auto& p : listed->items) EXPECT_EQ(p.email, "") << p.name_en;
    EXPECT_EQ(registry().ExportPeopleCsv(*viewer)->find("li.hua@"), std::string::npos);
  }
  EXPECT_NE(registry().ExportPeopleCsv(operator_)->find("li.hua@b.example"), std::string::npos);
}

}  // namespace
}  // namespace parkhub::registry
