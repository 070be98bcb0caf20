#include <gtest/gtest.h>

#include <future>
#include <set>

#include "facilities/facility_service.h"
#include "facilities/local_time.h"
#include "facilities/recurrence.h"
#include "support/test_app.h"

namespace parkhub::facilities {
namespace {

int64_t At(const std::string& text) { return *ParseInstant(text); }

class FacilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.LoadFixture();
    service_ = &env_.app().facilities();
    manager_ = env_.PrincipalWith("manager", "facility_manager", "B");
    alice_ = env_.PrincipalWith("alice", "member", "A");
    ellen_ = env_.PrincipalWith("ellen", "member", "E");
    bob_ = env_.PrincipalWith("bob", "member", "B");
  }

  NewResource Microscope() {
    NewResource r;
    r.owner_id = env_.ids["B"];
    r.kind = "instrument";
    r.name_zh = "冷冻电镜";
    r.name_en = "Cryo-EM";
    r.time_zone = "Asia/Shanghai";
    r.rules.granularity_minutes = 30;
    r.rules.min_minutes = 30;
    r.rules.max_minutes = 240;
    r.rules.setup_minutes = 15;
    r.rules.cleanup_minutes = 15;
    r.rules.horizon_days = 30;
    r.hourly_prices = {{"internal", 10000}, {"industry", 50000}, {"hk_macao", 20000}};
    return r;
  }

  std::string Create(const NewResource& r) {
    auto created = service_->CreateResource(manager_, r);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created->resource.id;
  }

  BookingRequest Request(const std::string& resource, const std::string& org, const std::string& start,
                         const std::string& end, const std::string& key) {
    BookingRequest request;
    request.resource_id = resource;
    request.organization_id = env_.ids[org];
    request.starts_at = At(start);
    request.ends_at = At(end);
    request.idempotency_key = key;
    return request;
  }

  int64_t Bookings() {
    auto c = env_.app().database().Acquire();
    return *(*c)->QueryInt("SELECT COUNT(*) FROM bookings");
  }

  ManualClock clock_{FromUnixSeconds(At("2026-12-01T00:00:00Z"))};
  testing::TestApp env_{{}, &clock_};
  notifications::Notifier& notifier_ = env_.app().notifier();
  FacilityService* service_ = nullptr;
  Principal manager_, alice_, ellen_, bob_;
};

TEST_F(FacilityTest, TimeRulesEachGiveAReasonAndWriteNothing) {
  std::string id = Create(Microscope());
  NewResource rules = Microscope();
  struct Case {
    std::string start, end, field;
  } cases[] = {
      {"2026-12-02T10:00:00+08:00", "2026-12-02T09:00:00+08:00", "ends_at"},  // end before start
      {"2026-12-02T10:00:00+08:00", "2026-12-02T10:00:00+08:00", "ends_at"},  // zero length
      {"2026-12-02T08:00:00+08:00", "2026-12-02T13:00:00+08:00", "ends_at"},  // too long
      {"2026-12-02T10:10:00+08:00", "2026-12-02T10:40:00+08:00", "starts_at"},  // off the grid
      {"2026-11-30T10:00:00+08:00", "2026-11-30T11:00:00+08:00", "starts_at"},  // past
      {"2027-02-02T10:00:00+08:00", "2027-02-02T11:00:00+08:00", "starts_at"},  // beyond horizon
  };
  for (const auto& c : cases) {
    auto booked = service_->CreateBooking(ellen_, Request(id, "E", c.start, c.end, "k" + c.start + c.end));
    ASSERT_FALSE(booked.ok()) << c.start;
    EXPECT_EQ(booked.status().code(), ErrorCode::kUnprocessable);
    EXPECT_EQ(booked.status().field_errors()[0].field, c.field) << c.start << " " << booked.status().ToString();
  }
  ASSERT_TRUE(service_->AddBlackout(manager_, id, {At("2026-12-03T00:00:00+08:00"),
                                                   At("2026-12-04T00:00:00+08:00"), "maintenance"})
                  .ok());
  auto blackout = service_->CreateBooking(
      ellen_, Request(id, "E", "2026-12-03T10:00:00+08:00", "2026-12-03T11:00:00+08:00", "b"));
  EXPECT_NE(blackout.status().field_errors()[0].reason.find("maintenance"), std::string::npos);
  EXPECT_EQ(Bookings(), 0);
}

TEST_F(FacilityTest, NeverOverlapsBuffersIncluded) {
  std::string id = Create(Microscope());
  ASSERT_TRUE(service_->CreateBooking(ellen_, Request(id, "E", "2026-12-02T10:00:00+08:00",
                                                      "2026-12-02T11:00:00+08:00", "1")).ok());
  // Starts right at the end, but the 15-minute clean-up and set-up buffers collide.
  auto clash = service_->CreateBooking(alice_, Request(id, "A", "2026-12-02T11:00:00+08:00",
                                                       "2026-12-02T12:00:00+08:00", "2"));
  EXPECT_EQ(clash.status().reason(), "slot_taken");
  // 30 minutes later both buffers fit.
  EXPECT_TRUE(service_->CreateBooking(alice_, Request(id, "A", "2026-12-02T11:30:00+08:00",
                                                      "2026-12-02T12:30:00+08:00", "3")).ok());
}

TEST_F(FacilityTest, PoolsAreBookedUpToTheirCapacity) {
  NewResource pool = Microscope();
  pool.kind = "compute_pool";
  pool.rules.capacity = 4;
  pool.rules.setup_minutes = pool.rules.cleanup_minutes = 0;
  std::string id = Create(pool);
  auto request = Request(id, "E", "2026-12-02T10:00:00+08:00", "2026-12-02T12:00:00+08:00", "p1");
  request.units = 2;
  ASSERT_TRUE(service_->CreateBooking(ellen_, request).ok());
  request.idempotency_key = "p2";
  request.starts_at = At("2026-12-02T11:00:00+08:00");
  request.ends_at = At("2026-12-02T13:00:00+08:00");
  ASSERT_TRUE(service_->CreateBooking(ellen_, request).ok());
  request.idempotency_key = "p3";
  request.units = 1;
  EXPECT_EQ(service_->CreateBooking(ellen_, request).status().reason(), "slot_taken");
  request.starts_at = At("2026-12-02T12:00:00+08:00");  // the first booking has ended
  request.idempotency_key = "p4";
  request.units = 2;
  EXPECT_TRUE(service_->CreateBooking(ellen_, request).ok());
}

TEST_F(FacilityTest, IdempotencyKeyReplaysOrRefuses) {
  std::string id = Create(Microscope());
  auto request = Request(id, "E", "2026-12-02T10:00:00+08:00", "2026-12-02T11:00:00+08:00", "same");
  auto first = service_->CreateBooking(ellen_, request);
  auto again = service_->CreateBooking(ellen_, request);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(first->id, again->id);
  EXPECT_EQ(Bookings(), 1);
  request.ends_at = At("2026-12-02T11:30:00+08:00");
  EXPECT_EQ(service_->CreateBooking(ellen_, request).status().reason(), "idempotency_key_reused");
}

TEST_F(FacilityTest, PricesByCategoryAreFrozenAtBooking) {
  std::string id = Create(Microscope());
  auto internal = service_->QuoteBooking(bob_, Request(id, "B", "2026-12-02T10:00:00+08:00",
                                                       "2026-12-02T11:30:00+08:00", "q"));
  EXPECT_EQ(internal->category, "internal");
  EXPECT_EQ(internal->total_minor, 15000);
  auto hk = service_->QuoteBooking(alice_, Request(id, "A", "2026-12-02T10:00:00+08:00",
                                                   "2026-12-02T11:00:00+08:00", "q"));
  EXPECT_EQ(hk->category, "hk_macao");
  auto booked = service_->CreateBooking(ellen_, Request(id, "E", "2026-12-02T10:00:00+08:00",
                                                        "2026-12-02T11:00:00+08:00", "f"));
  EXPECT_EQ(booked->price.category, "industry");
  EXPECT_EQ(booked->price.total_minor, 50000);
  {
    auto c = env_.app().database().Acquire();
    ASSERT_TRUE((*c)->Execute("UPDATE resource_prices SET hourly_minor = 99999").ok());
  }
  EXPECT_EQ(service_->GetBooking(ellen_, booked->id)->price.total_minor, 50000);
}

TEST_F(FacilityTest, BookersActOnlyForTheirOrganisations) {
  std::string id = Create(Microscope());
  auto foreign = service_->CreateBooking(alice_, Request(id, "E", "2026-12-02T10:00:00+08:00",
                                                         "2026-12-02T11:00:00+08:00", "x"));
  EXPECT_EQ(foreign.status().code(), ErrorCode::kPermissionDenied);
}

TEST_F(FacilityTest, TrainingAndRegionGates) {
  NewResource r = Microscope();
  r.rules.training_required = true;
  r.rules.allowed_regions = {"mainland", "hong_kong"};
  r.rules.approval_mode = "automatic_if_trained";
  std::string id = Create(r);
  auto untrained = service_->CreateBooking(alice_, Request(id, "A", "2026-12-02T10:00:00+08:00",
                                                           "2026-12-02T11:00:00+08:00", "t1"));
  EXPECT_EQ(untrained.status().reason(), "training_required");
  ASSERT_TRUE(service_->GrantQualification(manager_, id, "alice", At("2027-06-01T00:00:00Z")).ok());
  auto trained = service_->CreateBooking(alice_, Request(id, "A", "2026-12-02T10:00:00+08:00",
                                                         "2026-12-02T11:00:00+08:00", "t2"));
  ASSERT_TRUE(trained.ok());
  EXPECT_EQ(trained->state, BookingState::kApproved);
  NewResource mainland_only = Microscope();
  mainland_only.rules.allowed_regions = {"mainland"};
  std::string closed = Create(mainland_only);
  auto refused = service_->CreateBooking(alice_, Request(closed, "A", "2026-12-02T10:00:00+08:00",
                                                         "2026-12-02T11:00:00+08:00", "r"));
  EXPECT_EQ(refused.status().reason(), "region_not_allowed");
  EXPECT_FALSE(service_->GrantQualification(alice_, id, "alice", At("2027-06-01T00:00:00Z")).ok());
}

TEST_F(FacilityTest, ManualApprovalByManagersOnly) {
  NewResource r = Microscope();
  r.rules.approval_mode = "manual";
  std::string id = Create(r);
  auto booked = service_->CreateBooking(ellen_, Request(id, "E", "2026-12-02T10:00:00+08:00",
                                                        "2026-12-02T11:00:00+08:00", "m"));
  ASSERT_EQ(booked->state, BookingState::kPending);
  EXPECT_EQ(service_->Act(ellen_, booked->id, BookingAction::kApprove, "").status().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->Act(alice_, booked->id, BookingAction::kApprove, "").status().code(), ErrorCode::kNotFound);
  ASSERT_EQ(service_->ListPendingApprovals(manager_, {})->items.size(), 1u);
  auto approved = service_->Act(manager_, booked->id, BookingAction::kApprove, "ok");
  ASSERT_TRUE(approved.ok());
  EXPECT_EQ(approved->state, BookingState::kApproved);
  auto again = service_->Act(manager_, booked->id, BookingAction::kApprove, "");
  EXPECT_EQ(again.status().reason(), "invalid_transition");
  ASSERT_TRUE(service_->Act(ellen_, booked->id, BookingAction::kCheckIn, "").ok());
  clock_.Advance(std::chrono::hours(40));
  auto done = service_->Act(ellen_, booked->id, BookingAction::kCheckOut, "");
  EXPECT_EQ(done->state, BookingState::kCompleted);
  EXPECT_EQ(done->history.size(), 4u);
}

// A booker's list and a manager's queue come in pages, in the order asked for, filtered by state;
// a bad query names its field and lists nothing.
TEST_F(FacilityTest, BookingListsArePagedSortedAndFiltered) {
  NewResource r = Microscope();
  r.rules.approval_mode = "manual";
  std::string id = Create(r);
  for (const char* day : {"03", "01", "02"}) {
    std::string date = std::string("2026-12-") + day;
    ASSERT_TRUE(service_
                    ->CreateBooking(ellen_, Request(id, "E", date + "T10:00:00+08:00",
                                                    date + "T11:00:00+08:00", day))
                    .ok());
  }
  BookingListQuery query;
  query.limit = 2;
  auto first = service_->ListMyBookings(ellen_, query);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->total, 3);
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].starts_at, At("2026-12-03T10:00:00+08:00"));  // latest first
  query.offset = 2;
  auto rest = service_->ListMyBookings(ellen_, query);
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].starts_at, At("2026-12-01T10:00:00+08:00"));

  BookingListQuery earliest;
  earliest.sort = "starts_at";
  auto queue = service_->ListPendingApprovals(manager_, earliest);
  ASSERT_EQ(queue->total, 3);
  EXPECT_EQ(queue->items[0].starts_at, At("2026-12-01T10:00:00+08:00"));
  ASSERT_TRUE(service_->Act(manager_, queue->items[0].id, BookingAction::kApprove, "").ok());
  EXPECT_EQ(service_->ListPendingApprovals(manager_, earliest)->total, 2);
  BookingListQuery approved;
  approved.state = "approved";
  EXPECT_EQ(service_->ListMyBookings(ellen_, approved)->total, 1);
  EXPECT_EQ(service_->ListMyBookings(alice_, {})->total, 0);
  BookingListQuery second_of_december;  // the day in Shanghai: only the booking on it
  second_of_december.from = At("2026-12-02T00:00:00+08:00");
  second_of_december.to = At("2026-12-03T00:00:00+08:00");
  auto day = service_->ListMyBookings(ellen_, second_of_december);
  ASSERT_EQ(day->total, 1);
  EXPECT_EQ(day->items[0].starts_at, At("2026-12-02T10:00:00+08:00"));

  BookingListQuery bad;
  bad.sort = "price";
  bad.limit = 0;
  bad.from = At("2026-12-03T00:00:00Z");
  bad.to = bad.from;
  auto refused = service_->ListMyBookings(ellen_, bad);
  ASSERT_EQ(refused.status().code(), ErrorCode::kUnprocessable);
  EXPECT_EQ(refused.status().field_errors().size(), 3u);
}

// Hong Kong readers read a resource in Traditional Chinese: spelled from the Simplified name
// unless its managers give their own, and spelled again when the Simplified name changes alone;
// rows older than the spelling get it at start.
TEST_F(FacilityTest, ResourcesAreNamedInTraditionalChinese) {
  std::string id = Create(Microscope());
  auto resource = service_->GetResource(id);
  EXPECT_EQ(resource->name_zh_hant, "冷凍電鏡");
  NewResource renamed = Microscope();
  renamed.name_zh = "扫描电镜";
  renamed.name_zh_hant = resource->name_zh_hant;  // what an edit form sends back unchanged
  ASSERT_TRUE(service_->UpdateResource(manager_, id, renamed).ok());
  EXPECT_EQ(service_->GetResource(id)->name_zh_hant, "掃描電鏡");
  renamed.name_zh_hant = "掃描式電子顯微鏡";
  ASSERT_TRUE(service_->UpdateResource(manager_, id, renamed).ok());
  EXPECT_EQ(service_->GetResource(id)->name_zh_hant, "掃描式電子顯微鏡");

  {
    auto c = env_.app().database().Acquire();
    ASSERT_TRUE((*c)->Execute("UPDATE resources SET name_zh_hant = ''").ok());
  }
  ASSERT_TRUE(service_->FillTraditionalNames().ok());
  EXPECT_EQ(service_->GetResource(id)->name_zh_hant, "掃描電鏡");
}

// The ancestor rule (registry::OrgGraph): the admin of a university manages the instruments of
// the institutes below it, at any depth; a member of the university does not.
TEST_F(FacilityTest, AUniversitysAdminManagesItsInstitutesInstruments) {
  env_.AddInstitute("I", "B");
  env_.AddInstitute("L", "I");
  auto dean = env_.PrincipalWith("dean", "org_admin", "B");
  NewResource r = Microscope();
  r.owner_id = env_.ids["L"];
  r.rules.approval_mode = "manual";
  auto created = service_->CreateResource(dean, r);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  std::string id = created->resource.id;
  EXPECT_EQ(service_->CreateResource(bob_, r).status().code(), ErrorCode::kPermissionDenied);
  Blackout closed{At("2026-12-20T00:00:00Z"), At("2026-12-21T00:00:00Z"), "maintenance"};
  EXPECT_TRUE(service_->AddBlackout(dean, id, closed).ok());
  EXPECT_FALSE(service_->AddBlackout(bob_, id, closed).ok());

  auto booked = service_->CreateBooking(ellen_, Request(id, "E", "2026-12-02T10:00:00+08:00",
                                                        "2026-12-02T11:00:00+08:00", "i1"));
  ASSERT_TRUE(booked.ok()) << booked.status().ToString();
  EXPECT_EQ(service_->ListPendingApprovals(dean, {})->items.size(), 1u);
  EXPECT_TRUE(service_->ListPendingApprovals(bob_, {})->items.empty());
  EXPECT_EQ(service_->Act(bob_, booked->id, BookingAction::kApprove, "").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->Act(dean, booked->id, BookingAction::kApprove, "").value().state, BookingState::kApproved);

  auto own = service_->CreateBooking(dean, Request(id, "L", "2026-12-03T10:00:00+08:00",
                                                   "2026-12-03T11:00:00+08:00", "i2"));
  EXPECT_TRUE(own.ok()) << "the dean books for the lab: " << own.status().ToString();
  EXPECT_EQ(service_->CreateBooking(bob_, Request(id, "L", "2026-12-04T10:00:00+08:00",
                                                  "2026-12-04T11:00:00+08:00", "i3"))
                .status()
                .code(),
            ErrorCode::kPermissionDenied);

  FacilityReports reports(env_.app().database());
  int64_t from = At("2026-12-01T00:00:00Z"), to = At("2027-01-01T00:00:00Z");
  EXPECT_TRUE(reports.ResourceUtilisation(dean, id, from, to).ok());
  EXPECT_TRUE(reports.OwnerUtilisation(dean, env_.ids["L"], from, to).ok());
  EXPECT_TRUE(reports.MonthlyStatement(dean, env_.ids["L"], "2026-12").ok());
  EXPECT_EQ(reports.ResourceUtilisation(bob_, id, from, to).status().code(),
            ErrorCode::kPermissionDenied);
}

TEST_F(FacilityTest, HoldsExpire) {
  std::string id = Create(Microscope());
  auto request = Request(id, "E", "2026-12-02T10:00:00+08:00", "2026-12-02T11:00:00+08:00", "h");
  request.hold = true;
  auto held = service_->CreateBooking(ellen_, request);
  ASSERT_EQ(held->state, BookingState::kHeld);
  auto blocked = service_->CreateBooking(alice_, Request(id, "A", "2026-12-02T10:00:00+08:00",
                                                         "2026-12-02T11:00:00+08:00", "a"));
  EXPECT_EQ(blocked.status().reason(), "slot_taken");
  clock_.Advance(std::chrono::minutes(16));
  EXPECT_EQ(service_->Act(ellen_, held->id, BookingAction::kConfirm, "").status().reason(), "hold_expired");
  EXPECT_TRUE(service_->CreateBooking(alice_, Request(id, "A", "2026-12-02T10:00:00+08:00",
                                                      "2026-12-02T11:00:00+08:00", "a2")).ok());
}

TEST_F(FacilityTest, ThreeNoShowsBlockUntilLifted) {
  std::string id = Create(Microscope());
  std::vector<std::string> booked;
  for (int day = 2; day <= 4; ++day) {
    std::string date = "2026-12-0" + std::to_string(day);
    auto b = service_->CreateBooking(ellen_, Request(id, "E", date + "T10:00:00+08:00",
                                                     date + "T11:00:00+08:00", "n" + date));
    booked.push_back(b->id);
  }
  EXPECT_EQ(service_->Act(manager_, booked[0], BookingAction::kNoShow, "").status().reason(), "too_early");
  clock_.Advance(std::chrono::hours(24 * 4));  // 5 December
  for (const auto& b : booked) ASSERT_TRUE(service_->Act(manager_, b, BookingAction::kNoShow, "did not come").ok());
  auto blocked = service_->CreateBooking(ellen_, Request(id, "E", "2026-12-06T10:00:00+08:00",
                                                         "2026-12-06T11:00:00+08:00", "n5"));
  EXPECT_EQ(blocked.status().reason(), "no_show_block");
  EXPECT_FALSE(service_->LiftNoShowBlock(ellen_, "ellen").ok());
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(service_->LiftNoShowBlock(manager_, "ellen").ok());
  EXPECT_TRUE(service_->CreateBooking(ellen_, Request(id, "E", "2026-12-06T10:00:00+08:00",
                                                      "2026-12-06T11:00:00+08:00", "n6")).ok());
}

TEST_F(FacilityTest, SlotGridFollowsLocalTimeAcrossDaylightSaving) {
  NewResource london = Microscope();
  london.time_zone = "Europe/London";
  london.rules.granularity_minutes = 60;
  london.rules.setup_minutes = london.rules.cleanup_minutes = 0;
  london.rules.horizon_days = 200;
  std::string id = Create(london);
  // 29 March 2027: London moves to BST (UTC+1). 09:00 local is 08:00Z.
  auto on_grid = service_->CreateBooking(ellen_, Request(id, "E", "2027-03-29T08:00:00Z",
                                                         "2027-03-29T09:00:00Z", "dst1"));
  ASSERT_TRUE(on_grid.ok()) << on_grid.status().ToString();
  EXPECT_EQ(FormatInLocal(on_grid->starts_at, "Europe/London"), "2027-03-29T09:00:00+01:00");
  // 09:00Z would be 10:00 BST: also on the grid; 08:30Z is 09:30 BST: off it.
  EXPECT_FALSE(service_->CreateBooking(ellen_, Request(id, "E", "2027-03-29T10:30:00Z",
                                                       "2027-03-29T11:30:00Z", "dst2")).ok());
  EXPECT_EQ(FormatInLocal(At("2026-11-01T06:30:00Z"), "America/New_York"), "2026-11-01T01:30:00-05:00");
  EXPECT_EQ(FormatInLocal(At("2026-11-01T05:30:00Z"), "America/New_York"), "2026-11-01T01:30:00-04:00");
  EXPECT_EQ(FormatInLocal(At("2026-12-01T00:00:00Z"), "Asia/Hong_Kong"), "2026-12-01T08:00:00+08:00");
  EXPECT_EQ(LocalMinuteOfDay(At("2026-12-01T00:00:00Z"), "Asia/Shanghai"), 8 * 60);
}

TEST_F(FacilityTest, CalendarFeedNeedsItsToken) {
  auto created = service_->CreateResource(manager_, Microscope());
  std::string id = created->resource.id;
  ASSERT_TRUE(service_->CreateBooking(ellen_, Request(id, "E", "2026-12-02T10:00:00+08:00",
                                                      "2026-12-02T11:00:00+08:00", "c")).ok());
  EXPECT_EQ(service_->CalendarFeed(id, "wrong").status().code(), ErrorCode::kNotFound);
  auto feed = service_->CalendarFeed(id, created->calendar_token);
  ASSERT_TRUE(feed.ok());
  EXPECT_NE(feed->find("DTSTART:20261202T020000Z"), std::string::npos);
  EXPECT_NE(feed->find("BEGIN:VEVENT"), std::string::npos);
  EXPECT_EQ(feed->find("ellen"), std::string::npos);  // no personal data in the feed
}

TEST_F(FacilityTest, CatalogueSearchesNamesAndDescriptions) {
  Create(Microscope());
  NewResource pool = Microscope();
  pool.kind = "compute_pool";
  pool.name_zh = "超算";
  pool.name_en = "Supercomputer";
  pool.description = "node-hours for Hong Kong";
  Create(pool);
  EXPECT_EQ(service_->ListResources("", "", "cryo")->size(), 1u);
  EXPECT_EQ(service_->ListResources("", "", "冷冻")->size(), 1u);
  EXPECT_EQ(service_->ListResources("", "", "冷凍電鏡")->size(), 1u) << "Traditional finds Simplified";
  EXPECT_EQ(service_->ListResources("", "", "ＣＲＹＯ")->size(), 1u) << "full width, upper case";
  EXPECT_EQ(service_->ListResources("", "", "hong kong")->size(), 1u);
  EXPECT_EQ(service_->ListResources("compute_pool", "", "")->size(), 1u);
  EXPECT_EQ(service_->ListResources("", "", "%")->size(), 0u);
}

TEST_F(FacilityTest, ResourceRulesAreValidated) {
  NewResource bad = Microscope();
  bad.time_zone = "Mars/Olympus";
  bad.rules.granularity_minutes = 7;
  bad.hourly_prices["aliens"] = 5;
  auto refused = service_->CreateResource(manager_, bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_GE(refused.status().field_errors().size(), 3u);
  EXPECT_EQ(service_->CreateResource(ellen_, Microscope()).status().code(), ErrorCode::kPermissionDenied);
}

}  // namespace
}  // namespace parkhub::facilities

namespace parkhub::facilities {
namespace {

TEST_F(FacilityTest, WeeklySeriesKeepsLocalTimeAcrossDaylightSaving) {
  NewResource london = Microscope();
  london.time_zone = "Europe/London";
  london.rules.horizon_days = 200;
  std::string id = Create(london);
  // Tuesdays 09:00 London from 16 March 2027; BST starts on 28 March.
  auto first = Request(id, "E", "2027-03-16T09:00:00Z", "2027-03-16T10:00:00Z", "weekly");
  auto series = service_->CreateSeries(ellen_, first, "FREQ=WEEKLY;COUNT=4", false);
  ASSERT_TRUE(series.ok()) << series.status().ToString();
  ASSERT_EQ(series->booked.size(), 4u);
  EXPECT_EQ(FormatInLocal(series->booked[1].starts_at, "Europe/London"), "2027-03-23T09:00:00+00:00");
  EXPECT_EQ(FormatInLocal(series->booked[2].starts_at, "Europe/London"), "2027-03-30T09:00:00+01:00");
  EXPECT_EQ(series->booked[2].starts_at, At("2027-03-30T08:00:00Z"));
}

TEST_F(FacilityTest, SeriesSkipsTakenDatesOnlyWhenAsked) {
  std::string id = Create(Microscope());
  ASSERT_TRUE(service_->CreateBooking(alice_, Request(id, "A", "2026-12-04T10:00:00+08:00",
                                                      "2026-12-04T11:00:00+08:00", "taken")).ok());
  ASSERT_TRUE(service_->AddBlackout(manager_, id, {At("2026-12-06T00:00:00+08:00"),
                                                   At("2026-12-07T00:00:00+08:00"), "holiday"}).ok());
  auto first = Request(id, "E", "2026-12-02T10:00:00+08:00", "2026-12-02T11:00:00+08:00", "daily");
  int64_t before = Bookings();
  auto strict = service_->CreateSeries(ellen_, first, "FREQ=DAILY;COUNT=6", false);
  EXPECT_EQ(strict.status().reason(), "slot_taken");
  EXPECT_EQ(Bookings(), before);  // nothing written
  auto lenient = service_->CreateSeries(ellen_, first, "FREQ=DAILY;COUNT=6", true);
  ASSERT_TRUE(lenient.ok()) << lenient.status().ToString();
  EXPECT_EQ(lenient->booked.size(), 4u);
  ASSERT_EQ(lenient->skipped.size(), 2u);
  EXPECT_EQ(lenient->skipped[0].starts_at, At("2026-12-04T10:00:00+08:00"));
  EXPECT_NE(lenient->skipped[1].reason.find("holiday"), std::string::npos);
}

TEST_F(FacilityTest, SeriesRulesAreChecked) {
  std::string id = Create(Microscope());
  auto first = Request(id, "E", "2026-12-02T10:00:00+08:00", "2026-12-02T11:00:00+08:00", "bad");
  for (const char* rule : {"FREQ=SOMETIMES", "FREQ=DAILY", "FREQ=DAILY;COUNT=500", ""}) {
    auto refused = service_->CreateSeries(ellen_, first, rule, true);
    ASSERT_FALSE(refused.ok()) << rule;
    EXPECT_EQ(refused.status().field_errors()[0].field, "rrule") << rule;
  }
}

// A rule libical would search for centuries (it steps a minute or a second at a time towards a
// match that never comes) is refused at once, with a reason on "rrule".
TEST_F(FacilityTest, RulesThatWouldNeverEndAreRefusedWithAReason) {
  std::string id = Create(Microscope());  // 30 days ahead
  auto first = Request(id, "E", "2026-12-02T10:00:00+08:00", "2026-12-02T11:00:00+08:00", "hostile");
  for (const char* rule : {"FREQ=MINUTELY;COUNT=3;BYDAY=-53SU", "FREQ=SECONDLY;COUNT=3;BYMONTHDAY=30",
                           "FREQ=HOURLY;COUNT=3;BYMONTH=2;BYMONTHDAY=30", "FREQ=DAILY;COUNT=3;BYDAY=-53SU",
                           "FREQ=MONTHLY;COUNT=3;BYDAY=6MO", "FREQ=WEEKLY;COUNT=3;BYWEEKNO=20",
                           "FREQ=YEARLY;COUNT=2;BYMONTHDAY=40", "FREQ=DAILY;COUNT=3;BYSETPOS=2",
                           "FREQ=WEEKLY;UNTIL=20991231T000000Z", "FREQ=DAILY;COUNT=40",
                           // found by the rrule fuzz target: libical's constructor searched
                           // to the year 2582 for the 71st weekday of a month
                           "FREQ=MONTHLY;COUNT=5;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=71",
                           "FREQ=MONTHLY;COUNT=5;BYDAY=MO,TU,TH,MO,TU,FR;BYSETPOS=22",
                           "FREQ=MONTHLY;COUNT=3;BYMONTH=2;BYMONTHDAY=30",
                           "FREQ=MONTHLY;COUNT=3;BYDAY=1MO;BYMONTHDAY=31",
                           "FREQ=YEARLY;COUNT=2;BYDAY=MO;BYSETPOS=366",
                           // found by the fuzz target: the parser's RSCALE string leaked
                           "RSCALE=GREGORIAN;FREQ=WEEKLY;COUNT=2", "RSCALE=W_\013L"}) {
    int64_t before = Bookings();
    auto refused = service_->CreateSeries(ellen_, first, rule, true);
    ASSERT_FALSE(refused.ok()) << rule;
    ASSERT_EQ(refused.status().field_errors().size(), 1u) << rule;
    EXPECT_EQ(refused.status().field_errors()[0].field, "rrule") << rule;
    EXPECT_EQ(Bookings(), before) << rule;
  }
  // Within the horizon, the same kinds of rule still work.
  auto weekly = service_->CreateSeries(ellen_, first, "FREQ=WEEKLY;UNTIL=20261223T235959Z", false);
  ASSERT_TRUE(weekly.ok()) << weekly.status().ToString();
  EXPECT_EQ(weekly->booked.size(), 4u);
}

// What calendar programs offer still works: the last weekday of a month, the second Tuesday,
// a day of the month, a yearly date, weekdays at chosen hours.
TEST_F(FacilityTest, TheRulesPeopleBookByAreExpanded) {
  NewResource r = Microscope();
  r.rules.horizon_days = 800;
  std::string id = Create(r);
  auto first = Request(id, "E", "2026-12-31T10:00:00+08:00", "2026-12-31T11:00:00+08:00", "month-end");
  auto last_weekday =
      service_->CreateSeries(ellen_, first, "FREQ=MONTHLY;COUNT=3;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", false);
  ASSERT_TRUE(last_weekday.ok()) << last_weekday.status().ToString();
  ASSERT_EQ(last_weekday->booked.size(), 3u);
  EXPECT_EQ(last_weekday->booked[1].starts_at, At("2027-01-29T10:00:00+08:00"));  // a Friday
  EXPECT_EQ(last_weekday->booked[2].starts_at, At("2027-02-26T10:00:00+08:00"));
  for (const char* rule : {"FREQ=MONTHLY;COUNT=2;BYDAY=2TU", "FREQ=MONTHLY;COUNT=2;BYMONTHDAY=15",
                           "FREQ=YEARLY;COUNT=2;BYMONTH=6;BYMONTHDAY=1",
                           "FREQ=WEEKLY;COUNT=4;BYDAY=MO,TH;BYHOUR=9,14"}) {
    auto start = Request(id, "E", "2027-03-01T09:00:00+08:00", "2027-03-01T09:30:00+08:00",
                         std::string("rule ") + rule);
    auto series = service_->CreateSeries(ellen_, start, rule, true);
    EXPECT_TRUE(series.ok()) << rule << ": " << series.status().ToString();
  }
}

// The rule is looked at only after the caller was found to be allowed to book at all.
TEST_F(FacilityTest, SomeoneWhoMayNotBookNeverHasTheirRuleExpanded) {
  std::string id = Create(Microscope());
  Principal nobody = env_.PrincipalWith("nobody");
  auto first = Request(id, "E", "2026-12-02T10:00:00+08:00", "2026-12-02T11:00:00+08:00", "nobody");
  auto refused = service_->CreateSeries(nobody, first, "FREQ=MINUTELY;COUNT=3;BYDAY=-53SU", false);
  EXPECT_EQ(refused.status().code(), ErrorCode::kPermissionDenied) << refused.status().ToString();
}

// Each look at the clock moves it on 100 ms: the expansion notices its budget is spent.
class SlowingClock final : public Clock {
 public:
  TimePoint Now() const override { return TimePoint(std::chrono::milliseconds(100 * ++calls_)); }

 private:
  mutable int calls_ = 0;
};

TEST(RecurrenceTest, AnExpansionStopsWhenItsTimeBudgetIsSpent) {
  SlowingClock clock;
  int64_t first = *ParseInstant("2026-12-02T10:00:00Z");
  RecurrenceLimits limits{200, first + 400 * 86400, &clock, std::chrono::milliseconds(250)};
  auto slow = ExpandRecurrence("FREQ=DAILY;COUNT=10", first, "Asia/Shanghai", limits);
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.status().field_errors()[0].field, "rrule");
  limits.clock = nullptr;
  auto unbudgeted = ExpandRecurrence("FREQ=DAILY;COUNT=10", first, "Asia/Shanghai", limits);
  ASSERT_TRUE(unbudgeted.ok()) << unbudgeted.status().ToString();
  EXPECT_EQ(unbudgeted->size(), 10u);
  EXPECT_EQ(unbudgeted->back(), first + 9 * 86400);
}

}  // namespace
}  // namespace parkhub::facilities

#include "facilities/reports.h"

namespace parkhub::facilities {
namespace {

TEST_F(FacilityTest, StatementsAndUtilisationComeFromRecords) {
  std::string id = Create(Microscope());
  auto e1 = service_->CreateBooking(ellen_, Request(id, "E", "2026-12-02T10:00:00+08:00",
                                                    "2026-12-02T11:00:00+08:00", "s1"));
  auto e2 = service_->CreateBooking(ellen_, Request(id, "E", "2026-12-03T10:00:00+08:00",
                                                    "2026-12-03T11:00:00+08:00", "s2"));
  auto a1 = service_->CreateBooking(alice_, Request(id, "A", "2026-12-02T14:00:00+08:00",
                                                    "2026-12-02T16:00:00+08:00", "s3"));
  auto b1 = service_->CreateBooking(bob_, Request(id, "B", "2026-12-04T10:00:00+08:00",
                                                  "2026-12-04T11:00:00+08:00", "s4"));
  ASSERT_TRUE(e1.ok() && e2.ok() && a1.ok() && b1.ok());
  ASSERT_TRUE(service_->Act(ellen_, e2->id, BookingAction::kCancel, "").ok());
  clock_.Advance(std::chrono::hours(24 + 2));  // 2 Dec 10:00 Shanghai: check in, then out
  ASSERT_TRUE(service_->Act(ellen_, e1->id, BookingAction::kCheckIn, "").ok());
  clock_.Advance(std::chrono::minutes(30));
  ASSERT_TRUE(service_->Act(ellen_, e1->id, BookingAction::kCheckOut, "").ok());

  FacilityReports reports(env_.app().database());
  auto admin_e = env_.PrincipalWith("admin_e", "org_admin", "E");
  auto statement = reports.MonthlyStatement(admin_e, env_.ids["E"], "2026-12");
  ASSERT_TRUE(statement.ok()) << statement.status().ToString();
  ASSERT_EQ(statement->lines.size(), 1u);  // the cancelled booking is not charged
  EXPECT_EQ(statement->totals_minor["CNY"], 50000);
  // A line names its resource in every language and carries its instants and the resource's zone,
  // so a client words and times it for its reader.
  EXPECT_EQ(statement->lines[0].resource_names.zh_hans, "冷冻电镜");
  EXPECT_EQ(statement->lines[0].resource_names.en, "Cryo-EM");
  EXPECT_EQ(statement->lines[0].time_zone, "Asia/Shanghai");
  EXPECT_DOUBLE_EQ(
      statement->lines[0].hours,
      static_cast<double>(statement->lines[0].ends_at - statement->lines[0].starts_at) / 3600);
  EXPECT_EQ(reports.MonthlyStatement(ellen_, env_.ids["E"], "2026-12").status().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(reports.MonthlyStatement(admin_e, env_.ids["E"], "2026-13").status().field_errors()[0].field,
            "month");
  std::string csv = StatementCsv(*statement);
  EXPECT_NE(csv.find("total,,,,,,,,500.00,CNY"), std::string::npos) << csv;
  auto xlsx = StatementXlsx(*statement);
  ASSERT_TRUE(xlsx.ok());
  EXPECT_EQ(xlsx->substr(0, 2), "PK");  // a zip container, as .xlsx is

  auto u = reports.ResourceUtilisation(manager_, id, At("2026-12-01T00:00:00Z"), At("2027-01-01T00:00:00Z"));
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->bookings, 3);
  EXPECT_DOUBLE_EQ(u->booked_hours, 4.0);
  EXPECT_DOUBLE_EQ(u->used_hours, 0.5);
  EXPECT_DOUBLE_EQ(u->external_share(), 0.75);
  EXPECT_DOUBLE_EQ(u->hk_macao_share(), 0.5);
  EXPECT_EQ(reports.ResourceUtilisation(ellen_, id, 0, 1).status().code(), ErrorCode::kPermissionDenied);
  auto owner = reports.OwnerUtilisation(manager_, env_.ids["B"], At("2026-12-01T00:00:00Z"),
                                        At("2027-01-01T00:00:00Z"));
  EXPECT_DOUBLE_EQ(owner->booked_hours, 4.0);
  // The owner's dashboard lists each resource, idle ones included.
  NewResource idle = Microscope();
  idle.name_en = "Idle spectrometer";
  std::string idle_id = Create(idle);
  owner = reports.OwnerUtilisation(manager_, env_.ids["B"], At("2026-12-01T00:00:00Z"),
                                   At("2027-01-01T00:00:00Z"));
  ASSERT_EQ(owner->resources.size(), 2u);
  EXPECT_EQ(owner->resources[0].subject_names.en, "Cryo-EM");
  EXPECT_DOUBLE_EQ(owner->resources[0].booked_hours, 4.0);
  EXPECT_EQ(owner->resources[1].subject_id, idle_id);
  EXPECT_EQ(owner->resources[1].bookings, 0);
  EXPECT_EQ(reports.OwnerUtilisation(ellen_, env_.ids["B"], 0, 1).status().code(),
            ErrorCode::kPermissionDenied);
  // The park's operator sees the resources of the park's settled members: B's once it settles.
  auto op = env_.PrincipalWith("operator", "park_operator", "park");
  auto december = [&] {
    return reports.ParkUtilisation(op, env_.ids["park"], At("2026-12-01T00:00:00Z"),
                                   At("2027-01-01T00:00:00Z"));
  };
  ASSERT_TRUE(december().ok()) << december().status().ToString();
  EXPECT_TRUE(december()->resources.empty()) << "B has only applied";
  auto system = registry::RegistryService::SystemPrincipal();
  for (const char* state : {"under_review", "agreement_signed", "settled"}) {
    ASSERT_TRUE(env_.app()
                    .registry()
                    .TransitionMembership(system, env_.ids["membership_B"], state, "")
                    .ok());
  }
  ASSERT_EQ(december()->resources.size(), 2u);
  EXPECT_DOUBLE_EQ(december()->booked_hours, 4.0);
  EXPECT_EQ(reports.ParkUtilisation(manager_, env_.ids["park"], 0, 1).status().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(reports.ParkUtilisation(op, env_.ids["B"], 0, 1).status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace parkhub::facilities

namespace parkhub::facilities {
namespace {

TEST_F(FacilityTest, QuotasPerUserAndOrganisationPerPeriod) {
  NewResource r = Microscope();
  r.rules.quota_period = "week";
  r.rules.user_quota_minutes = 120;
  r.rules.org_quota_minutes = 180;
  std::string id = Create(r);
  ASSERT_TRUE(service_->CreateBooking(ellen_, Request(id, "E", "2026-12-02T10:00:00+08:00",
                                                      "2026-12-02T12:00:00+08:00", "q1")).ok());
  auto over = service_->CreateBooking(ellen_, Request(id, "E", "2026-12-03T10:00:00+08:00",
                                                      "2026-12-03T10:30:00+08:00", "q2"));
  EXPECT_EQ(over.status().reason(), "quota_exceeded");
  EXPECT_EQ(over.status().extensions()["remaining_minutes"], 0);
  // Next week (Monday 7 December, Shanghai) is a new period.
  EXPECT_TRUE(service_->CreateBooking(ellen_, Request(id, "E", "2026-12-07T10:00:00+08:00",
                                                      "2026-12-07T11:00:00+08:00", "q3")).ok());
  // The organisation's quota binds a colleague too.
  auto colleague = env_.PrincipalWith("erin", "member", "E");
  ASSERT_TRUE(service_->CreateBooking(colleague, Request(id, "E", "2026-12-03T14:00:00+08:00",
                                                         "2026-12-03T15:00:00+08:00", "q4")).ok());
  EXPECT_EQ(service_->CreateBooking(colleague, Request(id, "E", "2026-12-04T14:00:00+08:00",
                                                       "2026-12-04T14:30:00+08:00", "q5"))
                .status().reason(),
            "quota_exceeded");
  auto [from, to] = PeriodWindow(At("2026-12-03T10:00:00+08:00"), "Asia/Shanghai", "week");
  EXPECT_EQ(from, At("2026-11-30T00:00:00+08:00"));
  EXPECT_EQ(to, At("2026-12-07T00:00:00+08:00"));
}

// Training that lapses soon is shown to the trained user and to the resource's managers.
TEST_F(FacilityTest, QualificationsAboutToLapseAreListedForTheUserAndTheManagers) {
  std::string microscope = Create(Microscope());
  NewResource other = Microscope();
  other.name_en = "XRD";
  std::string xrd = Create(other);
  int64_t now = ToUnixSeconds(clock_.Now());
  ASSERT_TRUE(service_->GrantQualification(manager_, microscope, "alice", now + 10 * 86400).ok());
  ASSERT_TRUE(service_->GrantQualification(manager_, xrd, "alice", now + 60 * 86400).ok());
  auto mine = service_->ExpiringQualifications(alice_, 30);
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].resource_id, microscope);
  EXPECT_EQ((*mine)[0].resource_names.zh_hans, "冷冻电镜");
  EXPECT_TRUE((*mine)[0].mine);
  EXPECT_EQ(service_->ExpiringQualifications(alice_, 90)->size(), 2u);
  auto managed = service_->ExpiringQualifications(manager_, 30);
  ASSERT_EQ(managed->size(), 1u);
  EXPECT_EQ((*managed)[0].user, "alice");
  EXPECT_FALSE((*managed)[0].mine);
  EXPECT_TRUE(service_->ExpiringQualifications(ellen_, 90)->empty())
      << "neither hers nor managed by her";
  EXPECT_EQ(service_->ExpiringQualifications(alice_, 0).status().code(), ErrorCode::kUnprocessable);
  clock_.Advance(std::chrono::hours(24 * 11));
  EXPECT_TRUE(service_->ExpiringQualifications(alice_, 30)->empty())
      << "a lapsed one is no longer about to lapse";
}

TEST_F(FacilityTest, NotifiesApprovalsFreedSlotsAndReminders) {
  NewResource r = Microscope();
  r.rules.approval_mode = "manual";
  std::string id = Create(r);
  auto booked = service_->CreateBooking(ellen_, Request(id, "E", "2026-12-02T10:00:00+08:00",
                                                        "2026-12-02T11:00:00+08:00", "w1"));
  // The resource's facility manager is told a booking waits for them, by whom and for what.
  auto manager_inbox = notifier_.List(manager_.user_id, {.limit = 10});
  ASSERT_EQ(manager_inbox->unread, 1);
  EXPECT_EQ(manager_inbox->items[0].kind, "booking_pending");
  EXPECT_EQ(manager_inbox->items[0].params.at("booking_id"), booked->id);
  EXPECT_EQ(manager_inbox->items[0].params.at("user"), "ellen");
  EXPECT_EQ(manager_inbox->items[0].params.at("resource_name_zh_hans"), "冷冻电镜");
  ASSERT_TRUE(service_->JoinWaitlist(alice_, id, At("2026-12-02T10:30:00+08:00"),
                                     At("2026-12-02T11:30:00+08:00")).ok());
  ASSERT_TRUE(service_->Act(manager_, booked->id, BookingAction::kApprove, "see you").ok());
  auto ellen_inbox = notifier_.List(ellen_.user_id, {.limit = 10});
  ASSERT_EQ(ellen_inbox->unread, 1);
  EXPECT_EQ(ellen_inbox->items[0].kind, "booking_approved");
  const auto& params = ellen_inbox->items[0].params;
  EXPECT_EQ(params.at("note"), "see you");
  EXPECT_EQ(params.at("booking_id"), booked->id);
  EXPECT_EQ(params.at("resource_name"), "Cryo-EM");
  EXPECT_EQ(params.at("resource_name_en"), "Cryo-EM");
  EXPECT_EQ(params.at("resource_name_zh_hans"), "冷冻电镜")
      << "the reader's client shows its language";
  EXPECT_EQ(params.at("resource_name_zh_hant"), "冷凍電鏡");
  EXPECT_EQ(params.at("starts_at"), "2026-12-02T02:00:00Z");
  EXPECT_EQ(params.at("time_zone"), "Asia/Shanghai");
  EXPECT_TRUE(ellen_inbox->items[0].legacy_message.empty()) << "no sentence is stored";
  EXPECT_EQ(notifier_.List(alice_.user_id, {.limit = 10})->unread, 0);
  // The day before, a reminder goes out once.
  clock_.Advance(std::chrono::hours(12));
  EXPECT_EQ(*service_->SendDueReminders(), 1);
  EXPECT_EQ(*service_->SendDueReminders(), 0);
  EXPECT_EQ(notifier_.List(ellen_.user_id, {.limit = 10})->unread, 2);
  ASSERT_TRUE(service_->Act(ellen_, booked->id, BookingAction::kCancel, "").ok());
  auto alice_inbox = notifier_.List(alice_.user_id, {.limit = 10});
  ASSERT_EQ(alice_inbox->unread, 1);
  EXPECT_EQ(alice_inbox->items[0].kind, "slot_freed");
  ASSERT_TRUE(notifier_.MarkRead(alice_.user_id, alice_inbox->items[0].id).ok());
  EXPECT_EQ(notifier_.List(alice_.user_id, {.limit = 10})->unread, 0);
  EXPECT_FALSE(notifier_.MarkRead(ellen_.user_id, alice_inbox->items[0].id).ok());

  // An inbox is read a page at a time, every notice or the unread ones; all can be marked read.
  auto unread = notifier_.List(ellen_.user_id, {.unread_only = true, .limit = 1});
  ASSERT_TRUE(unread.ok()) << unread.status().ToString();
  EXPECT_EQ(unread->total, 2);
  ASSERT_EQ(unread->items.size(), 1u);
  EXPECT_FALSE(unread->items[0].read);
  auto everything = notifier_.List(ellen_.user_id, {.limit = 10});
  EXPECT_GE(everything->total, 2);
  auto rest = notifier_.List(ellen_.user_id, {.limit = 10, .offset = 1});
  EXPECT_EQ(rest->items.size(), everything->items.size() - 1);
  EXPECT_EQ(*notifier_.MarkAllRead(ellen_.user_id), 2);
  EXPECT_EQ(notifier_.List(ellen_.user_id, {.unread_only = true})->total, 0);
  EXPECT_EQ(notifier_.List(ellen_.user_id, {.limit = 0}).status().field_errors()[0].field, "limit");
}

}  // namespace
}  // namespace parkhub::facilities

namespace parkhub::facilities {
namespace {

TEST_F(FacilityTest, PersonalFeedShowsOnlyMyBookings) {
  std::string id = Create(Microscope());
  ASSERT_TRUE(service_->CreateBooking(ellen_, Request(id, "E", "2026-12-02T10:00:00+08:00",
                                                      "2026-12-02T11:00:00+08:00", "mine")).ok());
  ASSERT_TRUE(service_->CreateBooking(alice_, Request(id, "A", "2026-12-03T10:00:00+08:00",
                                                      "2026-12-03T11:00:00+08:00", "theirs")).ok());
  auto token = service_->IssueUserCalendarToken(ellen_);
  auto feed = service_->UserCalendarFeed(*token);
  ASSERT_TRUE(feed.ok());
  EXPECT_NE(feed->find("DTSTART:20261202T020000Z"), std::string::npos);
  EXPECT_EQ(feed->find("DTSTART:20261203T020000Z"), std::string::npos);
  auto replaced = service_->IssueUserCalendarToken(ellen_);
  EXPECT_FALSE(service_->UserCalendarFeed(*token).ok());  // the old secret no longer works
  EXPECT_TRUE(service_->UserCalendarFeed(*replaced).ok());
  EXPECT_FALSE(service_->UserCalendarFeed("").ok());
}

TEST_F(FacilityTest, EditedRulesApplyToTheNextAttemptAtOnce) {
  std::string id = Create(Microscope());
  // The first attempt caches the resource's rules; the edit must not be hidden by that cache.
  ASSERT_TRUE(service_->CreateBooking(ellen_, Request(id, "E", "2026-12-02T10:00:00+08:00",
                                                      "2026-12-02T12:00:00+08:00", "1")).ok());
  NewResource edited = Microscope();
  edited.rules.max_minutes = 60;
  edited.specifications = {{"model", "Titan Krios G4"}, {"voltage", "300 kV"}};
  auto updated = service_->UpdateResource(manager_, id, edited);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->rules.max_minutes, 60);
  EXPECT_EQ(updated->specifications.at("model"), "Titan Krios G4");
  auto too_long = service_->CreateBooking(ellen_, Request(id, "E", "2026-12-03T10:00:00+08:00",
                                                          "2026-12-03T12:00:00+08:00", "2"));
  EXPECT_EQ(too_long.status().field_errors()[0].field, "ends_at");
  // The booking made under the old rules keeps its block: a short one inside it is refused,
  // however far back it starts compared with today's maximum.
  auto inside = service_->CreateBooking(alice_, Request(id, "A", "2026-12-02T11:00:00+08:00",
                                                        "2026-12-02T11:30:00+08:00", "3"));
  EXPECT_EQ(inside.status().reason(), "slot_taken");
  // Specifications are searched with names and descriptions.
  auto found = service_->ListResources("", "", "Krios");
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].id, id);
}

TEST_F(FacilityTest, OnlyTheOwnersManagersEditAndNothingIsWrittenOnBadInput) {
  std::string id = Create(Microscope());
  NewResource edited = Microscope();
  edited.name_en = "Renamed";
  EXPECT_EQ(service_->UpdateResource(alice_, id, edited).status().code(),
            ErrorCode::kPermissionDenied);
  edited.rules.granularity_minutes = 7;
  edited.specifications = {{"", "nameless"}};
  auto refused = service_->UpdateResource(manager_, id, edited);
  ASSERT_EQ(refused.status().code(), ErrorCode::kUnprocessable);
  std::set<std::string> fields;
  for (const auto& error : refused.status().field_errors()) fields.insert(error.field);
  EXPECT_TRUE(fields.count("granularity_minutes"));
  EXPECT_TRUE(fields.count("specifications"));
  EXPECT_EQ(service_->GetResource(id)->name_en, "Cryo-EM");
  edited = Microscope();
  edited.owner_id = env_.ids["A"];
  EXPECT_EQ(service_->UpdateResource(manager_, id, edited).status().field_errors()[0].field,
            "owner_id");
}

// A booking is checked on a snapshot, then joins the serialised write. A blackout committed in
// between must still refuse it: the writer sees the rules version move and checks again.
TEST_F(FacilityTest, RulesChangedWhileABookingWaitsForTheWriterAreCheckedAgain) {
  std::string id = Create(Microscope());
  auto c = env_.app().database().Acquire();
  ASSERT_TRUE(c.ok());
  auto held = db::Transaction::Begin(**c, db::TxMode::kWrite);  // the writer must wait
  ASSERT_TRUE(held.ok());
  ASSERT_TRUE((*c)->Lock("resource", id).ok());  // as every edit of a resource's rules does
  std::promise<Result<Booking>> answered;
  service_->CreateBookingAsync(
      ellen_, Request(id, "E", "2026-12-02T10:00:00+08:00", "2026-12-02T11:00:00+08:00", "k"),
      [&](Result<Booking> booking) { answered.set_value(std::move(booking)); });
  auto resource_row = (*c)->QueryInt("SELECT id FROM resources WHERE public_id = ?", {id});
  ASSERT_TRUE(resource_row.ok());
  ASSERT_TRUE((*c)->Execute("INSERT INTO resource_blackouts (resource_id, starts_at, ends_at, "
                            "reason) VALUES (?, ?, ?, 'service visit')",
                            {*resource_row, At("2026-12-02T00:00:00+08:00"),
                             At("2026-12-03T00:00:00+08:00")})
                  .ok());
  ASSERT_TRUE(held->Commit().ok());
  auto booking = answered.get_future().get();
  ASSERT_FALSE(booking.ok());
  EXPECT_NE(booking.status().field_errors()[0].reason.find("service visit"), std::string::npos);
  EXPECT_EQ(Bookings(), 0);
}

}  // namespace
}  // namespace parkhub::facilities
