#include "governance/governance_service.h"

#include <algorithm>

#include "core/csv.h"
#include "core/random.h"
#include "core/strings.h"
#include "core/text_rules.h"
#include "governance/json_fields.h"
#include "identity/identity_service.h"
#include "registry/directory.h"
#include "registry/names.h"

namespace parkhub::governance {
namespace {

using nlohmann::json;

bool MayChangeWhitelists(const identity::Principal& principal) {
  return principal.IsPlatformAdmin() ||
         principal.HasRoleAnywhere(identity::Role::kComplianceOfficer);
}

bool MayReadWhitelists(const identity::Principal& principal) {
  return MayChangeWhitelists(principal) || principal.HasRoleAnywhere(identity::Role::kParkOperator);
}

constexpr std::string_view kEntryColumns =
    "public_id, list, subject, scope, valid_from, valid_until, authority, document, created_by, "
    "created_at, revoked_at, revoked_by, revoke_reason";

std::vector<std::string> TextsOf(const json& value) {
  std::vector<std::string> texts;
  if (!value.is_array()) return texts;
  for (const auto& item : value) {
    if (item.is_string()) texts.push_back(item.get<std::string>());
  }
  return texts;
}

Result<StoredWhitelistEntry> EntryOfRow(const db::Row& row) {
  db::RowReader read(row);
  StoredWhitelistEntry stored;
  stored.id = read.Text();
  stored.entry.list = read.Text();
  stored.entry.subject = read.Text();
  json scope = json::parse(read.Text(), nullptr, false);
  std::string from = read.Text();
  std::string until = read.Text();
  stored.entry.authority = read.Text();
  stored.entry.document = read.Text();
  stored.created_by = read.Text();
  stored.created_at = read.Text();
  std::optional<std::string> revoked_at = read.OptionalText();
  stored.revoked_by = read.Text();
  stored.revoke_reason = read.Text();
  RETURN_IF_ERROR(read.Done());
  stored.entry.kinds = TextsOf(Member(scope, "kinds"));
  stored.entry.directions = TextsOf(Member(scope, "directions"));
  stored.entry.lines = TextsOf(Member(scope, "lines"));
  stored.entry.channels = TextsOf(Member(scope, "channels"));
  auto valid_from = ParseUtc(from);
  auto valid_until = ParseUtc(until);
  if (!valid_from || !valid_until) return Status::Internal("a whitelist entry has a bad time");
  stored.entry.valid_from = *valid_from;
  stored.entry.valid_until = *valid_until;
  if (revoked_at) stored.entry.revoked_at = ParseUtc(*revoked_at);
  return stored;
}

// Each value of a scope list must be one the policy's field of that name allows.
void CheckScope(const PolicySet& policy, const std::string& field,
                const std::vector<std::string>& values, FieldErrors& errors) {
  std::optional<int> slot = policy.FieldSlot(field == "kinds"        ? "kind"
                                             : field == "directions" ? "direction"
                                             : field == "lines"      ? "line"
                                                                     : "channel");
  if (!slot) return;
  const auto& allowed = policy.fields()[*slot].values;
  for (const std::string& value : values) {
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      errors.Add(field, value + " is not one of the allowed values", "not_one_of",
                 {{"allowed", allowed}});
      return;
    }
  }
}

// A date alone ("2026-01-01") is the start of that day, UTC; anything else is read as given.
std::string WholeDayUtc(const std::string& text) {
  return text.size() == 10 ? text + "T00:00:00Z" : text;
}

}  // namespace

json WhitelistEntryJson(const StoredWhitelistEntry& stored) {
  const WhitelistEntry& e = stored.entry;
  return {{"id", stored.id},
          {"list", e.list},
          {"subject", e.subject},
          {"kinds", e.kinds},
          {"directions", e.directions},
          {"lines", e.lines},
          {"channels", e.channels},
          {"valid_from", FormatUtc(e.valid_from)},
          {"valid_until", FormatUtc(e.valid_until)},
          {"authority", e.authority},
          {"document", e.document},
          {"created_by", stored.created_by},
          {"created_at", stored.created_at},
          {"revoked_at", e.revoked_at ? json(FormatUtc(*e.revoked_at)) : json(nullptr)},
          {"revoke_reason", stored.revoke_reason}};
}

const std::vector<std::string>& GovernanceService::Lists() {
  static const std::vector<std::string> kLists = {"person",        "organisation", "material_class",
                                                  "data_category", "fund_channel", "hgr_pilot"};
  return kLists;
}

GovernanceService::GovernanceService(db::Database& database, const Clock& clock, Ledger& ledger,
                                     const PolicyVersions& versions,
                                     const notifications::Notifier& notifier)
    : database_(database),
      clock_(clock),
      ledger_(ledger),
      versions_(versions),
      notifier_(notifier) {}

Result<int> GovernanceService::RemindExpiringEntries(int days) {
  return db::InTransaction<int>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<int> {
        std::string now = FormatUtc(clock_.Now());
        std::string horizon = FormatUtc(clock_.Now() + std::chrono::hours(24) * days);
        ASSIGN_OR_RETURN(auto rows, c.Query("SELECT " + std::string(kEntryColumns) +
                                                " FROM whitelist_entries WHERE revoked_at IS NULL "
                                                "AND valid_until > ? AND valid_until <= ? "
                                                "ORDER BY valid_until",
                                            {now, horizon}));
        if (rows.empty()) return 0;
        ASSIGN_OR_RETURN(auto officers, identity::IdentityService::UsersWithRole(
                                            c, {identity::Role::kComplianceOfficer}));
        int sent = 0;
        for (const db::Row& row : rows) {
          ASSIGN_OR_RETURN(StoredWhitelistEntry stored, EntryOfRow(row));
          notifications::NotificationParams params = {
              {"entry_id", stored.id},           {"list", stored.entry.list},
              {"subject", stored.entry.subject}, {"ends_at", FormatUtc(stored.entry.valid_until)},
              {"time_zone", "Asia/Shanghai"},    {"document", stored.entry.document}};
          ASSIGN_OR_RETURN(auto organisation,
                           registry::Directory::FindOrganization(c, stored.entry.subject));
          if (organisation) registry::PutNames(params, "organization_name", organisation->names);
          std::string dedupe = "whitelist_expiring:" + stored.id;
          for (int64_t officer : officers) {
            ASSIGN_OR_RETURN(bool sent_before, notifier_.AlreadySent(c, officer, dedupe));
            if (sent_before) continue;
            RETURN_IF_ERROR(notifier_.Notify(c, officer, "whitelist_expiring", params, dedupe));
            ++sent;
          }
        }
        return sent;
      });
}

Result<std::shared_ptr<const PolicySet>> GovernanceService::ActivePolicy(db::Connection& c) const {
  return versions_.Active(c);
}

std::optional<StoredWhitelistEntry> GovernanceService::CheckEntry(
    const identity::Principal& principal, const PolicySet& policy, const NewWhitelistEntry& input,
    FieldErrors& errors) const {
  size_t before = errors.size();
  if (std::find(Lists().begin(), Lists().end(), input.list) == Lists().end()) {
    errors.Add("list", "not a whitelist", "not_one_of", {{"allowed", Lists()}});
  }
  for (auto [field, value, max] :
       {std::tuple{"subject", &input.subject, 200}, std::tuple{"authority", &input.authority, 200},
        std::tuple{"document", &input.document, 200}}) {
    if (value->empty()) {
      errors.Add(field, "required", "required");
    } else {
      CheckText(field, *value, max, errors);
    }
  }
  CheckScope(policy, "kinds", input.kinds, errors);
  CheckScope(policy, "directions", input.directions, errors);
  CheckScope(policy, "lines", input.lines, errors);
  CheckScope(policy, "channels", input.channels, errors);
  auto from = ParseUtc(input.valid_from);
  auto until = ParseUtc(input.valid_until);
  if (!from)
    errors.Add("valid_from", "a UTC time like 2026-01-01T00:00:00Z", "bad_format",
               {{"format", "date_time"}});
  if (!until)
    errors.Add("valid_until", "a UTC time like 2027-01-01T00:00:00Z", "bad_format",
               {{"format", "date_time"}});
  if (from && until && *until <= *from) {
    errors.Add("valid_until", "must be after valid_from", "not_after", {{"other", "valid_from"}});
  }
  if (errors.size() != before) return std::nullopt;
  StoredWhitelistEntry stored;
  stored.id = NewPublicId("wl");
  stored.entry = {input.list,   input.subject,   input.kinds,   input.directions,
                  input.lines,  input.channels,  *from,         *until,
                  std::nullopt, input.authority, input.document};
  stored.created_by = principal.public_id;
  stored.created_at = FormatUtc(clock_.Now());
  return stored;
}

Status GovernanceService::InsertEntry(db::Connection& c, const identity::Principal& principal,
                                      const StoredWhitelistEntry& stored) const {
  const WhitelistEntry& e = stored.entry;
  json scope = {{"kinds", e.kinds},
                {"directions", e.directions},
                {"lines", e.lines},
                {"channels", e.channels}};
  RETURN_IF_ERROR(
      c.Execute("INSERT INTO whitelist_entries(public_id, list, subject, scope, valid_from, "
                "valid_until, authority, document, created_by, created_at) "
                "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {stored.id, e.list, e.subject, scope.dump(), FormatUtc(e.valid_from),
                 FormatUtc(e.valid_until), e.authority, e.document, stored.created_by,
                 stored.created_at})
          .status());
  return ledger_.Append(
      c, {"whitelist_added", stored.id, principal.public_id, WhitelistEntryJson(stored)});
}

Result<StoredWhitelistEntry> GovernanceService::AddWhitelistEntry(
    const identity::Principal& principal, const NewWhitelistEntry& input) {
  if (!MayChangeWhitelists(principal)) {
    return Status::PermissionDenied(
        "only compliance officers and platform admins change whitelists");
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const PolicySet> policy, versions_.Active());
  FieldErrors errors;
  std::optional<StoredWhitelistEntry> stored = CheckEntry(principal, *policy, input, errors);
  RETURN_IF_ERROR(errors.ToStatus());
  return db::InTransaction<StoredWhitelistEntry>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<StoredWhitelistEntry> {
        RETURN_IF_ERROR(InsertEntry(c, principal, *stored));
        return *stored;
      });
}

Result<WhitelistImportReport> GovernanceService::ImportWhitelistCsv(
    const identity::Principal& principal, std::string_view csv, bool dry_run) {
  if (!MayChangeWhitelists(principal)) {
    return Status::PermissionDenied(
        "only compliance officers and platform admins change whitelists");
  }
  if (!IsValidUtf8(csv)) return Status::Invalid("body", "not UTF-8 text", "bad_encoding");
  ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ParseCsv(csv));
  static const std::vector<std::string> kHeader = {
      "list",     "subject",    "kinds",       "directions", "lines",
      "channels", "valid_from", "valid_until", "authority",  "document"};
  if (records.empty() || records.front().fields != kHeader) {
    return Status::Invalid("header",
                           "the first line must name the columns: " + JoinWith(kHeader, ','),
                           "bad_header", {{"expected", kHeader}});
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const PolicySet> policy, versions_.Active());
  WhitelistImportReport report;
  report.dry_run = dry_run;
  std::vector<StoredWhitelistEntry> entries;
  for (size_t i = 1; i < records.size(); ++i) {
    const CsvRecord& record = records[i];
    if (record.fields.size() == 1 && record.fields[0].empty()) continue;  // a blank line
    ++report.rows;
    if (record.fields.size() != kHeader.size()) {
      report.issues.push_back({record.line,
                               {"row",
                                "expected " + std::to_string(kHeader.size()) + " fields, found " +
                                    std::to_string(record.fields.size()),
                                "wrong_field_count",
                                {{"expected", kHeader.size()}, {"found", record.fields.size()}}}});
      continue;
    }
    const auto& f = record.fields;
    NewWhitelistEntry input{f[0],
                            f[1],
                            SplitJoined(f[2], ';'),
                            SplitJoined(f[3], ';'),
                            SplitJoined(f[4], ';'),
                            SplitJoined(f[5], ';'),
                            WholeDayUtc(f[6]),
                            WholeDayUtc(f[7]),
                            f[8],
                            f[9]};
    FieldErrors errors;
    std::optional<StoredWhitelistEntry> stored = CheckEntry(principal, *policy, input, errors);
    for (const FieldError& error : errors.errors()) report.issues.push_back({record.line, error});
    if (stored) entries.push_back(std::move(*stored));
  }
  if (!report.issues.empty() || dry_run) return report;
  return db::InTransaction<WhitelistImportReport>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<WhitelistImportReport> {
        for (const StoredWhitelistEntry& stored : entries) {
          RETURN_IF_ERROR(InsertEntry(c, principal, stored));
        }
        report.written = static_cast<int>(entries.size());
        return report;
      });
}

Result<StoredWhitelistEntry> GovernanceService::RevokeWhitelistEntry(
    const identity::Principal& principal, const std::string& id, const std::string& reason) {
  if (!MayChangeWhitelists(principal)) {
    return Status::PermissionDenied(
        "only compliance officers and platform admins change whitelists");
  }
  if (reason.empty()) return Status::Invalid("reason", "say why the entry is revoked", "required");
  RETURN_IF_ERROR(CheckTextField("reason", reason, 1000));
  return db::InTransaction<StoredWhitelistEntry>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<StoredWhitelistEntry> {
        RETURN_IF_ERROR(c.Lock("whitelist_entry", id));
        ASSIGN_OR_RETURN(db::Row row, c.QueryOne("SELECT " + std::string(kEntryColumns) +
                                                     " FROM whitelist_entries WHERE public_id = ?",
                                                 {id}, "whitelist entry"));
        ASSIGN_OR_RETURN(StoredWhitelistEntry stored, EntryOfRow(row));
        if (stored.entry.revoked_at) {
          return Status::Conflict("already_revoked", "the entry was revoked already");
        }
        TimePoint now = clock_.Now();
        stored.entry.revoked_at = now;
        stored.revoked_by = principal.public_id;
        stored.revoke_reason = reason;
        RETURN_IF_ERROR(c.Execute("UPDATE whitelist_entries SET revoked_at = ?, revoked_by = ?, "
                                  "revoke_reason = ? WHERE public_id = ?",
                                  {FormatUtc(now), principal.public_id, reason, id})
                            .status());
        RETURN_IF_ERROR(ledger_.Append(
            c, {"whitelist_revoked", id, principal.public_id, WhitelistEntryJson(stored)}));
        return stored;
      });
}

Result<db::Page<StoredWhitelistEntry>> GovernanceService::ListWhitelist(
    const identity::Principal& principal, const WhitelistQuery& query) const {
  if (!MayReadWhitelists(principal)) {
    return Status::PermissionDenied("only governance roles read whitelists");
  }
  FieldErrors errors;
  db::CheckPaging(query.limit, query.offset, 200, errors);
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  std::string from_where = "FROM whitelist_entries WHERE 1 = 1";
  db::Params params;
  if (!query.list.empty()) {
    from_where += " AND list = ?";
    params.emplace_back(query.list);
  }
  if (!query.subject.empty()) {
    from_where += " AND subject = ?";
    params.emplace_back(query.subject);
  }
  return db::CountThenPage<StoredWhitelistEntry>(
      *c, from_where, params, query.limit, query.offset,
      [&](const db::Params& page_params) -> Result<std::vector<StoredWhitelistEntry>> {
        ASSIGN_OR_RETURN(auto rows, c->Query("SELECT " + std::string(kEntryColumns) + " " +
                                                 from_where + " ORDER BY id DESC LIMIT ? OFFSET ?",
                                             page_params));
        std::vector<StoredWhitelistEntry> entries;
        for (const db::Row& row : rows) {
          ASSIGN_OR_RETURN(StoredWhitelistEntry entry, EntryOfRow(row));
          entries.push_back(std::move(entry));
        }
        return entries;
      });
}

Result<WhitelistAnswer> GovernanceService::WhitelistedAt(
    const identity::Principal& principal, const std::string& list, const std::string& subject,
    const std::string& kind, const std::string& direction, const std::string& line,
    const std::string& channel, const std::string& at) const {
  if (!principal.authenticated()) return Status::Unauthenticated();
  auto when = ParseUtc(at);
  if (!when) {
    return Status::Invalid("at", "a UTC time like 2026-06-01T09:00:00Z", "bad_format",
                           {{"format", "date_time"}});
  }
  if (list.empty() || subject.empty()) {
    return Status::Invalid(list.empty() ? "list" : "subject", "required", "required");
  }
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto rows, c->Query("SELECT " + std::string(kEntryColumns) +
                                           " FROM whitelist_entries WHERE list = ? AND subject = ? "
                                           "ORDER BY id",
                                       {list, subject}));
  std::vector<StoredWhitelistEntry> stored;
  std::vector<WhitelistEntry> entries;
  for (const db::Row& row : rows) {
    ASSIGN_OR_RETURN(StoredWhitelistEntry entry, EntryOfRow(row));
    entries.push_back(entry.entry);
    stored.push_back(std::move(entry));
  }
  WhitelistIndex index(std::move(entries));
  const WhitelistEntry* covering =
      index.Covering(list, subject, kind, direction, line, channel, *when);
  WhitelistAnswer answer;
  answer.covered = covering != nullptr;
  if (covering) answer.entry = stored[index.PositionOf(*covering)];
  return answer;
}

Result<WhitelistIndex> GovernanceService::LoadWhitelist(db::Connection& c) const {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT " + std::string(kEntryColumns) + " FROM whitelist_entries"));
  std::vector<WhitelistEntry> entries;
  entries.reserve(rows.size());
  for (const db::Row& row : rows) {
    ASSIGN_OR_RETURN(StoredWhitelistEntry entry, EntryOfRow(row));
    entries.push_back(std::move(entry.entry));
  }
  return WhitelistIndex(std::move(entries));
}

Result<json> GovernanceService::CheckFlow(const identity::Principal& principal,
                                          const json& request) const {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<json>(
      database_, db::TxMode::kRead, [&](db::Connection& c) -> Result<json> {
        ASSIGN_OR_RETURN(std::shared_ptr<const PolicySet> policy, versions_.Active(c));
        ASSIGN_OR_RETURN(Facts facts, policy->ReadFacts(request));
        ASSIGN_OR_RETURN(Decision decision, Decide(c, *policy, facts, true));
        return DecisionJson(*policy, decision);
      });
}

Result<Decision> GovernanceService::Decide(db::Connection& c, const PolicySet& policy,
                                           const Facts& facts, bool explain) const {
  ASSIGN_OR_RETURN(WhitelistIndex whitelist, LoadWhitelist(c));
  Decision decision = policy.Decide(facts, whitelist);
  if (explain) policy.Explain(facts, whitelist, decision);
  return decision;
}

}  // namespace parkhub::governance

namespace parkhub::governance {

const std::vector<std::pair<std::string_view, std::string_view>>& BuiltInPolicyFiles();

std::string_view BuiltInPolicyToml() { return BuiltInPolicyFiles().front().second; }

}  // namespace parkhub::governance
