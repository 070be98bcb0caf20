// CSV import and export of organisations and people. An import validates every row inside one
// write transaction and commits only when no row is bad and it is not a dry run.
#include <functional>
#include <map>

#include "core/csv.h"
#include "registry/registry_internal.h"
#include "registry/registry_service.h"

namespace parkhub::registry {

using identity::Role;

namespace {

const std::vector<std::string> kOrganizationColumns = {
    "type", "name_zh_hans", "name_zh_hant", "name_en", "region", "province",
    "city", "country",      "website",      "parent_id", "tags"};
const std::vector<std::string> kPeopleColumns = {"name_zh",         "name_en", "kind",
                                                 "email",           "topics",  "organization_id",
                                                 "role",            "start_date", "end_date"};
constexpr size_t kMaxImportBytes = 64 << 20;

// Maps header names to column positions; reports unknown and missing columns.
Result<std::map<std::string, size_t>> ReadHeader(const CsvRecord& header,
                                                 const std::vector<std::string>& known,
                                                 const std::vector<std::string>& required) {
  std::map<std::string, size_t> columns;
  for (size_t i = 0; i < header.fields.size(); ++i) {
    std::string name(Trim(header.fields[i]));
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return Status::Invalid("header", "unknown column '" + name + "'", "unknown_column",
                             {{"column", name}});
    }
    if (!columns.emplace(name, i).second) {
      return Status::Invalid("header", "column '" + name + "' appears twice", "duplicate",
                             {{"column", name}});
    }
  }
  for (const auto& name : required) {
    if (!columns.count(name)) {
      return Status::Invalid("header", "missing column '" + name + "'", "missing_column",
                             {{"column", name}});
    }
  }
  return columns;
}

std::optional<std::string> Cell(const CsvRecord& record, const std::map<std::string, size_t>& columns,
                                const std::string& name) {
  auto it = columns.find(name);
  if (it == columns.end() || it->second >= record.fields.size()) return std::nullopt;
  return record.fields[it->second];
}

Result<std::vector<CsvRecord>> ParseImport(std::string_view csv) {
  if (csv.size() > kMaxImportBytes) {
    return Status::Invalid("file", "larger than 64 MiB", "too_large", {{"max_mib", 64}});
  }
  if (!IsValidUtf8(csv)) return Status::Invalid("file", "is not valid UTF-8", "invalid_utf8");
  ASSIGN_OR_RETURN(auto records, ParseCsv(csv));
  if (records.empty()) {
    return Status::Invalid("file", "is empty; the first line is the header", "required");
  }
  return records;
}

void AddIssues(ImportReport& report, int line, const Status& status) {
  if (status.field_errors().empty()) {
    report.issues.push_back({line, "", status.message()});
    return;
  }
  for (const auto& e : status.field_errors()) report.issues.push_back({line, e.field, e.reason});
}

// Rolls back the import's transaction when nothing must be written.
constexpr char kRollbackMarker[] = "import_not_written";

bool IsRowProblem(const Status& status) {
  switch (status.code()) {
    case ErrorCode::kUnprocessable:
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kConflict:
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kNotFound:
      return true;
    default:
      return false;
  }
}

// Imports `records` (the header first) in one write transaction. `import_row(c, record, write)`
// validates a row and, when `write`, inserts it; a row problem (field errors, conflict,
// permission) becomes an issue of that line. Rows keep being checked after the first problem so
// the report lists every bad row, but nothing is inserted after it, and the transaction commits
// only when every row was good and this is not a dry run.
using RowImporter = std::function<Status(db::Connection&, const CsvRecord&, bool write)>;
Result<ImportReport> RunImport(db::Database& database, const std::vector<CsvRecord>& records,
                               bool dry_run, const ProgressCallback& progress,
                               const RowImporter& import_row) {
  ImportReport report;
  report.dry_run = dry_run;
  report.rows = static_cast<int>(records.size()) - 1;
  auto outcome = db::InTransaction<bool>(
      database, db::TxMode::kWrite, [&](db::Connection& c) -> Result<bool> {
        for (size_t i = 1; i < records.size(); ++i) {
          const CsvRecord& record = records[i];
          if (record.fields.size() != records[0].fields.size()) {
            report.issues.push_back({record.line, "",
                                     "expected " + std::to_string(records[0].fields.size()) +
                                         " fields, found " + std::to_string(record.fields.size())});
          } else if (Status s = import_row(c, record, report.issues.empty()); !s.ok()) {
            if (!IsRowProblem(s)) return s;
            AddIssues(report, record.line, s);
          } else {
            ++report.valid;
          }
          if (progress) progress(static_cast<int>(i), report.rows);
        }
        if (!report.issues.empty() || dry_run) {
          return Status(ErrorCode::kFailedPrecondition, kRollbackMarker, "");
        }
        return true;
      });
  if (!outcome.ok() && outcome.status().reason() != kRollbackMarker) return outcome.status();
  if (outcome.ok()) report.written = report.valid;
  return report;
}

}  // namespace

Result<ImportReport> RegistryService::ImportOrganizationsCsv(const Principal& principal,
                                                             std::string_view csv, bool dry_run,
                                                             const ProgressCallback& progress) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  if (!principal.IsPlatformAdmin() && !principal.HasRoleAnywhere(Role::kParkOperator)) {
    return Status::PermissionDenied("only platform admins and park operators import organisations");
  }
  ASSIGN_OR_RETURN(auto records, ParseImport(csv));
  // An export's "id" column is accepted and ignored, so an export re-imports as it is.
  std::vector<std::string> known = kOrganizationColumns;
  known.push_back("id");
  ASSIGN_OR_RETURN(auto columns, ReadHeader(records[0], known, {"type", "region"}));
  return RunImport(database_, records, dry_run, progress,
                   [&](db::Connection& c, const CsvRecord& record, bool write) -> Status {
                     OrganizationInput input;
                     input.type = Cell(record, columns, "type");
                     input.name_zh_hans = Cell(record, columns, "name_zh_hans");
                     input.name_zh_hant = Cell(record, columns, "name_zh_hant");
                     input.name_en = Cell(record, columns, "name_en");
                     input.region = Cell(record, columns, "region");
                     input.province = Cell(record, columns, "province");
                     input.city = Cell(record, columns, "city");
                     input.country = Cell(record, columns, "country");
                     input.website = Cell(record, columns, "website");
                     input.parent_id = Cell(record, columns, "parent_id");
                     if (auto tags = Cell(record, columns, "tags"); tags && !Trim(*tags).empty()) {
                       input.tags = SplitJoined(*tags, ';');
                     }
                     FieldErrors errors;
                     RETURN_IF_ERROR(ValidateOrganization(c, input, true, 0, errors));
                     RETURN_IF_ERROR(errors.ToStatus());
                     if (!write) return Status::Ok();
                     auto inserted = InsertOrganization(c, input);
                     return inserted.ok() ? Status::Ok() : inserted.status();
                   });
}

Result<ImportReport> RegistryService::ImportPeopleCsv(const Principal& principal,
                                                      std::string_view csv, bool dry_run,
                                                      const ProgressCallback& progress) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  ASSIGN_OR_RETURN(auto records, ParseImport(csv));
  ASSIGN_OR_RETURN(auto columns, ReadHeader(records[0], kPeopleColumns,
                                            {"kind", "organization_id", "role"}));
  return RunImport(database_, records, dry_run, progress,
                   [&](db::Connection& c, const CsvRecord& record, bool write) -> Status {
                     PersonInput person;
                     person.name_zh = Cell(record, columns, "name_zh");
                     person.name_en = Cell(record, columns, "name_en");
                     person.kind = Cell(record, columns, "kind");
                     person.email = Cell(record, columns, "email");
                     person.topics = Cell(record, columns, "topics");
                     AffiliationInput affiliation{
                         Cell(record, columns, "organization_id").value_or(""),
                         Cell(record, columns, "role").value_or(""),
                         Cell(record, columns, "start_date").value_or(""),
                         Cell(record, columns, "end_date").value_or("")};
                     FieldErrors errors;
                     RETURN_IF_ERROR(ValidatePerson(person, true, errors));
                     int64_t org_id = 0;
                     Status allowed =
                         ValidateAffiliation(c, principal, affiliation, "", errors, &org_id);
                     if (!allowed.ok()) {
                       errors.Add("organization_id", allowed.message(), "not_administered");
                     }
                     RETURN_IF_ERROR(errors.ToStatus());
                     if (!write) return Status::Ok();
                     ASSIGN_OR_RETURN(int64_t person_id, InsertPerson(c, person));
                     return InsertAffiliation(c, person_id, org_id, affiliation);
                   });
}

Result<std::string> RegistryService::ExportOrganizationsCsv() {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto organizations, LoadOrganizations(*c, "ORDER BY o.id", {}));
  std::vector<std::string> header = {"id"};
  header.insert(header.end(), kOrganizationColumns.begin(), kOrganizationColumns.end());
  std::string out = CsvLine(header);
  for (const auto& o : organizations) {
    std::string tags;
    for (const auto& tag : o.tags) tags += (tags.empty() ? "" : ";") + tag;
    out += CsvLine({o.id, o.type, o.names.zh_hans, o.names.zh_hant, o.names.en, o.region,
                    o.province, o.city, o.country, o.website, o.parent_id, tags});
  }
  return out;
}

Result<std::string> RegistryService::ExportPeopleCsv(const Principal& principal) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto rows, c->Query("SELECT id FROM people ORDER BY id"));
  std::vector<std::string> header = {"id"};
  header.insert(header.end(), kPeopleColumns.begin(), kPeopleColumns.end());
  std::string out = CsvLine(header);
  for (const auto& row : rows) {
    ASSIGN_OR_RETURN(auto p, LoadPerson(*c, row.Int(0), principal));
    if (p.affiliations.empty()) {
      out += CsvLine({p.id, p.name_zh, p.name_en, p.kind, p.email, p.topics, "", "", "", ""});
    }
    for (const auto& a : p.affiliations) {
      out += CsvLine({p.id, p.name_zh, p.name_en, p.kind, p.email, p.topics, a.organization_id,
                      a.role, a.start_date, a.end_date});
    }
  }
  return out;
}

}  // namespace parkhub::registry
