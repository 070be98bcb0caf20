// Every module's repositories, through their services, on each database driver (TEST_P over
// testing::StoreDrivers()): the SQL of registry, identity, facilities, exchange and
// notifications must mean the same on every driver. Each test walks one module's main reads
// and writes, the queries whose dialect is easiest to get wrong included (folded search keys,
// LIKE with escapes, aggregates, recursive organisation trees, empty IN lists, ON CONFLICT).
#include <gtest/gtest.h>

#include "db/domain_events.h"
#include "facilities/local_time.h"
#include "facilities/reports.h"
#include "registry/registry_service.h"
#include "support/drivers.h"
#include "support/settled_events.h"
#include "support/test_app.h"

namespace parkhub {
namespace {

using registry::RegistryService;

class RepositoryTest : public ::testing::TestWithParam<testing::StoreDriver> {
 protected:
  void SetUp() override {
    if (!GetParam().available()) GTEST_SKIP() << "no server for " << GetParam().name;
    env_ = std::make_unique<testing::TestApp>(Config{}, nullptr, &GetParam());
    env_->LoadFixture();
  }
  identity::Principal As(const std::string& username, const std::string& role,
                         const std::string& scope_key) {
    return env_->PrincipalWith(username, role, scope_key);
  }
  std::unique_ptr<testing::TestApp> env_;
};

TEST_P(RepositoryTest, RegistryFindsFilesAndLists) {
  auto& registry = env_->app().registry();
  registry::OrganizationQuery query;
  query.q = "香港科技大學";  // Traditional, stored Simplified: the folded search key
  EXPECT_EQ(registry.ListOrganizations(query)->total, 1);
  query.q = "%";  // a wildcard character is searched for, not obeyed
  EXPECT_EQ(registry.ListOrganizations(query)->total, 0);
  env_->AddInstitute("I", "B");
  auto dean = As("dean", "org_admin", "B");
  auto applied = registry.ApplyForMembership(dean, env_->ids["park"], env_->ids["I"], "");
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  registry::MembershipQuery memberships;
  EXPECT_EQ(registry.ListMemberships(dean, memberships)->total, 2) << "B's and its institute's";
  auto stranger = As("stranger", "", "");
  EXPECT_EQ(registry.ListMemberships(stranger, memberships)->total, 0) << "an empty IN list";
  auto park = registry.GetPark(env_->ids["park"]);
  ASSERT_TRUE(park.ok());
  EXPECT_FALSE(park->members_by_state.empty());
  registry::PersonInput person;
  person.name_zh = "陈明";
  person.name_en = "chen ming";
  person.kind = "researcher";
  ASSERT_TRUE(registry.CreatePerson(dean, person, {{env_->ids["B"], "professor", "", ""}}).ok());
  person.name_zh = "安娜";
  person.name_en = "Anna Li";
  ASSERT_TRUE(registry.CreatePerson(dean, person, {{env_->ids["I"], "engineer", "", ""}}).ok());
  auto people = registry.ListPeople(dean, {});
  ASSERT_TRUE(people.ok());
  ASSERT_EQ(people->total, 2);
  EXPECT_EQ(people->items[0].name_en, "Anna Li") << "names sort without regard to case";
  auto exported = registry.ExportOrganizationsCsv();
  ASSERT_TRUE(exported.ok());
  EXPECT_NE(exported->find("University A"), std::string::npos);
}

TEST_P(RepositoryTest, IdentityListsUsersWithTheirRoles) {
  As("ops", "park_operator", "park");
  auto& identity = env_->app().identity();
  ASSERT_TRUE(identity.GrantRole("ops", identity::Role::kMember, env_->ids["A"]).ok());
  auto users = identity.ListUsers();
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ((*users)[0].roles.size(), 2u);
}

TEST_P(RepositoryTest, FacilitiesBookReportAndNotify) {
  auto& facilities = env_->app().facilities();
  auto manager = As("manager", "facility_manager", "B");
  auto ellen = As("ellen", "org_admin", "E");
  facilities::NewResource r = env_->Instrument("B", "冷冻电镜", "Cryo-EM");
  r.rules.approval_mode = "manual";
  auto created = facilities.CreateResource(manager, r);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  std::string id = created->resource.id;
  EXPECT_EQ(facilities.ListResources("", "", "cryo")->size(), 1u);
  int64_t start = ToUnixSeconds(env_->app().clock().Now()) / 86400 * 86400 + 2 * 86400;
  facilities::BookingRequest request;
  request.resource_id = id;
  request.organization_id = env_->ids["E"];
  request.starts_at = start;
  request.ends_at = start + 3600;
  request.idempotency_key = "one";
  auto booked = facilities.CreateBooking(ellen, request);
  ASSERT_TRUE(booked.ok()) << booked.status().ToString();
  request.idempotency_key = "two";
  EXPECT_EQ(facilities.CreateBooking(ellen, request).status().code(), ErrorCode::kConflict);
  auto series = facilities.CreateSeries(ellen, request, "FREQ=DAILY;COUNT=3", true);
  ASSERT_TRUE(series.ok()) << series.status().ToString();
  EXPECT_EQ(series->booked.size(), 2u);
  EXPECT_EQ(series->skipped.size(), 1u);
  EXPECT_EQ(facilities.ListPendingApprovals(manager, {})->items.size(), 3u);
  ASSERT_TRUE(facilities.Act(manager, booked->id, facilities::BookingAction::kApprove, "").ok());
  EXPECT_EQ(env_->app().notifier().List(ellen.user_id, {.limit = 10})->unread, 1);
  facilities::FacilityReports reports(env_->app().database());
  auto used = reports.ResourceUtilisation(manager, id, start - 86400, start + 5 * 86400);
  ASSERT_TRUE(used.ok()) << used.status().ToString();
  EXPECT_GE(used->booked_hours, 1.0);
}

TEST_P(RepositoryTest, ExchangePublishesFindsAndIntroduces) {
  auto& exchange = env_->app().exchange();
  auto alice = As("alice", "member", "A");
  auto ellen = As("ellen", "org_admin", "E");
  exchange::ListingInput in;
  in.kind = "result";
  in.owner_id = env_->ids["A"];
  in.visibility = "named";
  in.audience = std::vector<std::string>{env_->ids["E"]};
  in.title = "石墨烯散热膜";
  in.summary = "高导热石墨烯薄膜，用于手机散热";
  in.trl = 6;
  in.details = nlohmann::json{{"ip_status", "granted"}, {"patent_numbers", {"CN112345678A"}},
                              {"transfer_modes", {"licence"}}, {"negotiable", true}};
  auto created = exchange.CreateListing(alice, in);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  ASSERT_TRUE(exchange.PublishListing(alice, created->id, "").ok());
  exchange::SearchRequest search;
  search.query = "石墨烯";
  auto found = exchange.Search(ellen, search);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->items.size(), 1u);
  auto introduced = exchange.RequestIntroduction(ellen, created->id, env_->ids["E"], "谈谈许可");
  ASSERT_TRUE(introduced.ok()) << introduced.status().ToString();
  auto answered = exchange.AnswerIntroduction(alice, introduced->id, true, "");
  EXPECT_TRUE(answered.ok()) << answered.status().ToString();
  EXPECT_GE(env_->app().notifier().List(alice.user_id, {.limit = 10})->unread, 1);
}

TEST_P(RepositoryTest, EveryWorkflowStepPublishesADomainEvent) {
  auto c = env_->app().database().Acquire();
  testing::AwaitSettledEvents(**c);
  int64_t before = *db::DomainEvents::Horizon(**c);  // past the fixture's own steps
  auto operator_ = As("ops", "park_operator", "park");
  auto dean = As("dean", "org_admin", "B");
  env_->AddInstitute("I", "B");
  auto& registry = env_->app().registry();
  auto applied = registry.ApplyForMembership(dean, env_->ids["park"], env_->ids["I"], "");
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  ASSERT_TRUE(registry.TransitionMembership(operator_, applied->id, "under_review", "").ok());
  auto manager = As("manager", "facility_manager", "B");
  auto created = env_->app().facilities().CreateResource(manager, env_->Instrument("B", "质谱仪", "MS"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  auto request = env_->HourBooking(created->resource.id, "B", "one");
  auto booked = env_->app().facilities().CreateBooking(manager, request);
  ASSERT_TRUE(booked.ok()) << booked.status().ToString();
  auto cancelled = env_->app().facilities().Act(manager, booked->id, facilities::BookingAction::kCancel, "");
  ASSERT_TRUE(cancelled.ok()) << cancelled.status().ToString();

  testing::AwaitSettledEvents(**c);
  auto events = db::DomainEvents::ReadAfter(**c, before, {"membership.", "booking."}, 100);
  ASSERT_TRUE(events.ok());
  std::vector<std::string> kinds;
  for (const auto& event : *events) kinds.push_back(event.kind);
  std::vector<std::string> expected = {"membership.applied", "membership.under_review",
                                       "booking." + facilities::BookingStateName(booked->state), "booking.cancelled"};
  EXPECT_EQ(kinds, expected);
  EXPECT_EQ(events->back().actor_row, manager.user_id);
  EXPECT_EQ(
      nlohmann::json::parse(events->back().payload),
      (nlohmann::json{{"from", facilities::BookingStateName(booked->state)}, {"to", "cancelled"}}));
}

INSTANTIATE_TEST_SUITE_P(Drivers, RepositoryTest, ::testing::ValuesIn(testing::StoreDrivers()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace parkhub
