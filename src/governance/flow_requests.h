// FlowRequestService: cross-border flow requests of five kinds (personnel, material, technology,
// data, funds), from draft to decision to use, with their approvals.
//
// A member organisation drafts a request: a title, the policy's facts (governance/policy.h: the
// fields its rules read) and the kind's descriptive details (who, what, where, how much). While a
// draft, it can be edited and a dry run says what it still lacks. Submitting it asks the policy
// in force: the request is then approved (allow), refused (deny or not_permitted), or pending
// approval by the roles the deciding rules name. Every decision and every approval is appended
// to the audit ledger in the transaction that makes it.
//
// Approvals (separation of duties): an approver holds one of the required roles, never acts for
// the requesting organisation, approves a request once, and fills a role no one else has filled;
// N of M roles are needed where the rule says N. Each approval is bound to the request's content
// hash (the approver names the one they read) and to the policy version that decided it, and
// counts only while both are still the request's. A step has a deadline (`due_at`), and those
// who may still approve are reminded a day before it (RemindDueApprovals); the compliance queue
// lists what the caller may approve, oldest deadline first.
//
// A technology request may name the exchange deal it is for (`details.deal`: the deal's
// introduction id): the deal must move technology across the border with the requesting
// organisation as a party, the request's direction must be the deal's, and the policy then
// reads `technology.deal_linked` as true (a fact the request sets, never its author). Such a
// deal is signed only once a request for it is approved (ApprovedForDeal).
//
// An approved request is used (the quantity that actually moved, when it crossed) or expires at
// `valid_until` (ExpireDue, a periodic job).
//
// Permissions: the requesting organisation's members and admins draft, submit, withdraw and
// record use; compliance officers, park operators and platform admins read every request once it
// is submitted (a draft is its organisation's own), and the first two approve. Thread-safe.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/workflow.h"
#include "db/database.h"
#include "db/paging.h"
#include "governance/governance_service.h"
#include "governance/ledger.h"
#include "identity/principal.h"
#include "notifications/notifier.h"

namespace parkhub::governance {

// An exchange deal that moves technology across the border, as governance reads it.
struct LinkedDeal {
  std::string id;                   // its introduction's public id
  std::string title;                // the listing's title
  std::string kind;                 // licence, assignment
  std::string stage;                // negotiating signed delivered abandoned
  std::string supplier, recipient;  // organisations' public ids
  std::string direction;            // to_hong_kong, to_mainland
};

// Where governance finds the exchange's deals; the app answers it, so governance does not
// depend on exchange.
class DealDirectory {
 public:
  virtual ~DealDirectory() = default;
  // The deal `id` names, if it moves technology across the border; nullopt otherwise.
  virtual Result<std::optional<LinkedDeal>> Find(db::Connection& c,
                                                 const std::string& id) const = 0;
};

struct FlowRequestInput {
  std::string organisation;  // public id of the requesting organisation (create only)
  std::string kind;          // create only
  std::string title;
  nlohmann::json facts = nlohmann::json::object();
  nlohmann::json details = nlohmann::json::object();
};

struct FlowApproval {
  std::string approver;  // public id
  std::string approver_name;
  std::string role;
  std::string verdict;  // approve, reject
  std::string content_hash;
  std::string policy_hash;
  std::string note;
  std::string at;
  bool current = false;  // bound to the request's content and policy as they stand
};

struct FlowRequest {
  std::string id;
  std::string organisation;
  std::string kind;
  std::string title;
  nlohmann::json facts;
  nlohmann::json details;
  std::string state;
  std::string content_hash;
  std::string policy_hash;
  // The decision as DecisionJson wrote it at submission; for a draft, a dry run under the policy
  // in force (what the request would get, what it lacks).
  nlohmann::json decision;
  std::string created_by;
  std::string created_at;
  std::string submitted_at, due_at, decided_at, valid_until, crossed_at;
  std::optional<double> used_quantity;
  std::vector<FlowApproval> approvals;
  std::vector<HistoryEntry> history;
  std::optional<LinkedDeal> deal;  // the deal `details.deal` names, as it stands now
  // What the caller may do now: edit, submit, withdraw, approve, reject, use.
  std::vector<std::string> actions;
};

struct FlowRequestQuery {
  std::string state;  // empty: any
  std::string kind;   // empty: any
  // "queue": pending requests the caller may approve, by deadline; "mine": the caller's
  // organisations'; empty: every request the caller may read.
  std::string view;
  int limit = 50;
  int offset = 0;
};

struct FlowUse {
  double quantity = 0;
  std::string crossed_at;  // RFC 3339 UTC
  std::string note;
};

// A request a candidate policy would decide otherwise than the decision it got.
struct ShadowChange {
  std::string id;
  std::string title;
  std::string organisation;
  std::string kind;
  std::string submitted_at;
  nlohmann::json before;  // the decision recorded (DecisionJson)
  // The candidate's decision (DecisionJson); when the candidate cannot read the request's
  // facts, {"outcome": "unreadable", "errors": [field errors]}.
  nlohmann::json after;
};

struct ShadowRun {
  int requests = 0;  // submitted in the period
  std::vector<ShadowChange> changed;
};

class FlowRequestService {
 public:
  static const std::vector<std::string>& Kinds();
  // The descriptive fields of each kind (texts), beside the policy's facts.
  static const std::vector<std::string>& DetailFields(const std::string& kind);
  static const Workflow& RequestWorkflow();

  // `step_days`: the deadline of an approval step; `valid_days`: how long an approval lasts
  // when the request names no date of its own. Without `deals`, no request may name a deal.
  FlowRequestService(db::Database& database, const Clock& clock, Ledger& ledger,
                     const GovernanceService& governance, const notifications::Notifier& notifier,
                     const DealDirectory* deals = nullptr, int step_days = 5, int valid_days = 90);

  Result<FlowRequest> Create(const identity::Principal& principal, const FlowRequestInput& input);
  // Replaces the title, facts and details of a draft.
  Result<FlowRequest> Edit(const identity::Principal& principal, const std::string& id,
                           const FlowRequestInput& input);
  Result<FlowRequest> Submit(const identity::Principal& principal, const std::string& id);
  Result<FlowRequest> Withdraw(const identity::Principal& principal, const std::string& id);
  // `content_hash`: the hash of the request the approver read (409 content_changed otherwise).
  Result<FlowRequest> Approve(const identity::Principal& principal, const std::string& id,
                              const std::string& content_hash, const std::string& note);
  // A rejection ends the request (refused); it needs a reason.
  Result<FlowRequest> Reject(const identity::Principal& principal, const std::string& id,
                             const std::string& content_hash, const std::string& reason);
  Result<FlowRequest> RecordUse(const identity::Principal& principal, const std::string& id,
                                const FlowUse& use);
  Result<FlowRequest> Get(const identity::Principal& principal, const std::string& id) const;
  Result<db::Page<FlowRequest>> List(const identity::Principal& principal,
                                     const FlowRequestQuery& query) const;
  // Every request submitted in the last `days`, decided again by `candidate` at its submission
  // time with the whitelists as they stood then; lists those whose outcome or deciding rules
  // change. Records nothing. For those who oversee requests.
  Result<ShadowRun> RunInShadow(const identity::Principal& principal, const PolicySet& candidate,
                                int days) const;
  // Tells each person who may fill a role a pending request still needs, once per deadline, when
  // its step is due within `ahead` or overdue (notification flow_approval_due). Returns how many
  // notices went out. A periodic job.
  Result<int> RemindDueApprovals(std::chrono::hours ahead = std::chrono::hours(24));
  // Approved requests past their validity become expired. Returns how many.
  Result<int> ExpireDue();
  // Requests pending approval under a policy no longer in force are decided again by the one in
  // force, with their facts as of their submission: approved, refused, or pending afresh (their
  // approvals, bound to the old version, no longer count). Each is a flow_decided ledger entry
  // naming the previous policy, and the requesting organisation is told (flow_redecided).
  // Returns how many. Run when a version comes into force, and as a periodic job.
  Result<int> RedecidePending();
  // Whether a technology request for the deal `deal_id` is approved (or already used), on `c`.
  static Result<bool> ApprovedForDeal(db::Connection& c, const std::string& deal_id);

 private:
  struct Row;
  static Result<Row> RowOf(const db::Row& row);
  Result<Row> Find(db::Connection& c, const std::string& id) const;
  // Locks and finds a request only its organisation may change: NotFound when the principal may
  // not read it, PermissionDenied(`only_the_requester`) when it may read but not change it.
  Result<Row> LockAsRequester(db::Connection& c, const identity::Principal& principal,
                              const std::string& id, const char* only_the_requester) const;
  // The request as it now stands, after a change in this transaction.
  Result<FlowRequest> Reload(db::Connection& c, const identity::Principal& principal,
                             const std::string& id) const;
  Result<FlowRequest> Load(db::Connection& c, const identity::Principal& principal,
                           const Row& row) const;
  // A step in the request's history and its domain event; `actor` null for the policy or the
  // system.
  Status Record(db::Connection& c, const Row& row, const std::string& from, const std::string& to,
                const identity::Principal* actor, const std::string& note) const;
  Result<FlowRequest> Decide(const identity::Principal& principal, const std::string& id,
                             const std::string& content_hash, const std::string& note,
                             bool approve);
  Status CheckInput(const FlowRequestInput& input, const std::string& kind,
                    FieldErrors& errors) const;
  // Decides `row` (in state `from`: submitted, or pending under an older policy) by `policy`
  // with its facts as of `facts_time`, and records it: state, decision, deadlines, history and
  // the ledger's flow_decided by `actor` (empty: the system). Returns the state it reached and
  // the policy's outcome.
  struct Decided {
    std::string state;
    std::string outcome;
  };
  Result<Decided> DecideUnder(db::Connection& c, const Row& row, const PolicySet& policy,
                              const std::string& from, TimePoint facts_time,
                              const std::string& actor) const;
  // When an approval of `request` lapses: the end of its last day (details.until_date), or
  // `valid_days_` from now when it names none.
  std::string ValidUntil(const FlowRequest& request) const;
  // Notifies the requesting organisation's members and admins.
  Status TellRequester(db::Connection& c, const FlowRequest& request, const std::string& kind,
                       notifications::NotificationParams params) const;
  // 422 unless the deal `request` names (if any) crosses the border with its organisation as a
  // party and in its direction.
  Status CheckLinkedDeal(db::Connection& c, const FlowRequest& request) const;

  db::Database& database_;
  const Clock& clock_;
  Ledger& ledger_;
  const GovernanceService& governance_;
  const notifications::Notifier& notifier_;
  const DealDirectory* const deals_;
  const int step_days_;
  const int valid_days_;
};

// A request as the API shows it (organisation as its public id; the route adds names).
nlohmann::json FlowRequestJson(const FlowRequest& request);

}  // namespace parkhub::governance
