// GovernanceService: the whitelists and the checking of a cross-border flow against the active
// policy (governance/policy.h). Every whitelist change is appended to the audit ledger in the
// transaction that makes it.
//
// Whitelist entries name a list (person, organisation, material_class, data_category,
// fund_channel, hgr_pilot), a subject, a scope (flow kinds, directions, lines, channels; empty:
// any), a validity period, the issuing authority and its document number (文号). Entries are
// never edited: a change is a revocation (with its reason) and a new entry, so the question
// "was X whitelisted for Y at T" has one exact answer for any past T.
//
// Compliance officers are reminded 30 days before an entry lapses (RemindExpiringEntries).
//
// Permissions: compliance officers and platform admins change whitelists; they and park
// operators read them; anyone signed in may check a flow (a dry run: nothing is recorded).
// Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "db/database.h"
#include "db/paging.h"
#include "governance/ledger.h"
#include "governance/policy.h"
#include "governance/policy_versions.h"
#include "identity/principal.h"
#include "notifications/notifier.h"

namespace parkhub::governance {

struct NewWhitelistEntry {
  std::string list;
  std::string subject;
  std::vector<std::string> kinds, directions, lines, channels;
  std::string valid_from;  // RFC 3339 UTC
  std::string valid_until;
  std::string authority;
  std::string document;
};

struct StoredWhitelistEntry {
  std::string id;
  WhitelistEntry entry;
  std::string created_by;
  std::string created_at;
  std::string revoked_by;
  std::string revoke_reason;
};

struct WhitelistQuery {
  std::string list;     // empty: every list
  std::string subject;  // empty: every subject
  int limit = 50;
  int offset = 0;
};

struct WhitelistImportIssue {
  int line = 0;
  FieldError error;  // the field, reason, stable code and its parameters
};

// A CSV import: every row is checked before any is written, and one bad row writes none.
struct WhitelistImportReport {
  int rows = 0;
  int written = 0;
  bool dry_run = true;
  std::vector<WhitelistImportIssue> issues;
};

struct WhitelistAnswer {
  bool covered = false;
  std::optional<StoredWhitelistEntry> entry;  // the entry that covers it
};

class GovernanceService {
 public:
  static const std::vector<std::string>& Lists();

  GovernanceService(db::Database& database, const Clock& clock, Ledger& ledger,
                    const PolicyVersions& versions, const notifications::Notifier& notifier);

  // The policy in force as `c` sees it (governance/policy_versions.h).
  Result<std::shared_ptr<const PolicySet>> ActivePolicy(db::Connection& c) const;

  Result<StoredWhitelistEntry> AddWhitelistEntry(const identity::Principal& principal,
                                                 const NewWhitelistEntry& entry);
  // Entries from CSV with the header list,subject,kinds,directions,lines,channels,valid_from,
  // valid_until,authority,document (scope lists separated by ';', empty: any; a date alone is
  // its first instant, UTC). All or nothing: the report lists every bad row and nothing is
  // written unless every row is good and `dry_run` is false. 422 on a wrong header.
  Result<WhitelistImportReport> ImportWhitelistCsv(const identity::Principal& principal,
                                                   std::string_view csv, bool dry_run);
  // 409 when already revoked; 422 without a reason.
  Result<StoredWhitelistEntry> RevokeWhitelistEntry(const identity::Principal& principal,
                                                    const std::string& id,
                                                    const std::string& reason);
  Result<db::Page<StoredWhitelistEntry>> ListWhitelist(const identity::Principal& principal,
                                                       const WhitelistQuery& query) const;
  // Tells every compliance officer, once per entry, of each entry in force that lapses within
  // `days` (notification whitelist_expiring), so it is renewed in time. Returns how many notices
  // went out. A periodic job.
  Result<int> RemindExpiringEntries(int days = 30);
  // Whether `subject` on `list` was covered for a flow of this kind, direction, line and
  // channel at `at` (any past or future instant).
  Result<WhitelistAnswer> WhitelistedAt(const identity::Principal& principal,
                                        const std::string& list, const std::string& subject,
                                        const std::string& kind, const std::string& direction,
                                        const std::string& line, const std::string& channel,
                                        const std::string& at) const;
  // The active policy's decision on `request`, explained (missing fields, closest rules), with
  // the whitelists as they stand. Records nothing.
  Result<nlohmann::json> CheckFlow(const identity::Principal& principal,
                                   const nlohmann::json& request) const;
  // `policy`'s decision on `facts` (read by that policy) with the whitelists as they stand on
  // `c`, their history included; `explain` also fills the missing fields and the closest rules.
  Result<Decision> Decide(db::Connection& c, const PolicySet& policy, const Facts& facts,
                          bool explain) const;
  // Every whitelist entry, revoked ones with their revocation time, so coverage at any past
  // instant is exact.
  Result<WhitelistIndex> LoadWhitelist(db::Connection& c) const;

 private:
  // The entry `input` describes, ready to store; nullopt with `errors` filled when it is bad.
  std::optional<StoredWhitelistEntry> CheckEntry(const identity::Principal& principal,
                                                 const PolicySet& policy,
                                                 const NewWhitelistEntry& input,
                                                 FieldErrors& errors) const;
  // Stores an entry and appends it to the ledger, on the caller's transaction.
  Status InsertEntry(db::Connection& c, const identity::Principal& principal,
                     const StoredWhitelistEntry& stored) const;

  db::Database& database_;
  const Clock& clock_;
  Ledger& ledger_;
  const PolicyVersions& versions_;
  const notifications::Notifier& notifier_;
};

// A whitelist entry as the API shows it and the ledger records it.
nlohmann::json WhitelistEntryJson(const StoredWhitelistEntry& stored);

// The Hetao zone's policy (policies/hetao/rules.toml), built into the binary: the active policy
// unless the configuration names another file.
std::string_view BuiltInPolicyToml();

}  // namespace parkhub::governance
