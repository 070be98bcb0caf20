#include "core/workflow.h"

#include <gtest/gtest.h>

#include "facilities/local_time.h"
#include "registry/registry_service.h"
#include "support/test_app.h"

namespace parkhub {
namespace {

const Workflow kDoor("door", {{"closed", "open", "open", "anyone"},
                              {"open", "close", "closed", "anyone"},
                              {"closed", "lock", "locked", "keyholder"},
                              {"locked", "unlock", "closed", "keyholder"}});

TEST(WorkflowTest, AStepLeadsWhereTheTableSays) {
  auto opened = kDoor.Step("closed", "open");
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->to, "open");
  EXPECT_TRUE(kDoor.KnowsAction("lock"));
  EXPECT_FALSE(kDoor.KnowsAction("kick"));
  EXPECT_EQ(kDoor.ActionsFrom("closed"), (std::vector<std::string>{"open", "lock"}));
  EXPECT_EQ(kDoor.NextStates("closed"), (std::vector<std::string>{"open", "locked"}));
}

TEST(WorkflowTest, ARefusedStepSaysWhatIsAllowedInstead) {
  auto refused = kDoor.Step("locked", "open");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(refused.status().reason(), "invalid_transition");
  EXPECT_EQ(refused.status().extensions()["current_state"], "locked");
  EXPECT_EQ(refused.status().extensions()["allowed_actions"], nlohmann::json::array({"unlock"}));
  EXPECT_EQ(refused.status().extensions()["allowed_next_states"], nlohmann::json::array({"closed"}));
}

TEST(WorkflowTest, OnlyThePartyNamedTakesAStep) {
  auto is_keyholder = [](std::string_view party) { return party != "keyholder"; };
  EXPECT_EQ(kDoor.Step("closed", "lock", is_keyholder).status().code(), ErrorCode::kPermissionDenied);
  EXPECT_TRUE(kDoor.Step("closed", "open", is_keyholder).ok());
}

// The four workflows of today refuse an impossible step with the same problem: 409
// invalid_transition, the current state, and what may be done instead.
TEST(WorkflowTest, EveryWorkflowRefusesAnImpossibleStepTheSameWay) {
  testing::TestApp env;
  env.LoadFixture();
  auto system = registry::RegistryService::SystemPrincipal();
  std::vector<Status> refusals;

  auto membership = env.app().registry().TransitionMembership(system, env.ids["membership_B"],
                                                               "settled", "");
  refusals.push_back(membership.status());

  auto manager = env.PrincipalWith("manager", "facility_manager", "B");
  auto resource =
      env.app().facilities().CreateResource(manager, env.Instrument("B", "质谱仪", "Mass spectrometer"));
  ASSERT_TRUE(resource.ok()) << resource.status().ToString();
  facilities::BookingRequest request;
  request.resource_id = resource->resource.id;
  request.organization_id = env.ids["B"];
  request.starts_at = ToUnixSeconds(env.app().clock().Now()) / 86400 * 86400 + 2 * 86400;
  request.ends_at = request.starts_at + 3600;
  request.idempotency_key = "w";
  auto booking = env.app().facilities().CreateBooking(manager, request);
  ASSERT_TRUE(booking.ok()) << booking.status().ToString();
  refusals.push_back(env.app().facilities().Act(manager, booking->id, facilities::BookingAction::kCheckOut, "").status());

  auto alice = env.PrincipalWith("alice", "member", "A");
  exchange::ListingInput in;
  in.kind = "result";
  in.owner_id = env.ids["A"];
  in.title = "石墨烯散热膜";
  in.summary = "高导热石墨烯薄膜";
  in.trl = 6;
  in.details = nlohmann::json{{"ip_status", "granted"}, {"patent_numbers", {"CN112345678A"}},
                              {"transfer_modes", {"licence"}}, {"negotiable", true}};
  auto listing = env.app().exchange().CreateListing(alice, in);
  ASSERT_TRUE(listing.ok()) << listing.status().ToString();
  ASSERT_TRUE(env.app().exchange().CloseListing(alice, listing->id, "").ok());
  refusals.push_back(env.app().exchange().CloseListing(alice, listing->id, "").status());

  auto ellen = env.PrincipalWith("ellen", "org_admin", "E");
  auto other = env.app().exchange().CreateListing(alice, in);
  ASSERT_TRUE(env.app().exchange().PublishListing(alice, other->id, "").ok());
  auto intro = env.app().exchange().RequestIntroduction(ellen, other->id, env.ids["E"], "谈谈");
  ASSERT_TRUE(intro.ok()) << intro.status().ToString();
  ASSERT_TRUE(env.app().exchange().AnswerIntroduction(alice, intro->id, true, "").ok());
  refusals.push_back(env.app().exchange().AnswerIntroduction(alice, intro->id, false, "no").status());
  ASSERT_TRUE(env.app().exchange().OpenDeal(ellen, intro->id, "licence", 100, "CNY", "").ok());
  refusals.push_back(
      env.app().exchange().MoveDeal(ellen, intro->id, "delivered", std::nullopt, "").status());

  ASSERT_EQ(refusals.size(), 5u);
  for (const Status& refused : refusals) {
    SCOPED_TRACE(refused.ToString());
    EXPECT_EQ(refused.code(), ErrorCode::kConflict);
    EXPECT_EQ(refused.reason(), "invalid_transition");
    EXPECT_TRUE(refused.extensions()["current_state"].is_string());
    EXPECT_TRUE(refused.extensions()["allowed_actions"].is_array());
    EXPECT_TRUE(refused.extensions()["allowed_next_states"].is_array());
  }
  EXPECT_EQ(refusals[0].extensions()["allowed_next_states"],
            nlohmann::json::array({"under_review", "withdrawn"}));
  EXPECT_EQ(refusals[1].extensions()["allowed_actions"],
            nlohmann::json::array({"cancel", "check_in", "no_show"}));
}

}  // namespace
}  // namespace parkhub
