// PolicyVersions: the cross-border policy's versions, which one is in force, and activation as
// an approved change.
//
// A version is a policy document (governance/policy.h) addressed by its hash and never edited.
// It is proposed from the file an operator edits (the configured policy, read at start) or
// through the API, and becomes the policy in force once a compliance officer and a park
// operator have approved it: two people, neither its proposer. Activating it supersedes the
// version in force; rejecting it (with a reason) ends it. The proposal, each approval, the
// rejection and the activation are appended to the audit ledger in the transaction that makes
// them.
//
// The version in force is read from the database on the caller's connection, so every instance
// decides with the same version and a decision reads the policy its transaction sees. Parsed
// versions are cached by hash (they never change).
//
// Permissions: compliance officers, park operators and platform admins read versions;
// compliance officers and platform admins propose; the approving roles approve or reject.
// Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/mutex.h"
#include "db/database.h"
#include "governance/ledger.h"
#include "governance/policy.h"
#include "identity/principal.h"

namespace parkhub::governance {

struct PolicyVersionApproval {
  std::string approver;  // public id
  std::string approver_name;
  std::string role;
  std::string note;
  std::string at;
};

struct PolicyVersion {
  std::string id;    // the hash's hex digits: how URLs name a version
  std::string hash;  // PolicySet::hash
  std::string name;
  std::string source;  // installed (the first version in force), file, api
  std::string state;   // proposed, active, superseded, rejected
  std::string proposed_by;
  std::string proposer_name;
  std::string proposed_at;
  std::string decided_at;  // activated or rejected
  std::string reject_reason;
  std::vector<PolicyVersionApproval> approvals;
  std::vector<std::string> roles_needed;  // proposed: the approving roles not yet filled
  std::vector<std::string> actions;       // what the caller may do now: approve, reject
  std::shared_ptr<const PolicySet> policy;
};

class PolicyVersions {
 public:
  // The roles that approve a version, one person each.
  static const std::vector<std::string>& ApprovingRoles();

  PolicyVersions(db::Database& database, const Clock& clock, Ledger& ledger);

  // Run at start, one instance at a time. With no version in force, `configured` is installed
  // and activated; when another version is in force and `configured` is new, it is proposed
  // (source "file") and waits for approval like any other.
  Status InstallConfigured(std::shared_ptr<const PolicySet> configured);

  // The version in force as `c` sees it; kFailedPrecondition before InstallConfigured.
  Result<std::shared_ptr<const PolicySet>> Active(db::Connection& c) const;
  Result<std::shared_ptr<const PolicySet>> Active() const;

  // 409 already_proposed when a version with this hash is proposed or in force. A superseded
  // or rejected version is proposed again (going back to earlier rules): a new round whose
  // approvals start afresh.
  Result<PolicyVersion> Propose(const identity::Principal& principal,
                                std::shared_ptr<const PolicySet> policy);
  // Newest first.
  Result<std::vector<PolicyVersion>> List(const identity::Principal& principal) const;
  // `id`: the hash's hex digits. NotFound for an unknown version.
  Result<PolicyVersion> Get(const identity::Principal& principal, const std::string& id) const;
  // 409 not_proposed, already_approved, role_filled; 403 for the proposer (separation of
  // duties) and for anyone without a role still needed. The last approval activates it.
  Result<PolicyVersion> Approve(const identity::Principal& principal, const std::string& id,
                                const std::string& note);
  // 422 without a reason; 409 not_proposed.
  Result<PolicyVersion> Reject(const identity::Principal& principal, const std::string& id,
                               const std::string& reason);

 private:
  struct Row;
  static Result<Row> RowOf(const db::Row& db_row);
  Result<Row> Find(db::Connection& c, const std::string& id) const;
  // Locks the versions, finds `id` (into `row`) and loads it; 409 not_proposed unless proposed.
  Result<PolicyVersion> LockProposed(db::Connection& c, const identity::Principal& principal,
                                     const std::string& id, Row& row) const;
  // The version as it now stands, after a change in this transaction.
  Result<PolicyVersion> Reload(db::Connection& c, const identity::Principal& principal,
                               const std::string& id) const;
  Result<PolicyVersion> Load(db::Connection& c, const identity::Principal& principal,
                             const Row& row) const;
  Result<std::shared_ptr<const PolicySet>> Parsed(const std::string& hash,
                                                  const std::string& document) const;
  Status Insert(db::Connection& c, const PolicySet& policy, const std::string& source,
                const std::string& state, const std::string& actor,
                const std::string& actor_name) const;
  Status Activate(db::Connection& c, const Row& row, const std::string& actor) const;

  db::Database& database_;
  const Clock& clock_;
  Ledger& ledger_;
  mutable Mutex mutex_;
  mutable std::map<std::string, std::shared_ptr<const PolicySet>> parsed_ GUARDED_BY(mutex_);
};

// A version as the API shows it, its rules (RuleJson with their kinds) in place of its document.
nlohmann::json PolicyVersionJson(const PolicyVersion& version);

}  // namespace parkhub::governance
