#include "governance/flow_requests.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "core/random.h"
#include "core/text_rules.h"
#include "db/domain_events.h"
#include "governance/json_fields.h"
#include "governance/merkle.h"
#include "identity/identity_service.h"
#include "registry/directory.h"
#include "registry/names.h"

namespace parkhub::governance {

using identity::Principal;
using identity::Role;
using nlohmann::json;

struct FlowRequestService::Row {
  int64_t row_id = 0;
  FlowRequest request;
};

namespace {

constexpr std::string_view kColumns =
    "id, public_id, organisation, kind, title, facts, details, state, content_hash, policy_hash, "
    "decision, created_by, created_at, submitted_at, due_at, decided_at, valid_until, "
    "used_quantity, crossed_at";
constexpr size_t kMaxTitle = 200;
constexpr size_t kMaxDetail = 1000;
// The fact a technology request's linked deal sets.
constexpr char kDealLinked[] = "technology.deal_linked";

// Whether `facts` holds `name`, dotted ("technology.deal_linked") or nested.
bool HasFact(const json& facts, std::string_view name) {
  if (facts.contains(name)) return true;
  size_t dot = name.find('.');
  if (dot == std::string_view::npos) return false;
  auto outer = facts.find(std::string(name.substr(0, dot)));
  return outer != facts.end() && outer->is_object() && HasFact(*outer, name.substr(dot + 1));
}

// The deal a request names: its introduction's id, or empty.
std::string LinkedDealId(const FlowRequest& request) {
  auto deal = request.details.find("deal");
  return deal != request.details.end() && deal->is_string() ? deal->get<std::string>() : "";
}

bool ActsFor(const Principal& principal, const std::string& organisation) {
  return std::any_of(principal.roles.begin(), principal.roles.end(), [&](const auto& assignment) {
    return assignment.scope_public_id == organisation &&
           (assignment.role == Role::kOrgAdmin || assignment.role == Role::kMember);
  });
}

// Any role held for the organisation, an officer's included: who must not approve its requests.
bool HoldsAnyRoleIn(const Principal& principal, const std::string& organisation) {
  return std::any_of(principal.roles.begin(), principal.roles.end(), [&](const auto& assignment) {
    return assignment.scope_public_id == organisation;
  });
}

bool ReadsEveryRequest(const Principal& principal) {
  return principal.IsPlatformAdmin() || principal.HasRoleAnywhere(Role::kComplianceOfficer) ||
         principal.HasRoleAnywhere(Role::kParkOperator);
}

// NotFound unless the principal may read the request: its organisation always; those who
// oversee requests once it is submitted (a draft is its organisation's own).
Status CheckVisible(const Principal& principal, const FlowRequest& request) {
  if (ActsFor(principal, request.organisation)) return Status::Ok();
  if (ReadsEveryRequest(principal) && request.state != "draft") return Status::Ok();
  return Status::NotFound("flow request");
}

std::vector<std::string> OrganisationsOf(const Principal& principal) {
  std::set<std::string> organisations;
  for (const auto& assignment : principal.roles) {
    if (assignment.role == Role::kOrgAdmin || assignment.role == Role::kMember) {
      organisations.insert(assignment.scope_public_id);
    }
  }
  return {organisations.begin(), organisations.end()};
}

std::string ContentHash(const FlowRequest& request) {
  json content = {{"organisation", request.organisation},
                  {"kind", request.kind},
                  {"title", request.title},
                  {"facts", request.facts},
                  {"details", request.details}};
  return "sha256:" + ToHex(Sha256(content.dump()));
}

// The approvals a decision asks for: the roles, and how many of them (all when the rule says 0).
struct Needed {
  std::vector<std::string> roles;
  size_t count = 0;
};

Needed NeededBy(const json& decision) {
  Needed needed;
  const json& approvals = Member(decision, "approvals");
  for (const json& role : Member(approvals, "roles")) {
    if (role.is_string()) needed.roles.push_back(role.get<std::string>());
  }
  const json& count = Member(approvals, "count");
  needed.count =
      count.is_number_integer() && count.get<int>() > 0 ? count.get<size_t>() : needed.roles.size();
  return needed;
}

std::vector<const FlowApproval*> CurrentApprovals(const FlowRequest& request) {
  std::vector<const FlowApproval*> current;
  for (const FlowApproval& approval : request.approvals) {
    if (approval.current && approval.verdict == "approve") current.push_back(&approval);
  }
  return current;
}

// The role in which `principal` may approve `request` now, or why not.
Result<std::string> ApprovingRole(const Principal& principal, const FlowRequest& request) {
  if (request.state != "pending_approval") {
    return Status::Conflict("not_pending", "the request is not waiting for approval");
  }
  if (HoldsAnyRoleIn(principal, request.organisation)) {
    return Status(ErrorCode::kPermissionDenied, "separation_of_duties",
                  "the requesting organisation never approves its own request");
  }
  Needed needed = NeededBy(request.decision);
  std::set<std::string> filled;
  for (const FlowApproval* approval : CurrentApprovals(request)) {
    if (approval->approver == principal.public_id) {
      return Status::Conflict("already_approved", "you have approved this request already");
    }
    filled.insert(approval->role);
  }
  bool holds_any = false;
  for (const std::string& name : needed.roles) {
    std::optional<Role> role = identity::ParseRole(name);
    if (!role || !principal.HasRoleAnywhere(*role)) continue;
    holds_any = true;
    if (!filled.count(name)) return name;
  }
  if (!holds_any) {
    return Status::PermissionDenied("only the roles the policy names approve this request");
  }
  return Status::Conflict("role_filled", "someone in your role has approved it already");
}

FlowApproval ApprovalOfRow(const db::Row& row) {
  db::RowReader read(row);
  FlowApproval approval;
  approval.approver = read.Text();
  approval.approver_name = read.Text();
  approval.role = read.Text();
  approval.verdict = read.Text();
  approval.content_hash = read.Text();
  approval.policy_hash = read.Text();
  approval.note = read.Text();
  approval.at = read.Text();
  return approval;
}

std::string After(const Clock& clock, int days) {
  return FormatUtc(clock.Now() + std::chrono::hours(24 * days));
}

}  // namespace

const std::vector<std::string>& FlowRequestService::Kinds() {
  static const std::vector<std::string> kKinds = {"personnel", "material", "technology", "data",
                                                  "funds"};
  return kKinds;
}

const std::vector<std::string>& FlowRequestService::DetailFields(const std::string& kind) {
  static const std::map<std::string, std::vector<std::string>> kFields = {
      {"personnel", {"researcher", "lab", "from_date", "until_date", "purpose"}},
      {"material", {"description", "quantity_unit", "permit_numbers", "carrier", "purpose"}},
      {"technology", {"description", "licence", "deal", "counterparty"}},
      {"data", {"description", "purpose", "recipient", "destination"}},
      {"funds", {"project", "currency", "payer", "recipient_account", "purpose"}},
  };
  static const std::vector<std::string> kNone;
  auto found = kFields.find(kind);
  return found == kFields.end() ? kNone : found->second;
}

const Workflow& FlowRequestService::RequestWorkflow() {
  static const Workflow kWorkflow(
      "flow request", {
                          {"draft", "submit", "submitted", "requester"},
                          {"submitted", "allow", "approved", "policy"},
                          {"submitted", "refuse", "refused", "policy"},
                          {"submitted", "ask_approval", "pending_approval", "policy"},
                          // Decided again when another policy comes into force.
                          {"pending_approval", "allow", "approved", "policy"},
                          {"pending_approval", "refuse", "refused", "policy"},
                          {"pending_approval", "ask_approval", "pending_approval", "policy"},
                          {"pending_approval", "approve", "approved", "approvers"},
                          {"pending_approval", "reject", "refused", "approver"},
                          {"draft", "withdraw", "withdrawn", "requester"},
                          {"pending_approval", "withdraw", "withdrawn", "requester"},
                          {"approved", "use", "used", "requester"},
                          {"approved", "expire", "expired", "system"},
                      });
  return kWorkflow;
}

FlowRequestService::FlowRequestService(db::Database& database, const Clock& clock, Ledger& ledger,
                                       const GovernanceService& governance,
                                       const notifications::Notifier& notifier,
                                       const DealDirectory* deals, int step_days, int valid_days)
    : database_(database),
      clock_(clock),
      ledger_(ledger),
      governance_(governance),
      notifier_(notifier),
      deals_(deals),
      step_days_(step_days),
      valid_days_(valid_days) {}

Status FlowRequestService::CheckInput(const FlowRequestInput& input, const std::string& kind,
                                      FieldErrors& errors) const {
  if (input.title.empty()) {
    errors.Add("title", "required", "required");
  } else {
    CheckText("title", input.title, kMaxTitle, errors);
  }
  if (!input.facts.is_object()) {
    errors.Add("facts", "must be an object", "wrong_type", {{"expected", "object"}});
  } else {
    for (const char* set_by_request : {"kind", "requester.organisation", kDealLinked}) {
      if (HasFact(input.facts, set_by_request)) {
        errors.Add(std::string("facts.") + set_by_request, "set from the request itself",
                   "not_allowed");
      }
    }
  }
  if (!input.details.is_object()) {
    errors.Add("details", "must be an object", "wrong_type", {{"expected", "object"}});
    return Status::Ok();
  }
  const auto& known = DetailFields(kind);
  for (const auto& [name, value] : input.details.items()) {
    std::string field = "details." + name;
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      errors.Add(field, "not a field of this kind of request", "unknown_field",
                 {{"allowed", known}});
    } else if (!value.is_string()) {
      errors.Add(field, "must be a string", "wrong_type", {{"expected", "string"}});
    } else {
      CheckText(field, value.get<std::string>(), kMaxDetail, errors);
    }
  }
  // A visit's dates: YYYY-MM-DD, the last not before the first.
  auto date = [&](const char* name) -> std::string {
    auto found = input.details.find(name);
    if (found == input.details.end() || !found->is_string()) return "";
    std::string text = found->get<std::string>();
    if (IsValidDate(text)) return text;
    errors.Add(std::string("details.") + name, "a date, YYYY-MM-DD", "bad_format",
               {{"format", "date"}});
    return "";
  };
  std::string from = date("from_date"), until = date("until_date");
  if (!from.empty() && !until.empty() && until < from) {
    errors.Add("details.until_date", "not before the first day", "not_after",
               {{"other", "from_date"}});
  }
  return Status::Ok();
}

namespace {

// The facts the policy reads: the request's own, with its kind, organisation, requester and
// time filled from the request.
Result<Facts> FactsOf(const PolicySet& policy, const FlowRequest& request, TimePoint now) {
  json facts = request.facts;
  facts["kind"] = request.kind;
  facts["requester.organisation"] = request.organisation;
  if (request.kind == "personnel" && !facts.contains("requester.person")) {
    facts["requester.person"] = request.created_by;
  }
  if (!facts.contains("at")) facts["at"] = FormatUtc(now);
  if (request.kind == "technology" && policy.FieldSlot(kDealLinked)) {
    facts[kDealLinked] = !LinkedDealId(request).empty();
  }
  Result<Facts> read = policy.ReadFacts(facts);
  if (read.ok()) return read;
  FieldErrors errors;
  for (const FieldError& error : read.status().field_errors()) {
    errors.Add("facts." + error.field, error);
  }
  if (errors.empty()) return read.status();
  return errors.ToStatus();
}

}  // namespace

Result<FlowRequest> FlowRequestService::Create(const Principal& principal,
                                               const FlowRequestInput& input) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  FieldErrors errors;
  if (input.organisation.empty()) {
    errors.Add("organisation", "required", "required");
  } else if (!ActsFor(principal, input.organisation)) {
    return Status::PermissionDenied("you request flows for your own organisations only");
  }
  if (std::find(Kinds().begin(), Kinds().end(), input.kind) == Kinds().end()) {
    errors.Add("kind", "not a kind of flow", "not_one_of", {{"allowed", Kinds()}});
  }
  RETURN_IF_ERROR(CheckInput(input, input.kind, errors));
  RETURN_IF_ERROR(errors.ToStatus());
  FlowRequest request;
  request.id = NewPublicId("flow");
  request.organisation = input.organisation;
  request.kind = input.kind;
  request.title = input.title;
  request.facts = input.facts;
  request.details = input.details;
  request.created_by = principal.public_id;
  request.created_at = FormatUtc(clock_.Now());
  request.content_hash = ContentHash(request);
  return db::InTransaction<FlowRequest>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<FlowRequest> {
        ASSIGN_OR_RETURN(std::shared_ptr<const PolicySet> policy, governance_.ActivePolicy(c));
        RETURN_IF_ERROR(FactsOf(*policy, request, clock_.Now()).status());
        RETURN_IF_ERROR(CheckLinkedDeal(c, request));
        RETURN_IF_ERROR(
            c.Execute("INSERT INTO flow_requests(public_id, organisation, kind, title, facts, "
                      "details, deal, state, content_hash, created_by, created_at) "
                      "VALUES(?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?)",
                      {request.id, request.organisation, request.kind, request.title,
                       request.facts.dump(), request.details.dump(),
                       db::NullIfEmpty(LinkedDealId(request)), request.content_hash,
                       request.created_by, request.created_at})
                .status());
        ASSIGN_OR_RETURN(Row row, Find(c, request.id));
        RETURN_IF_ERROR(Record(c, row, "", "draft", &principal, ""));
        return Load(c, principal, row);
      });
}

Result<FlowRequest> FlowRequestService::Edit(const Principal& principal, const std::string& id,
                                             const FlowRequestInput& input) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<FlowRequest>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<FlowRequest> {
        ASSIGN_OR_RETURN(Row row, LockAsRequester(c, principal, id,
                                                  "the requesting organisation edits its request"));
        if (row.request.state != "draft") {
          return Status::Conflict("not_draft", "only a draft can be edited");
        }
        FieldErrors errors;
        RETURN_IF_ERROR(CheckInput(input, row.request.kind, errors));
        RETURN_IF_ERROR(errors.ToStatus());
        row.request.title = input.title;
        row.request.facts = input.facts;
        row.request.details = input.details;
        ASSIGN_OR_RETURN(std::shared_ptr<const PolicySet> policy, governance_.ActivePolicy(c));
        RETURN_IF_ERROR(FactsOf(*policy, row.request, clock_.Now()).status());
        RETURN_IF_ERROR(CheckLinkedDeal(c, row.request));
        row.request.content_hash = ContentHash(row.request);
        RETURN_IF_ERROR(
            c.Execute(
                 "UPDATE flow_requests SET title = ?, facts = ?, details = ?, deal = ?, "
                 "content_hash = ? WHERE id = ?",
                 {row.request.title, row.request.facts.dump(), row.request.details.dump(),
                  db::NullIfEmpty(LinkedDealId(row.request)), row.request.content_hash, row.row_id})
                .status());
        return Load(c, principal, row);
      });
}

Result<FlowRequest> FlowRequestService::Submit(const Principal& principal, const std::string& id) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<FlowRequest>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<FlowRequest> {
        ASSIGN_OR_RETURN(
            Row row,
            LockAsRequester(c, principal, id, "the requesting organisation submits its request"));
        RETURN_IF_ERROR(RequestWorkflow().Step(row.request.state, "submit").status());
        ASSIGN_OR_RETURN(std::shared_ptr<const PolicySet> active, governance_.ActivePolicy(c));
        const PolicySet& policy = *active;
        TimePoint now = clock_.Now();
        RETURN_IF_ERROR(c.Execute("UPDATE flow_requests SET submitted_at = ? WHERE id = ?",
                                  {FormatUtc(now), row.row_id})
                            .status());
        RETURN_IF_ERROR(Record(c, row, "draft", "submitted", &principal, ""));
        RETURN_IF_ERROR(
            DecideUnder(c, row, policy, "submitted", now, principal.public_id).status());
        return Reload(c, principal, id);
      });
}

std::string FlowRequestService::ValidUntil(const FlowRequest& request) const {
  auto until = request.details.find("until_date");
  if (until == request.details.end() || !until->is_string() || until->get<std::string>().empty()) {
    return After(clock_, valid_days_);
  }
  // The end of the last day in the park's zone (Asia/Shanghai, UTC+8, no daylight saving).
  return until->get<std::string>() + "T15:59:59Z";
}

Result<FlowRequestService::Decided> FlowRequestService::DecideUnder(
    db::Connection& c, const Row& row, const PolicySet& policy, const std::string& from,
    TimePoint facts_time, const std::string& actor) const {
  ASSIGN_OR_RETURN(Facts facts, FactsOf(policy, row.request, facts_time));
  ASSIGN_OR_RETURN(Decision decision, governance_.Decide(c, policy, facts, true));
  std::string action = decision.outcome == Outcome::kAllow           ? "allow"
                       : decision.outcome == Outcome::kNeedsApproval ? "ask_approval"
                                                                     : "refuse";
  ASSIGN_OR_RETURN(WorkflowStep step, RequestWorkflow().Step(from, action));
  json decided = DecisionJson(policy, decision);
  std::string at = FormatUtc(clock_.Now());
  std::string due = step.to == "pending_approval" ? After(clock_, step_days_) : "";
  std::string valid_until = step.to == "approved" ? ValidUntil(row.request) : "";
  RETURN_IF_ERROR(
      c.Execute("UPDATE flow_requests SET state = ?, policy_hash = ?, decision = ?, "
                "decided_at = ?, due_at = ?, valid_until = ? WHERE id = ?",
                {step.to, policy.hash(), decided.dump(),
                 step.to == "pending_approval" ? db::Value(nullptr) : db::Value(at),
                 due.empty() ? db::Value(nullptr) : db::Value(due),
                 valid_until.empty() ? db::Value(nullptr) : db::Value(valid_until), row.row_id})
          .status());
  RETURN_IF_ERROR(Record(c, row, from, step.to, nullptr, decided["outcome"].get<std::string>()));
  json rules = json::array();
  for (const Rule* rule : decision.deciding) rules.push_back(rule->id);
  json details = {{"organisation", row.request.organisation},
                  {"kind", row.request.kind},
                  {"content_hash", row.request.content_hash},
                  {"policy", policy.hash()},
                  {"outcome", decided["outcome"]},
                  {"rules", rules}};
  if (from == "pending_approval") details["previous_policy"] = row.request.policy_hash;
  RETURN_IF_ERROR(ledger_.Append(c, {"flow_decided", row.request.id, actor, details}));
  return Decided{step.to, decided["outcome"].get<std::string>()};
}

Result<int> FlowRequestService::RedecidePending() {
  return db::InTransaction<int>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<int> {
        ASSIGN_OR_RETURN(std::shared_ptr<const PolicySet> policy, governance_.ActivePolicy(c));
        ASSIGN_OR_RETURN(auto rows, c.Query("SELECT public_id FROM flow_requests WHERE state = "
                                            "'pending_approval' AND policy_hash <> ? ORDER BY id",
                                            {policy->hash()}));
        int redecided = 0;
        for (const db::Row& id_row : rows) {
          std::string id = db::RowReader(id_row).Text();
          RETURN_IF_ERROR(c.Lock("flow_request", id));
          ASSIGN_OR_RETURN(Row row, Find(c, id));
          // Another instance got here first.
          if (row.request.state != "pending_approval" ||
              row.request.policy_hash == policy->hash()) {
            continue;
          }
          std::optional<TimePoint> submitted = ParseUtc(row.request.submitted_at);
          if (!submitted) return Status::Internal("a pending flow request without its submission");
          ASSIGN_OR_RETURN(Decided decided,
                           DecideUnder(c, row, *policy, "pending_approval", *submitted, ""));
          RETURN_IF_ERROR(TellRequester(c, row.request, "flow_redecided",
                                        {{"outcome", decided.outcome}, {"state", decided.state}}));
          ++redecided;
        }
        return redecided;
      });
}

Status FlowRequestService::TellRequester(db::Connection& c, const FlowRequest& request,
                                         const std::string& kind,
                                         notifications::NotificationParams params) const {
  ASSIGN_OR_RETURN(auto organisation,
                   registry::Directory::FindOrganization(c, request.organisation));
  if (!organisation) return Status::Ok();
  params["request_id"] = request.id;
  params["request_title"] = request.title;
  registry::PutNames(params, "organization_name", organisation->names);
  ASSIGN_OR_RETURN(auto users, identity::IdentityService::UsersWithRoleAt(
                                   c, organisation->row_id, {Role::kOrgAdmin, Role::kMember}));
  for (int64_t user : users) RETURN_IF_ERROR(notifier_.Notify(c, user, kind, params, ""));
  return Status::Ok();
}

Result<FlowRequest> FlowRequestService::Withdraw(const Principal& principal,
                                                 const std::string& id) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<FlowRequest>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<FlowRequest> {
        ASSIGN_OR_RETURN(
            Row row,
            LockAsRequester(c, principal, id, "the requesting organisation withdraws its request"));
        ASSIGN_OR_RETURN(WorkflowStep step, RequestWorkflow().Step(row.request.state, "withdraw"));
        RETURN_IF_ERROR(
            c.Execute("UPDATE flow_requests SET state = ? WHERE id = ?", {step.to, row.row_id})
                .status());
        RETURN_IF_ERROR(Record(c, row, step.from, step.to, &principal, ""));
        return Reload(c, principal, id);
      });
}

Result<FlowRequest> FlowRequestService::Approve(const Principal& principal, const std::string& id,
                                                const std::string& content_hash,
                                                const std::string& note) {
  return Decide(principal, id, content_hash, note, true);
}

Result<FlowRequest> FlowRequestService::Reject(const Principal& principal, const std::string& id,
                                               const std::string& content_hash,
                                               const std::string& reason) {
  if (reason.empty())
    return Status::Invalid("reason", "say why the request is rejected", "required");
  return Decide(principal, id, content_hash, reason, false);
}

Result<FlowRequest> FlowRequestService::Decide(const Principal& principal, const std::string& id,
                                               const std::string& content_hash,
                                               const std::string& note, bool approve) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  if (content_hash.empty()) {
    return Status::Invalid("content_hash", "name the version of the request you read", "required");
  }
  RETURN_IF_ERROR(CheckTextField("note", note, kMaxDetail));
  return db::InTransaction<FlowRequest>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<FlowRequest> {
        RETURN_IF_ERROR(c.Lock("flow_request", id));
        ASSIGN_OR_RETURN(Row row, Find(c, id));
        RETURN_IF_ERROR(CheckVisible(principal, row.request));
        ASSIGN_OR_RETURN(FlowRequest request, Load(c, principal, row));
        ASSIGN_OR_RETURN(std::string role, ApprovingRole(principal, request));
        if (content_hash != request.content_hash) {
          return Status::Conflict("content_changed", "the request changed since you read it");
        }
        ASSIGN_OR_RETURN(std::shared_ptr<const PolicySet> policy, governance_.ActivePolicy(c));
        const std::string& policy_hash = policy->hash();
        if (policy_hash != request.policy_hash) {
          return Status::Conflict("policy_changed",
                                  "the policy in force changed since the request was decided");
        }
        std::string at = FormatUtc(clock_.Now());
        std::string verdict = approve ? "approve" : "reject";
        RETURN_IF_ERROR(
            c.Execute("INSERT INTO flow_approvals(request_id, approver, approver_name, role, "
                      "verdict, content_hash, policy_hash, note, at) "
                      "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      {row.row_id, principal.public_id, principal.display_name, role, verdict,
                       content_hash, policy_hash, note, at})
                .status());
        RETURN_IF_ERROR(ledger_.Append(c, {approve ? "flow_approved" : "flow_rejected",
                                           request.id,
                                           principal.public_id,
                                           {{"role", role},
                                            {"content_hash", content_hash},
                                            {"policy", policy_hash},
                                            {"note", note}}}));
        size_t approvals = CurrentApprovals(request).size() + (approve ? 1 : 0);
        if (!approve || approvals >= NeededBy(request.decision).count) {
          ASSIGN_OR_RETURN(WorkflowStep step, RequestWorkflow().Step(request.state, verdict));
          RETURN_IF_ERROR(
              c.Execute("UPDATE flow_requests SET state = ?, decided_at = ?, valid_until = ? "
                        "WHERE id = ?",
                        {step.to, at, approve ? db::Value(ValidUntil(request)) : db::Value(nullptr),
                         row.row_id})
                  .status());
          RETURN_IF_ERROR(Record(c, row, step.from, step.to, &principal, note));
        }
        return Reload(c, principal, id);
      });
}

Result<FlowRequest> FlowRequestService::RecordUse(const Principal& principal, const std::string& id,
                                                  const FlowUse& use) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  FieldErrors errors;
  if (!(use.quantity >= 0)) {
    errors.Add("quantity", "at least 0", "out_of_range", {{"min", 0}});
  }
  if (!ParseUtc(use.crossed_at)) {
    errors.Add("crossed_at", "a UTC time like 2026-06-01T09:00:00Z", "bad_format",
               {{"format", "date_time"}});
  }
  CheckText("note", use.note, kMaxDetail, errors);
  RETURN_IF_ERROR(errors.ToStatus());
  return db::InTransaction<FlowRequest>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<FlowRequest> {
        ASSIGN_OR_RETURN(Row row, LockAsRequester(c, principal, id,
                                                  "the requesting organisation records the flow"));
        ASSIGN_OR_RETURN(WorkflowStep step, RequestWorkflow().Step(row.request.state, "use"));
        if (ParseUtc(use.crossed_at) > ParseUtc(row.request.valid_until)) {
          return Status::Invalid("crossed_at", "after the approval expired", "not_before",
                                 {{"other", "valid_until"}});
        }
        RETURN_IF_ERROR(c.Execute("UPDATE flow_requests SET state = ?, used_quantity = ?, "
                                  "crossed_at = ? WHERE id = ?",
                                  {step.to, use.quantity, use.crossed_at, row.row_id})
                            .status());
        RETURN_IF_ERROR(Record(c, row, step.from, step.to, &principal, use.note));
        RETURN_IF_ERROR(ledger_.Append(
            c, {"flow_used",
                row.request.id,
                principal.public_id,
                {{"quantity", use.quantity}, {"crossed_at", use.crossed_at}, {"note", use.note}}}));
        return Reload(c, principal, id);
      });
}

Result<FlowRequest> FlowRequestService::Get(const Principal& principal,
                                            const std::string& id) const {
  if (!principal.authenticated()) return Status::Unauthenticated();
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(Row row, Find(*c, id));
  RETURN_IF_ERROR(CheckVisible(principal, row.request));
  return Load(*c, principal, row);
}

Result<db::Page<FlowRequest>> FlowRequestService::List(const Principal& principal,
                                                       const FlowRequestQuery& query) const {
  if (!principal.authenticated()) return Status::Unauthenticated();
  FieldErrors errors;
  db::CheckPaging(query.limit, query.offset, 200, errors);
  if (!query.view.empty() && query.view != "queue" && query.view != "mine") {
    errors.Add("view", "one of queue, mine", "not_one_of",
               {{"allowed", std::vector<std::string>{"queue", "mine"}}});
  }
  if (!query.kind.empty() &&
      std::find(Kinds().begin(), Kinds().end(), query.kind) == Kinds().end()) {
    errors.Add("kind", "not a kind of flow", "not_one_of", {{"allowed", Kinds()}});
  }
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  std::string where = " WHERE 1 = 1";
  db::Params params;
  bool queue = query.view == "queue";
  if (queue) {
    where += " AND state = 'pending_approval'";
  } else if (!query.state.empty()) {
    where += " AND state = ?";
    params.emplace_back(query.state);
  }
  if (!query.kind.empty()) {
    where += " AND kind = ?";
    params.emplace_back(query.kind);
  }
  // A draft is its organisation's own until submitted; those who oversee requests see the rest.
  // The queue needs no such bound: it keeps only what the caller may approve.
  if (!queue) {
    std::string own = "organisation IN (''";
    for (const std::string& organisation : OrganisationsOf(principal)) {
      own += ", ?";
      params.emplace_back(organisation);
    }
    own += ")";
    bool every = query.view != "mine" && ReadsEveryRequest(principal);
    where += every ? " AND (state <> 'draft' OR " + own + ")" : " AND " + own;
  }
  ASSIGN_OR_RETURN(auto rows,
                   c->Query("SELECT " + std::string(kColumns) + " FROM flow_requests" + where +
                                (queue ? " ORDER BY due_at, id" : " ORDER BY id DESC"),
                            params));
  // The queue keeps what the caller may approve now; a page is cut from what is kept.
  db::Page<FlowRequest> page;
  page.limit = query.limit;
  page.offset = query.offset;
  for (const db::Row& db_row : rows) {
    ASSIGN_OR_RETURN(Row found, RowOf(db_row));
    bool on_page =
        page.total >= query.offset && page.items.size() < static_cast<size_t>(query.limit);
    if (queue || on_page) {
      ASSIGN_OR_RETURN(FlowRequest request, Load(*c, principal, found));
      if (queue && !ApprovingRole(principal, request).ok()) continue;
      if (on_page) page.items.push_back(std::move(request));
    }
    ++page.total;
  }
  return page;
}

Result<ShadowRun> FlowRequestService::RunInShadow(const Principal& principal,
                                                  const PolicySet& candidate, int days) const {
  if (!principal.authenticated()) return Status::Unauthenticated();
  if (!ReadsEveryRequest(principal)) {
    return Status::PermissionDenied("only those who oversee requests run a policy in shadow");
  }
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  std::string since = FormatUtc(clock_.Now() - std::chrono::hours(24) * days);
  ASSIGN_OR_RETURN(auto rows, c->Query("SELECT " + std::string(kColumns) +
                                           " FROM flow_requests WHERE submitted_at >= ? "
                                           "ORDER BY id",
                                       {since}));
  ASSIGN_OR_RETURN(WhitelistIndex whitelist, governance_.LoadWhitelist(*c));
  auto rule_ids = [](const json& decision) {
    std::vector<std::string> ids;
    for (const json& rule : decision.value("rules", json::array()))
      ids.push_back(rule.value("id", ""));
    return ids;
  };
  ShadowRun run;
  for (const db::Row& db_row : rows) {
    ASSIGN_OR_RETURN(Row row, RowOf(db_row));
    const FlowRequest& request = row.request;
    ++run.requests;
    json after;
    Result<Facts> facts = FactsOf(candidate, request, *ParseUtc(request.submitted_at));
    if (facts.ok()) {
      after = DecisionJson(candidate, candidate.Decide(*facts, whitelist));
    } else {
      json errors = json::array();
      for (const FieldError& error : facts.status().field_errors()) {
        errors.push_back({{"field", error.field},
                          {"code", error.code},
                          {"reason", error.reason},
                          {"params", error.params}});
      }
      after = {{"outcome", "unreadable"}, {"errors", errors}};
    }
    if (after["outcome"] == request.decision.value("outcome", "") &&
        rule_ids(after) == rule_ids(request.decision)) {
      continue;
    }
    run.changed.push_back({request.id, request.title, request.organisation, request.kind,
                           request.submitted_at, request.decision, std::move(after)});
  }
  return run;
}

Result<int> FlowRequestService::RemindDueApprovals(std::chrono::hours ahead) {
  return db::InTransaction<int>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<int> {
        ASSIGN_OR_RETURN(auto rows,
                         c.Query("SELECT " + std::string(kColumns) +
                                     " FROM flow_requests WHERE state = "
                                     "'pending_approval' AND due_at <= ? ORDER BY due_at",
                                 {FormatUtc(clock_.Now() + ahead)}));
        int sent = 0;
        for (const db::Row& db_row : rows) {
          ASSIGN_OR_RETURN(Row row, RowOf(db_row));
          ASSIGN_OR_RETURN(FlowRequest request, Load(c, Principal{}, row));
          std::set<std::string> filled;
          std::set<std::string> approvers;
          for (const FlowApproval* approval : CurrentApprovals(request)) {
            filled.insert(approval->role);
            approvers.insert(approval->approver);
          }
          std::vector<Role> open;
          for (const std::string& name : NeededBy(request.decision).roles) {
            std::optional<Role> role = identity::ParseRole(name);
            if (role && !filled.count(name)) open.push_back(*role);
          }
          if (open.empty()) continue;
          notifications::NotificationParams params = {{"request_id", request.id},
                                                      {"request_title", request.title},
                                                      {"due_at", request.due_at},
                                                      {"time_zone", "Asia/Shanghai"}};
          ASSIGN_OR_RETURN(auto organisation,
                           registry::Directory::FindOrganization(c, request.organisation));
          if (organisation) registry::PutNames(params, "organization_name", organisation->names);
          std::string dedupe = "flow_approval_due:" + request.id + ":" + request.due_at;
          ASSIGN_OR_RETURN(auto candidates, identity::IdentityService::UsersWithRole(c, open));
          for (int64_t user : candidates) {
            ASSIGN_OR_RETURN(auto roles, identity::IdentityService::RolesOf(c, user));
            Principal candidate;
            candidate.roles = roles;
            // Never the requesting organisation's own people (separation of duties).
            if (HoldsAnyRoleIn(candidate, request.organisation)) continue;
            ASSIGN_OR_RETURN(bool sent_before, notifier_.AlreadySent(c, user, dedupe));
            if (sent_before) continue;
            RETURN_IF_ERROR(notifier_.Notify(c, user, "flow_approval_due", params, dedupe));
            ++sent;
          }
        }
        return sent;
      });
}

Result<int> FlowRequestService::ExpireDue() {
  return db::InTransaction<int>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<int> {
        std::string now = FormatUtc(clock_.Now());
        ASSIGN_OR_RETURN(auto rows, c.Query("SELECT public_id FROM flow_requests WHERE state = "
                                            "'approved' AND valid_until <= ? ORDER BY id",
                                            {now}));
        for (const db::Row& db_row : rows) {
          ASSIGN_OR_RETURN(Row row, Find(c, db_row.Text(0)));
          ASSIGN_OR_RETURN(WorkflowStep step, RequestWorkflow().Step(row.request.state, "expire"));
          RETURN_IF_ERROR(
              c.Execute("UPDATE flow_requests SET state = ? WHERE id = ?", {step.to, row.row_id})
                  .status());
          RETURN_IF_ERROR(Record(c, row, step.from, step.to, nullptr, ""));
          RETURN_IF_ERROR(ledger_.Append(
              c, {"flow_expired", row.request.id, "", {{"valid_until", row.request.valid_until}}}));
        }
        return static_cast<int>(rows.size());
      });
}

Result<bool> FlowRequestService::ApprovedForDeal(db::Connection& c, const std::string& deal_id) {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT 1 FROM flow_requests WHERE deal = ? AND kind = "
                                      "'technology' AND state IN ('approved', 'used') LIMIT 1",
                                      {deal_id}));
  return !rows.empty();
}

Status FlowRequestService::CheckLinkedDeal(db::Connection& c, const FlowRequest& request) const {
  std::string deal_id = LinkedDealId(request);
  if (deal_id.empty()) return Status::Ok();
  std::optional<LinkedDeal> deal;
  if (deals_ != nullptr) {
    ASSIGN_OR_RETURN(deal, deals_->Find(c, deal_id));
  }
  if (!deal ||
      (deal->supplier != request.organisation && deal->recipient != request.organisation)) {
    return Status::Invalid("details.deal",
                           "not a licence or assignment across the border that the requesting "
                           "organisation is party to",
                           "unknown_deal");
  }
  auto direction = request.facts.find("direction");
  if (direction != request.facts.end() && *direction != deal->direction) {
    return Status::Invalid("facts.direction", "the deal moves technology " + deal->direction,
                           "contradicts_deal", {{"expected", deal->direction}});
  }
  return Status::Ok();
}

Result<FlowRequestService::Row> FlowRequestService::LockAsRequester(
    db::Connection& c, const Principal& principal, const std::string& id,
    const char* only_the_requester) const {
  RETURN_IF_ERROR(c.Lock("flow_request", id));
  ASSIGN_OR_RETURN(Row row, Find(c, id));
  RETURN_IF_ERROR(CheckVisible(principal, row.request));
  if (!ActsFor(principal, row.request.organisation)) {
    return Status::PermissionDenied(only_the_requester);
  }
  return row;
}

Result<FlowRequest> FlowRequestService::Reload(db::Connection& c, const Principal& principal,
                                               const std::string& id) const {
  ASSIGN_OR_RETURN(Row row, Find(c, id));
  return Load(c, principal, row);
}

Result<FlowRequestService::Row> FlowRequestService::Find(db::Connection& c,
                                                         const std::string& id) const {
  ASSIGN_OR_RETURN(db::Row db_row, c.QueryOne("SELECT " + std::string(kColumns) +
                                                  " FROM flow_requests WHERE public_id = ?",
                                              {id}, "flow request"));
  return RowOf(db_row);
}

Result<FlowRequestService::Row> FlowRequestService::RowOf(const db::Row& db_row) {
  db::RowReader read(db_row);
  Row row;
  FlowRequest& r = row.request;
  row.row_id = read.Int();
  r.id = read.Text();
  r.organisation = read.Text();
  r.kind = read.Text();
  r.title = read.Text();
  r.facts = json::parse(read.Text(), nullptr, false);
  r.details = json::parse(read.Text(), nullptr, false);
  r.state = read.Text();
  r.content_hash = read.Text();
  r.policy_hash = read.Text();
  r.decision = json::parse(read.Text(), nullptr, false);
  r.created_by = read.Text();
  r.created_at = read.Text();
  r.submitted_at = read.OptionalText().value_or("");
  r.due_at = read.OptionalText().value_or("");
  r.decided_at = read.OptionalText().value_or("");
  r.valid_until = read.OptionalText().value_or("");
  r.used_quantity = read.OptionalDouble();
  r.crossed_at = read.OptionalText().value_or("");
  RETURN_IF_ERROR(read.Done());
  if (r.facts.is_discarded() || r.details.is_discarded() || r.decision.is_discarded()) {
    return Status::Internal("a flow request's stored JSON is damaged");
  }
  return row;
}

Result<FlowRequest> FlowRequestService::Load(db::Connection& c, const Principal& principal,
                                             const Row& row) const {
  FlowRequest request = row.request;
  ASSIGN_OR_RETURN(auto approvals,
                   c.Query("SELECT approver, approver_name, role, verdict, content_hash, "
                           "policy_hash, note, at FROM flow_approvals WHERE request_id = ? "
                           "ORDER BY id",
                           {row.row_id}));
  for (const db::Row& approval_row : approvals) {
    FlowApproval approval = ApprovalOfRow(approval_row);
    approval.current = approval.content_hash == request.content_hash &&
                       approval.policy_hash == request.policy_hash;
    request.approvals.push_back(std::move(approval));
  }
  ASSIGN_OR_RETURN(auto history, c.Query("SELECT from_state, to_state, actor, at, note FROM "
                                         "flow_request_history WHERE request_id = ? ORDER BY id",
                                         {row.row_id}));
  for (const db::Row& history_row : history) {
    db::RowReader read(history_row);
    HistoryEntry entry;
    entry.from_state = read.Text();
    entry.to_state = read.Text();
    entry.actor = read.Text();
    entry.at = read.Text();
    entry.note = read.Text();
    request.history.push_back(std::move(entry));
  }
  std::string deal_id = LinkedDealId(request);
  if (!deal_id.empty() && deals_ != nullptr) {
    ASSIGN_OR_RETURN(request.deal, deals_->Find(c, deal_id));
  }
  bool requester = ActsFor(principal, request.organisation);
  if (request.state == "draft") {
    // A dry run: what the draft would get now, and what it still lacks.
    ASSIGN_OR_RETURN(std::shared_ptr<const PolicySet> policy, governance_.ActivePolicy(c));
    ASSIGN_OR_RETURN(Facts facts, FactsOf(*policy, request, clock_.Now()));
    ASSIGN_OR_RETURN(Decision decision, governance_.Decide(c, *policy, facts, true));
    request.decision = DecisionJson(*policy, decision);
    request.policy_hash = policy->hash();
  }
  if (requester) {
    for (const std::string& action : RequestWorkflow().ActionsFrom(request.state)) {
      if (action == "submit" || action == "withdraw" || action == "use") {
        request.actions.push_back(action);
      }
    }
    if (request.state == "draft") request.actions.insert(request.actions.begin(), "edit");
  }
  if (ApprovingRole(principal, request).ok()) {
    request.actions.push_back("approve");
    request.actions.push_back("reject");
  }
  return request;
}

Status FlowRequestService::Record(db::Connection& c, const Row& row, const std::string& from,
                                  const std::string& to, const Principal* actor,
                                  const std::string& note) const {
  std::string now = FormatUtc(clock_.Now());
  RETURN_IF_ERROR(c.Execute("INSERT INTO flow_request_history(request_id, from_state, to_state, "
                            "actor, at, note) VALUES(?, ?, ?, ?, ?, ?)",
                            {row.row_id, from, to, actor ? actor->username : "", now, note})
                      .status());
  return db::DomainEvents::Append(
      c, db::TransitionEvent("flow_request", row.row_id, row.request.id, from, to,
                             actor ? actor->user_id : 0, now));
}

json FlowRequestJson(const FlowRequest& request) {
  json approvals = json::array();
  for (const FlowApproval& approval : request.approvals) {
    approvals.push_back({{"approver", approval.approver},
                         {"approver_name", approval.approver_name},
                         {"role", approval.role},
                         {"verdict", approval.verdict},
                         {"content_hash", approval.content_hash},
                         {"policy_hash", approval.policy_hash},
                         {"note", approval.note},
                         {"at", approval.at},
                         {"current", approval.current}});
  }
  json history = json::array();
  for (const HistoryEntry& entry : request.history) {
    history.push_back({{"from", entry.from_state.empty() ? json(nullptr) : json(entry.from_state)},
                       {"to", entry.to_state},
                       {"actor", entry.actor},
                       {"at", entry.at},
                       {"note", entry.note}});
  }
  auto optional_text = [](const std::string& text) {
    return text.empty() ? json(nullptr) : json(text);
  };
  json deal = nullptr;
  if (request.deal) {
    deal = {{"id", request.deal->id},
            {"title", request.deal->title},
            {"kind", request.deal->kind},
            {"stage", request.deal->stage},
            {"supplier", request.deal->supplier},
            {"recipient", request.deal->recipient},
            {"direction", request.deal->direction}};
  }
  return {{"id", request.id},
          {"organisation", request.organisation},
          {"kind", request.kind},
          {"title", request.title},
          {"facts", request.facts},
          {"details", request.details},
          {"state", request.state},
          {"content_hash", request.content_hash},
          {"policy_hash", request.policy_hash},
          {"decision", request.decision},
          {"created_by", request.created_by},
          {"created_at", request.created_at},
          {"submitted_at", optional_text(request.submitted_at)},
          {"due_at", optional_text(request.due_at)},
          {"decided_at", optional_text(request.decided_at)},
          {"valid_until", optional_text(request.valid_until)},
          {"used_quantity", request.used_quantity ? json(*request.used_quantity) : json(nullptr)},
          {"crossed_at", optional_text(request.crossed_at)},
          {"deal", deal},
          {"approvals", approvals},
          {"history", history},
          {"actions", request.actions}};
}

}  // namespace parkhub::governance
