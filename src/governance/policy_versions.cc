#include "governance/policy_versions.h"

#include <algorithm>

#include "core/strings.h"
#include "core/text_rules.h"

namespace parkhub::governance {

using identity::Principal;
using identity::Role;
using nlohmann::json;

struct PolicyVersions::Row {
  int64_t row_id = 0;
  PolicyVersion version;
  std::string document;
  int64_t round = 1;  // how many times it has been proposed; approvals count within one round
};

namespace {

constexpr std::string_view kColumns =
    "id, hash, name, document, source, state, proposed_by, proposer_name, proposed_at, "
    "decided_at, reject_reason, round";
constexpr size_t kMaxNote = 1000;

bool ReadsVersions(const Principal& principal) {
  return principal.IsPlatformAdmin() || principal.HasRoleAnywhere(Role::kComplianceOfficer) ||
         principal.HasRoleAnywhere(Role::kParkOperator);
}

bool ProposesVersions(const Principal& principal) {
  return principal.IsPlatformAdmin() || principal.HasRoleAnywhere(Role::kComplianceOfficer);
}

std::string DigestOf(const std::string& hash) {
  constexpr std::string_view kPrefix = "sha256:";
  return hash.rfind(kPrefix, 0) == 0 ? hash.substr(kPrefix.size()) : hash;
}

Status CheckReader(const Principal& principal) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  if (!ReadsVersions(principal)) {
    return Status::PermissionDenied(
        "only compliance officers, park operators and platform admins read policy versions");
  }
  return Status::Ok();
}

}  // namespace

const std::vector<std::string>& PolicyVersions::ApprovingRoles() {
  static const std::vector<std::string> kRoles = {"compliance_officer", "park_operator"};
  return kRoles;
}

PolicyVersions::PolicyVersions(db::Database& database, const Clock& clock, Ledger& ledger)
    : database_(database), clock_(clock), ledger_(ledger) {}

Result<std::shared_ptr<const PolicySet>> PolicyVersions::Parsed(const std::string& hash,
                                                                const std::string& document) const {
  {
    MutexLock lock(mutex_);
    auto found = parsed_.find(hash);
    if (found != parsed_.end()) return found->second;
  }
  json parsed = json::parse(document, nullptr, false);
  if (parsed.is_discarded()) return Status::Internal("policy version " + hash + " is not JSON");
  ASSIGN_OR_RETURN(std::shared_ptr<const PolicySet> policy, PolicySet::FromJson(parsed));
  if (policy->hash() != hash) {
    return Status::Internal("policy version " + hash + " hashes to " + policy->hash());
  }
  MutexLock lock(mutex_);
  parsed_.emplace(hash, policy);
  return policy;
}

Result<std::shared_ptr<const PolicySet>> PolicyVersions::Active(db::Connection& c) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT hash, document FROM policy_versions "
                                      "WHERE state = 'active'"));
  if (rows.empty()) {
    return Status(ErrorCode::kFailedPrecondition, "no_policy", "no policy version is in force");
  }
  db::RowReader read(rows[0]);
  std::string hash = read.Text();
  return Parsed(hash, read.Text());
}

Result<std::shared_ptr<const PolicySet>> PolicyVersions::Active() const {
  return db::InTransaction<std::shared_ptr<const PolicySet>>(
      database_, db::TxMode::kRead, [&](db::Connection& c) { return Active(c); });
}

Status PolicyVersions::Insert(db::Connection& c, const PolicySet& policy, const std::string& source,
                              const std::string& state, const std::string& actor,
                              const std::string& actor_name) const {
  return c
      .Execute(
          "INSERT INTO policy_versions(hash, name, document, source, state, proposed_by, "
          "proposer_name, proposed_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
          {policy.hash(), policy.name(), policy.document().dump(), source, state, actor, actor_name,
           FormatUtc(clock_.Now())})
      .status();
}

Status PolicyVersions::Activate(db::Connection& c, const Row& row, const std::string& actor) const {
  ASSIGN_OR_RETURN(auto previous, c.Query("SELECT hash FROM policy_versions "
                                          "WHERE state = 'active'"));
  std::string at = FormatUtc(clock_.Now());
  RETURN_IF_ERROR(c.Execute("UPDATE policy_versions SET state = 'superseded', decided_at = ? "
                            "WHERE state = 'active'",
                            {at})
                      .status());
  RETURN_IF_ERROR(c.Execute("UPDATE policy_versions SET state = 'active', decided_at = ? "
                            "WHERE id = ?",
                            {at, row.row_id})
                      .status());
  json details = {{"name", row.version.name}};
  details["previous"] = previous.empty() ? json(nullptr) : json(db::RowReader(previous[0]).Text());
  return ledger_.Append(c, {"policy_activated", row.version.hash, actor, details});
}

Status PolicyVersions::InstallConfigured(std::shared_ptr<const PolicySet> configured) {
  return db::InTransaction<bool>(
             database_, db::TxMode::kWrite,
             [&](db::Connection& c) -> Result<bool> {
               RETURN_IF_ERROR(c.Lock("policy_versions", "install"));
               ASSIGN_OR_RETURN(auto known, c.Query("SELECT state FROM policy_versions "
                                                    "WHERE hash = ?",
                                                    {configured->hash()}));
               if (!known.empty()) return false;
               ASSIGN_OR_RETURN(auto active, c.Query("SELECT id FROM policy_versions "
                                                     "WHERE state = 'active'"));
               const std::string actor = "system";
               if (!active.empty()) {
                 RETURN_IF_ERROR(Insert(c, *configured, "file", "proposed", actor, ""));
                 RETURN_IF_ERROR(
                     ledger_.Append(c, {"policy_proposed",
                                        configured->hash(),
                                        actor,
                                        {{"name", configured->name()}, {"source", "file"}}}));
                 return true;
               }
               RETURN_IF_ERROR(Insert(c, *configured, "installed", "proposed", actor, ""));
               ASSIGN_OR_RETURN(Row row, Find(c, DigestOf(configured->hash())));
               RETURN_IF_ERROR(Activate(c, row, actor));
               return true;
             })
      .status();
}

Result<PolicyVersions::Row> PolicyVersions::RowOf(const db::Row& db_row) {
  db::RowReader read(db_row);
  Row row;
  row.row_id = read.Int();
  PolicyVersion& v = row.version;
  v.hash = read.Text();
  v.id = DigestOf(v.hash);
  v.name = read.Text();
  row.document = read.Text();
  v.source = read.Text();
  v.state = read.Text();
  v.proposed_by = read.Text();
  v.proposer_name = read.Text();
  v.proposed_at = read.Text();
  v.decided_at = read.OptionalText().value_or("");
  v.reject_reason = read.OptionalText().value_or("");
  row.round = read.Int();
  RETURN_IF_ERROR(read.Done());
  return row;
}

Result<PolicyVersions::Row> PolicyVersions::Find(db::Connection& c, const std::string& id) const {
  ASSIGN_OR_RETURN(
      auto rows, c.Query("SELECT " + std::string(kColumns) + " FROM policy_versions WHERE hash = ?",
                         {"sha256:" + id}));
  if (rows.empty()) return Status::NotFound("policy version");
  return RowOf(rows[0]);
}

Result<PolicyVersion> PolicyVersions::LockProposed(db::Connection& c, const Principal& principal,
                                                   const std::string& id, Row& row) const {
  RETURN_IF_ERROR(c.Lock("policy_versions", "install"));
  ASSIGN_OR_RETURN(row, Find(c, id));
  ASSIGN_OR_RETURN(PolicyVersion version, Load(c, principal, row));
  if (version.state != "proposed") {
    return Status::Conflict("not_proposed", "this version is no longer proposed");
  }
  return version;
}

Result<PolicyVersion> PolicyVersions::Reload(db::Connection& c, const Principal& principal,
                                             const std::string& id) const {
  ASSIGN_OR_RETURN(Row row, Find(c, id));
  return Load(c, principal, row);
}

Result<PolicyVersion> PolicyVersions::Load(db::Connection& c, const Principal& principal,
                                           const Row& row) const {
  PolicyVersion version = row.version;
  ASSIGN_OR_RETURN(version.policy, Parsed(version.hash, row.document));
  ASSIGN_OR_RETURN(auto approvals,
                   c.Query("SELECT approver, approver_name, role, note, at "
                           "FROM policy_version_approvals WHERE version_id = ? AND round = ? "
                           "ORDER BY id",
                           {row.row_id, row.round}));
  for (const db::Row& approval_row : approvals) {
    db::RowReader read(approval_row);
    PolicyVersionApproval approval;
    approval.approver = read.Text();
    approval.approver_name = read.Text();
    approval.role = read.Text();
    approval.note = read.Text();
    approval.at = read.Text();
    version.approvals.push_back(std::move(approval));
  }
  if (version.state != "proposed") return version;
  bool approved_already = false;
  for (const std::string& role : ApprovingRoles()) {
    bool filled = std::any_of(version.approvals.begin(), version.approvals.end(),
                              [&](const auto& approval) { return approval.role == role; });
    if (!filled) version.roles_needed.push_back(role);
  }
  for (const auto& approval : version.approvals) {
    approved_already = approved_already || approval.approver == principal.public_id;
  }
  bool may_approve = false;
  for (const std::string& role : version.roles_needed) {
    may_approve = may_approve || principal.HasRoleAnywhere(*identity::ParseRole(role));
  }
  if (may_approve && !approved_already && principal.public_id != version.proposed_by) {
    version.actions = {"approve", "reject"};
  }
  return version;
}

Result<PolicyVersion> PolicyVersions::Propose(const Principal& principal,
                                              std::shared_ptr<const PolicySet> policy) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  if (!ProposesVersions(principal)) {
    return Status::PermissionDenied(
        "only compliance officers and platform admins propose policy versions");
  }
  return db::InTransaction<PolicyVersion>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<PolicyVersion> {
        RETURN_IF_ERROR(c.Lock("policy_versions", "install"));
        Result<Row> known = Find(c, DigestOf(policy->hash()));
        json details = {{"name", policy->name()}, {"source", "api"}};
        if (!known.ok()) {
          RETURN_IF_ERROR(
              Insert(c, *policy, "api", "proposed", principal.public_id, principal.display_name));
        } else if (known->version.state == "superseded" || known->version.state == "rejected") {
          // Going back to an earlier version: a new round, with approvals of its own.
          RETURN_IF_ERROR(
              c.Execute("UPDATE policy_versions SET state = 'proposed', source = 'api', "
                        "proposed_by = ?, proposer_name = ?, proposed_at = ?, decided_at = NULL, "
                        "reject_reason = NULL, round = round + 1 WHERE id = ?",
                        {principal.public_id, principal.display_name, FormatUtc(clock_.Now()),
                         known->row_id})
                  .status());
          details["round"] = known->round + 1;
        } else {
          return Status::Conflict("already_proposed", known->version.state == "active"
                                                          ? "this version is in force"
                                                          : "this version is proposed already");
        }
        RETURN_IF_ERROR(
            ledger_.Append(c, {"policy_proposed", policy->hash(), principal.public_id, details}));
        ASSIGN_OR_RETURN(Row row, Find(c, DigestOf(policy->hash())));
        return Load(c, principal, row);
      });
}

Result<std::vector<PolicyVersion>> PolicyVersions::List(const Principal& principal) const {
  RETURN_IF_ERROR(CheckReader(principal));
  return db::InTransaction<std::vector<PolicyVersion>>(
      database_, db::TxMode::kRead, [&](db::Connection& c) -> Result<std::vector<PolicyVersion>> {
        ASSIGN_OR_RETURN(auto rows, c.Query("SELECT " + std::string(kColumns) +
                                            " FROM policy_versions ORDER BY id DESC"));
        std::vector<PolicyVersion> versions;
        for (const db::Row& db_row : rows) {
          ASSIGN_OR_RETURN(Row row, RowOf(db_row));
          ASSIGN_OR_RETURN(PolicyVersion version, Load(c, principal, row));
          versions.push_back(std::move(version));
        }
        return versions;
      });
}

Result<PolicyVersion> PolicyVersions::Get(const Principal& principal, const std::string& id) const {
  RETURN_IF_ERROR(CheckReader(principal));
  return db::InTransaction<PolicyVersion>(
      database_, db::TxMode::kRead,
      [&](db::Connection& c) -> Result<PolicyVersion> { return Reload(c, principal, id); });
}

Result<PolicyVersion> PolicyVersions::Approve(const Principal& principal, const std::string& id,
                                              const std::string& note) {
  RETURN_IF_ERROR(CheckReader(principal));
  RETURN_IF_ERROR(CheckTextField("note", note, kMaxNote));
  return db::InTransaction<PolicyVersion>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<PolicyVersion> {
        Row row;
        ASSIGN_OR_RETURN(PolicyVersion version, LockProposed(c, principal, id, row));
        if (version.proposed_by == principal.public_id) {
          return Status(ErrorCode::kPermissionDenied, "separation_of_duties",
                        "the proposer of a version never approves it");
        }
        for (const auto& approval : version.approvals) {
          if (approval.approver == principal.public_id) {
            return Status::Conflict("already_approved", "you have approved this version already");
          }
        }
        auto role = std::find_if(version.roles_needed.begin(), version.roles_needed.end(),
                                 [&](const std::string& name) {
                                   return principal.HasRoleAnywhere(*identity::ParseRole(name));
                                 });
        if (role == version.roles_needed.end()) {
          bool holds_any = std::any_of(
              ApprovingRoles().begin(), ApprovingRoles().end(), [&](const std::string& name) {
                return principal.HasRoleAnywhere(*identity::ParseRole(name));
              });
          if (holds_any) return Status::Conflict("role_filled", "your role has approved already");
          return Status::PermissionDenied(
              "only a compliance officer and a park operator approve a policy version");
        }
        std::string at = FormatUtc(clock_.Now());
        RETURN_IF_ERROR(
            c.Execute("INSERT INTO policy_version_approvals(version_id, round, approver, "
                      "approver_name, role, note, at) VALUES(?, ?, ?, ?, ?, ?, ?)",
                      {row.row_id, row.round, principal.public_id, principal.display_name, *role,
                       note, at})
                .status());
        RETURN_IF_ERROR(ledger_.Append(c, {"policy_approved",
                                           version.hash,
                                           principal.public_id,
                                           {{"role", *role}, {"note", note}}}));
        if (version.roles_needed.size() == 1) {
          RETURN_IF_ERROR(Activate(c, row, principal.public_id));
        }
        return Reload(c, principal, id);
      });
}

Result<PolicyVersion> PolicyVersions::Reject(const Principal& principal, const std::string& id,
                                             const std::string& reason) {
  RETURN_IF_ERROR(CheckReader(principal));
  if (Trim(reason).empty()) {
    return Status::Invalid("reason", "say why the version is rejected", "required");
  }
  RETURN_IF_ERROR(CheckTextField("reason", reason, kMaxNote));
  return db::InTransaction<PolicyVersion>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<PolicyVersion> {
        Row row;
        ASSIGN_OR_RETURN(PolicyVersion version, LockProposed(c, principal, id, row));
        if (std::find(version.actions.begin(), version.actions.end(), "reject") ==
            version.actions.end()) {
          return Status::PermissionDenied(
              "a compliance officer or park operator other than the proposer rejects a version");
        }
        RETURN_IF_ERROR(c.Execute("UPDATE policy_versions SET state = 'rejected', "
                                  "decided_at = ?, reject_reason = ? WHERE id = ?",
                                  {FormatUtc(clock_.Now()), reason, row.row_id})
                            .status());
        RETURN_IF_ERROR(ledger_.Append(
            c, {"policy_rejected", version.hash, principal.public_id, {{"reason", reason}}}));
        return Reload(c, principal, id);
      });
}

json PolicyVersionJson(const PolicyVersion& version) {
  json approvals = json::array();
  for (const PolicyVersionApproval& approval : version.approvals) {
    approvals.push_back({{"approver", approval.approver},
                         {"approver_name", approval.approver_name},
                         {"role", approval.role},
                         {"note", approval.note},
                         {"at", approval.at}});
  }
  json rules = json::array();
  for (const Rule& rule : version.policy->rules()) {
    json shown = RuleJson(rule);
    shown["kinds"] = rule.kinds;
    rules.push_back(std::move(shown));
  }
  auto optional = [](const std::string& text) { return text.empty() ? json(nullptr) : json(text); };
  return {{"id", version.id},
          {"hash", version.hash},
          {"name", version.name},
          {"source", version.source},
          {"state", version.state},
          {"proposed_by", version.proposed_by},
          {"proposer_name", version.proposer_name},
          {"proposed_at", version.proposed_at},
          {"decided_at", optional(version.decided_at)},
          {"reject_reason", optional(version.reject_reason)},
          {"approvals", approvals},
          {"roles_needed", version.roles_needed},
          {"actions", version.actions},
          {"rules", rules}};
}

}  // namespace parkhub::governance
