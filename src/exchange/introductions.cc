// Introductions and deals: an organisation asks a listing's owner for an introduction; the
// owner accepts or declines with a reason; an accepted introduction may become a deal that moves
// through its stages. Every step is an exchange_events row (actor, time, note).
#include <algorithm>
#include <regex>

#include "core/random.h"
#include "core/text_rules.h"
#include "db/domain_events.h"
#include "exchange/deal_gate.h"
#include "exchange/exchange_service.h"
#include "identity/identity_service.h"
#include "registry/directory.h"

namespace parkhub::exchange {
namespace {

constexpr size_t kMaxNote = 4000;

constexpr char kSelectIntroductions[] =
    "SELECT i.id, i.requester_org_id, i.owner_org_id, i.requester_user_id, i.public_id, "
    "l.public_id, l.title, l.kind, i.state, i.message, i.reason, i.created_at, i.updated_at, "
    "d.id, d.public_id, d.kind, d.stage, d.value_minor, d.currency, d.created_at, d.updated_at "
    "FROM introductions i JOIN listings l ON l.id = i.listing_id "
    "LEFT JOIN deals d ON d.introduction_id = i.id ";

struct IntroductionRow {
  int64_t row_id = 0;
  int64_t requester_org = 0;
  int64_t owner_org = 0;
  int64_t requester_user = 0;
  std::optional<int64_t> deal_row_id;
  Introduction introduction;
  DealParties parties;
};

Result<IntroductionRow> FromRow(const db::Row& r) {
  db::RowReader read(r);
  IntroductionRow row;
  row.row_id = read.Int();
  row.requester_org = read.Int();
  row.owner_org = read.Int();
  row.requester_user = read.Int();
  Introduction& i = row.introduction;
  i.id = read.Text();
  i.listing_id = read.Text();
  i.listing_title = read.Text();
  i.listing_kind = read.Text();
  i.state = read.Text();
  i.message = read.Text();
  i.reason = read.Text();
  i.created_at = read.Text();
  i.updated_at = read.Text();
  row.deal_row_id = read.OptionalInt();
  Deal deal;
  deal.id = read.Text();
  deal.kind = read.Text();
  deal.stage = read.Text();
  deal.value_minor = read.Int();
  deal.currency = read.Text();
  deal.created_at = read.Text();
  deal.updated_at = read.Text();
  if (row.deal_row_id) i.deal = std::move(deal);
  RETURN_IF_ERROR(read.Done());
  return row;
}

// The introductions `rows` select, with the organisations' and requester's names from their
// owners (registry, identity): two more queries for the whole page.
Result<std::vector<IntroductionRow>> ReadIntroductions(db::Connection& c, const std::vector<db::Row>& rows) {
  std::vector<IntroductionRow> out;
  std::vector<int64_t> orgs, users;
  for (const auto& r : rows) {
    ASSIGN_OR_RETURN(IntroductionRow row, FromRow(r));
    orgs.insert(orgs.end(), {row.requester_org, row.owner_org});
    users.push_back(row.requester_user);
    out.push_back(std::move(row));
  }
  ASSIGN_OR_RETURN(auto org_refs, registry::Directory::OrganizationsByRow(c, orgs));
  ASSIGN_OR_RETURN(auto usernames, identity::IdentityService::UsernamesOf(c, users));
  for (IntroductionRow& row : out) {
    Introduction& i = row.introduction;
    const registry::OrganizationRef& requester = org_refs[row.requester_org];
    const registry::OrganizationRef& owner = org_refs[row.owner_org];
    i.requester_org_id = requester.public_id;
    i.requester_org_names = requester.names;
    i.owner_org_id = owner.public_id;
    i.owner_org_names = owner.names;
    i.requester = usernames[row.requester_user];
    row.parties = {i.listing_kind, owner.public_id, owner.region, requester.public_id,
                   requester.region};
    if (i.deal) {
      std::optional<CrossBorderDeal> crossing = CrossBorderDealOf(i.deal->kind, row.parties);
      if (crossing) i.deal->cross_border_direction = crossing->direction;
    }
  }
  return out;
}

Result<IntroductionRow> FindIntroduction(db::Connection& c, const std::string& public_id) {
  ASSIGN_OR_RETURN(auto rows, c.Query(std::string(kSelectIntroductions) + "WHERE i.public_id = ?",
                                      {public_id}));
  if (rows.empty()) return Status::NotFound("introduction");
  ASSIGN_OR_RETURN(auto read, ReadIntroductions(c, rows));
  return std::move(read.front());
}

enum class Side { kOwner, kRequester };

// Which side of the introduction the viewer acts for (the owner's when both); NotFound when
// neither, so an introduction's existence does not leak.
Result<Side> SideOf(const Viewer& viewer, const IntroductionRow& row) {
  bool owner = viewer.ActsFor(row.owner_org);
  if (owner) return Side::kOwner;
  bool requester = viewer.ActsFor(row.requester_org);
  if (requester) return Side::kRequester;
  return Status::NotFound("introduction");
}

// The row's deal, if it moves technology across the border, with its handle, title and stage.
std::optional<CrossBorderDeal> CrossBorderDealOfRow(const IntroductionRow& row) {
  const Introduction& introduction = row.introduction;
  if (!introduction.deal) return std::nullopt;
  std::optional<CrossBorderDeal> deal = CrossBorderDealOf(introduction.deal->kind, row.parties);
  if (deal) {
    deal->introduction_id = introduction.id;
    deal->listing_title = introduction.listing_title;
    deal->stage = introduction.deal->stage;
  }
  return deal;
}

bool IsCurrency(const std::string& code) {
  static const std::regex kCode("[A-Z]{3}");
  return std::regex_match(code, kCode);
}

}  // namespace

Status ExchangeService::RecordExchangeEvent(db::Connection& c, int64_t introduction_id,
                                            std::optional<int64_t> deal_id, const std::string& from,
                                            const std::string& to, int64_t actor,
                                            const std::string& note) {
  std::string now = FormatUtc(clock_.Now());
  RETURN_IF_ERROR(c.Execute("INSERT INTO exchange_events (introduction_id, deal_id, from_state, "
                            "to_state, actor_id, at, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            {introduction_id, deal_id ? db::Value(*deal_id) : db::Value(nullptr),
                             db::NullIfEmpty(from), to, actor, now, note})
                      .status());
  RETURN_IF_ERROR(db::DomainEvents::Append(
      c, deal_id ? db::TransitionEvent("deal", *deal_id, "", from, to, actor, now)
                 : db::TransitionEvent("introduction", introduction_id, "", from, to, actor, now)));
  return c.Execute("UPDATE introductions SET updated_at = ? WHERE id = ?", {now, introduction_id})
      .status();
}

Status ExchangeService::NotifyOrganization(db::Connection& c, int64_t org_row_id,
                                           const std::string& kind,
                                           const notifications::NotificationParams& params) {
  ASSIGN_OR_RETURN(auto users, identity::IdentityService::UsersWithRoleAt(
                                   c, org_row_id, {identity::Role::kOrgAdmin, identity::Role::kMember}));
  for (int64_t user : users) RETURN_IF_ERROR(notifier_.Notify(c, user, kind, params));
  return Status::Ok();
}

Result<Introduction> ExchangeService::LoadIntroduction(db::Connection& c, int64_t row_id) {
  ASSIGN_OR_RETURN(auto rows, c.Query(std::string(kSelectIntroductions) + "WHERE i.id = ?", {row_id}));
  if (rows.empty()) return Status::NotFound("introduction");
  ASSIGN_OR_RETURN(auto read, ReadIntroductions(c, rows));
  Introduction out = std::move(read.front().introduction);
  // The deal's steps are told from the introduction's by a "deal:" before their states.
  ASSIGN_OR_RETURN(auto events, c.Query("SELECT CASE WHEN COALESCE(from_state, '') = '' THEN '' "
                                        "WHEN deal_id IS NULL THEN from_state ELSE 'deal:' || "
                                        "from_state END, CASE WHEN deal_id IS NULL THEN to_state "
                                        "ELSE 'deal:' || to_state END, actor_id, at, note FROM "
                                        "exchange_events WHERE introduction_id = ? ORDER BY id",
                                        {row_id}));
  ASSIGN_OR_RETURN(out.history, identity::IdentityService::NameHistory(c, events));
  return out;
}

Result<Introduction> ExchangeService::RequestIntroduction(const Principal& p,
                                                          const std::string& listing_id,
                                                          const std::string& organization_id,
                                                          const std::string& message) {
  if (!p.authenticated()) return Status::Unauthenticated();
  RETURN_IF_ERROR(CheckTextField("message", message, kMaxNote));
  return db::InTransaction<Introduction>(database_, db::TxMode::kWrite, [&](db::Connection& c)
                                             -> Result<Introduction> {
    ASSIGN_OR_RETURN(Viewer viewer, Viewer::Load(c, p));
    ASSIGN_OR_RETURN(ListingRow row, VisibleListing(c, viewer, listing_id));
    if (row.listing.state != "published") {
      return Status::Conflict("not_published", "introductions are asked for published listings");
    }
    ASSIGN_OR_RETURN(auto org, registry::Directory::FindOrganization(c, organization_id));
    if (!org) {
      return Status::Invalid("organization_id", "no such organisation", "unknown_reference",
                             {{"kind", "organization"}});
    }
    int64_t requester = org->row_id;
    bool acts = viewer.ActsFor(requester);
    if (!acts) return Status::PermissionDenied("you do not act for this organisation");
    if (requester == row.owner_row_id) {
      return Status::Invalid("organization_id", "the listing is your organisation's own",
                             "own_listing");
    }
    ASSIGN_OR_RETURN(int64_t open, c.QueryInt("SELECT COUNT(*) FROM introductions WHERE listing_id = ? "
                                              "AND requester_org_id = ? AND state = 'requested'",
                                              {row.row_id, requester}));
    if (open > 0) return Status::Conflict("already_requested", "your organisation already asked; wait for the answer");
    std::string now = FormatUtc(clock_.Now());
    std::string public_id = NewPublicId("int");
    ASSIGN_OR_RETURN(int64_t id,
                     c.QueryInt("INSERT INTO introductions (public_id, listing_id, requester_org_id, "
                                "requester_user_id, owner_org_id, state, message, created_at, "
                                "updated_at) VALUES (?, ?, ?, ?, ?, 'requested', ?, ?, ?) RETURNING id",
                                {public_id, row.row_id, requester, p.user_id, row.owner_row_id,
                                 message, now, now}));
    RETURN_IF_ERROR(RecordExchangeEvent(c, id, std::nullopt, "", "requested", p.user_id, message));
    notifications::NotificationParams params{{"introduction_id", public_id},
                                             {"listing_title", row.listing.title}};
    registry::PutNames(params, "organization_name", org->names);
    RETURN_IF_ERROR(NotifyOrganization(c, row.owner_row_id, "introduction_requested", params));
    return LoadIntroduction(c, id);
  });
}

Result<Introduction> ExchangeService::AnswerIntroduction(const Principal& p, const std::string& id,
                                                         bool accept, const std::string& reason) {
  if (!p.authenticated()) return Status::Unauthenticated();
  if (!accept && reason.empty()) {
    return Status::Invalid("reason", "say why you decline", "required");
  }
  if (reason.size() > kMaxNote) {
    return Status::Invalid("reason", "at most 4000 characters", "too_long", {{"max", 4000}});
  }
  return db::InTransaction<Introduction>(database_, db::TxMode::kWrite, [&](db::Connection& c)
                                             -> Result<Introduction> {
    RETURN_IF_ERROR(c.Lock("introduction", id));
    ASSIGN_OR_RETURN(Viewer viewer, Viewer::Load(c, p));
    ASSIGN_OR_RETURN(IntroductionRow row, FindIntroduction(c, id));
    bool owner = viewer.ActsFor(row.owner_org);
    if (!owner) {
      bool requester = viewer.ActsFor(row.requester_org);
      if (!requester) return Status::NotFound("introduction");
      return Status::PermissionDenied("the listing's owner answers an introduction");
    }
    ASSIGN_OR_RETURN(WorkflowStep step,
                     IntroductionWorkflow().Step(row.introduction.state, accept ? "accept" : "decline"));
    const std::string& to = step.to;
    RETURN_IF_ERROR(c.Execute("UPDATE introductions SET state = ?, reason = ? WHERE id = ?",
                              {to, reason, row.row_id})
                        .status());
    RETURN_IF_ERROR(RecordExchangeEvent(c, row.row_id, std::nullopt, "requested", to, p.user_id, reason));
    notifications::NotificationParams params{{"introduction_id", id},
                                             {"listing_title", row.introduction.listing_title}};
    registry::PutNames(params, "organization_name", row.introduction.owner_org_names);
    RETURN_IF_ERROR(NotifyOrganization(c, row.requester_org, "introduction_" + to, params));
    return LoadIntroduction(c, row.row_id);
  });
}

Result<Introduction> ExchangeService::OpenDeal(const Principal& p, const std::string& introduction_id,
                                               const std::string& kind, int64_t value_minor,
                                               const std::string& currency, const std::string& note) {
  if (!p.authenticated()) return Status::Unauthenticated();
  FieldErrors errors;
  if (!IsOneOf(DealKinds(), kind)) {
    errors.Add("kind", "one of licence, assignment, joint_rd, service_contract, equity",
               "not_one_of", {{"allowed", DealKinds()}});
  }
  if (value_minor < 0) {
    errors.Add("value_minor", "at least 0, in the currency's minor unit", "out_of_range",
               {{"min", 0}});
  }
  if (!IsCurrency(currency))
    errors.Add("currency", "an ISO 4217 code such as CNY or HKD", "bad_format",
               {{"format", "currency"}});
  CheckText("note", note, kMaxNote, errors);
  RETURN_IF_ERROR(errors.ToStatus());
  return db::InTransaction<Introduction>(database_, db::TxMode::kWrite, [&](db::Connection& c)
                                             -> Result<Introduction> {
    RETURN_IF_ERROR(c.Lock("introduction", introduction_id));
    ASSIGN_OR_RETURN(Viewer viewer, Viewer::Load(c, p));
    ASSIGN_OR_RETURN(IntroductionRow row, FindIntroduction(c, introduction_id));
    RETURN_IF_ERROR(SideOf(viewer, row).status());  // either side opens the deal
    if (row.introduction.state != "accepted") {
      return Status::Conflict("not_accepted", "a deal grows from an accepted introduction");
    }
    if (row.deal_row_id) return Status::Conflict("deal_exists", "this introduction already has a deal");
    std::string now = FormatUtc(clock_.Now());
    ASSIGN_OR_RETURN(int64_t deal,
                     c.QueryInt("INSERT INTO deals (public_id, introduction_id, kind, stage, "
                                "value_minor, currency, created_at, updated_at) VALUES (?, ?, ?, "
                                "'negotiating', ?, ?, ?, ?) RETURNING id",
                                {NewPublicId("deal"), row.row_id, kind, value_minor, currency, now, now}));
    RETURN_IF_ERROR(RecordExchangeEvent(c, row.row_id, deal, "", "negotiating", p.user_id, note));
    return LoadIntroduction(c, row.row_id);
  });
}

Result<Introduction> ExchangeService::MoveDeal(const Principal& p, const std::string& introduction_id,
                                               const std::string& stage,
                                               std::optional<int64_t> value_minor,
                                               const std::string& note) {
  if (!p.authenticated()) return Status::Unauthenticated();
  if (value_minor && *value_minor < 0) {
    return Status::Invalid("value_minor", "at least 0", "out_of_range", {{"min", 0}});
  }
  RETURN_IF_ERROR(CheckTextField("note", note, kMaxNote));
  return db::InTransaction<Introduction>(database_, db::TxMode::kWrite, [&](db::Connection& c)
                                             -> Result<Introduction> {
    RETURN_IF_ERROR(c.Lock("introduction", introduction_id));
    ASSIGN_OR_RETURN(Viewer viewer, Viewer::Load(c, p));
    ASSIGN_OR_RETURN(IntroductionRow row, FindIntroduction(c, introduction_id));
    ASSIGN_OR_RETURN(Side side, SideOf(viewer, row));
    if (!row.deal_row_id) return Status::Conflict("no_deal", "open a deal first");
    const std::string from = row.introduction.deal->stage;
    RETURN_IF_ERROR(DealWorkflow().Step(from, stage).status());
    if (stage == "signed" && deal_gate_ != nullptr) {
      if (std::optional<CrossBorderDeal> crossing = CrossBorderDealOfRow(row)) {
        RETURN_IF_ERROR(deal_gate_->CheckSigning(c, *crossing));
      }
    }
    std::string now = FormatUtc(clock_.Now());
    RETURN_IF_ERROR(c.Execute("UPDATE deals SET stage = ?, value_minor = COALESCE(?, value_minor), "
                              "updated_at = ? WHERE id = ?",
                              {stage, value_minor ? db::Value(*value_minor) : db::Value(nullptr), now,
                               *row.deal_row_id})
                        .status());
    RETURN_IF_ERROR(RecordExchangeEvent(c, row.row_id, row.deal_row_id, from, stage, p.user_id, note));
    int64_t other = side == Side::kOwner ? row.requester_org : row.owner_org;
    RETURN_IF_ERROR(NotifyOrganization(c, other, "deal_" + stage,
                                       {{"introduction_id", introduction_id},
                                        {"listing_title", row.introduction.listing_title}}));
    return LoadIntroduction(c, row.row_id);
  });
}

Result<std::optional<CrossBorderDeal>> ExchangeService::CrossBorderDealAt(
    db::Connection& c, const std::string& introduction_id) {
  Result<IntroductionRow> row = FindIntroduction(c, introduction_id);
  if (row.status().code() == ErrorCode::kNotFound) return std::optional<CrossBorderDeal>();
  RETURN_IF_ERROR(row.status());
  return CrossBorderDealOfRow(*row);
}

Result<Introduction> ExchangeService::GetIntroduction(const Principal& p, const std::string& id) {
  if (!p.authenticated()) return Status::Unauthenticated();
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto tx, db::Transaction::Begin(*c, db::TxMode::kRead));
  ASSIGN_OR_RETURN(Viewer viewer, Viewer::Load(*c, p));
  ASSIGN_OR_RETURN(IntroductionRow row, FindIntroduction(*c, id));
  RETURN_IF_ERROR(SideOf(viewer, row).status());  // a party to it, or NotFound
  return LoadIntroduction(*c, row.row_id);
}

Result<db::Page<Introduction>> ExchangeService::ListIntroductions(
    const Principal& p, const IntroductionListQuery& query) {
  if (!p.authenticated()) return Status::Unauthenticated();
  FieldErrors errors;
  db::CheckPaging(query.limit, query.offset, 200, errors);
  if (!query.side.empty() && query.side != "incoming" && query.side != "outgoing") {
    errors.Add("side", "must be one of: incoming, outgoing", "not_one_of",
               {{"allowed", std::vector<std::string>{"incoming", "outgoing"}}});
  }
  if (!query.state.empty() && query.state != "requested" && query.state != "accepted" &&
      query.state != "declined") {
    errors.Add("state", "must be one of: requested, accepted, declined", "not_one_of",
               {{"allowed", std::vector<std::string>{"requested", "accepted", "declined"}}});
  }
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto tx, db::Transaction::Begin(*c, db::TxMode::kRead));
  ASSIGN_OR_RETURN(Viewer viewer, Viewer::Load(*c, p));
  db::Params params;
  std::string where = "WHERE 1 = 1";
  auto party = [&](const char* column) {
    return std::string(" AND i.") + column + " IN (" + db::InList(viewer.acting_for(), params) +
           ")";
  };
  if (query.side == "incoming") {
    where += party("owner_org_id");
  } else if (query.side == "outgoing") {
    where += party("requester_org_id");
  } else if (!viewer.platform_admin()) {
    std::string owners = db::InList(viewer.acting_for(), params);
    std::string requesters = db::InList(viewer.acting_for(), params);
    where +=
        " AND (i.owner_org_id IN (" + owners + ") OR i.requester_org_id IN (" + requesters + "))";
  }
  if (!query.state.empty()) {
    where += " AND i.state = ?";
    params.push_back(query.state);
  }
  return db::CountThenPage<Introduction>(
      *c, "FROM introductions i " + where, params, query.limit, query.offset,
      [&](const db::Params& paged) -> Result<std::vector<Introduction>> {
        ASSIGN_OR_RETURN(auto rows, c->Query(std::string(kSelectIntroductions) + where +
                                                 " ORDER BY i.updated_at DESC, i.id DESC "
                                                 "LIMIT ? OFFSET ?",
                                             paged));
        ASSIGN_OR_RETURN(auto read, ReadIntroductions(*c, rows));
        std::vector<Introduction> out;
        for (auto& row : read) out.push_back(std::move(row.introduction));
        return out;
      });
}

}  // namespace parkhub::exchange
