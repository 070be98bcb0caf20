// FacilityReports: what facilities owe and how they are used, computed from booking records.
//   - Monthly statement per organisation: every charged booking (approved, checked in,
//     completed or no-show) that started in the month, at its frozen price; CSV and XLSX.
//   - Utilisation per resource and per owner organisation over a window: booked hours, used
//     hours (check-in to check-out), the external share (booked by organisations other than the
//     owner) and the Hong Kong and Macao share — the measures of the national
//     instrument-sharing assessment.
// Statements are visible to the organisation's admins and platform admins; utilisation to the
// owner's managers and platform admins. Thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/clock.h"
#include "db/database.h"
#include "identity/principal.h"
#include "registry/names.h"

namespace parkhub::facilities {

struct StatementLine {
  std::string booking_id;
  registry::Names resource_names;
  std::string user;
  std::string state;
  int64_t starts_at = 0;  // UTC seconds
  int64_t ends_at = 0;
  std::string time_zone;        // the resource's
  std::string starts_at_local;  // "YYYY-MM-DD HH:MM zone", for the CSV and XLSX files
  std::string ends_at_local;
  double hours = 0;
  std::string category;
  int64_t amount_minor = 0;
  std::string currency;
};

struct Statement {
  std::string organization_id;
  registry::Names organization_names;
  std::string month;  // YYYY-MM
  std::vector<StatementLine> lines;
  std::map<std::string, int64_t> totals_minor;  // currency -> total
};

struct Utilisation {
  std::string subject_id;  // resource or organisation public id
  registry::Names subject_names;  // a resource's; empty for an owner's total
  double booked_hours = 0;
  double used_hours = 0;
  double external_hours = 0;
  double hk_macao_hours = 0;
  int64_t bookings = 0;
  double external_share() const { return booked_hours > 0 ? external_hours / booked_hours : 0; }
  double hk_macao_share() const { return booked_hours > 0 ? hk_macao_hours / booked_hours : 0; }
  std::vector<Utilisation> resources;  // for an owner: each of its resources, by name
};

class FacilityReports {
 public:
  explicit FacilityReports(db::Database& database) : database_(database) {}

  Result<Statement> MonthlyStatement(const identity::Principal& p, const std::string& org_id,
                                     const std::string& month);
  Result<Utilisation> ResourceUtilisation(const identity::Principal& p,
                                          const std::string& resource_id, int64_t from,
                                          int64_t to);
  Result<Utilisation> OwnerUtilisation(const identity::Principal& p, const std::string& org_id,
                                       int64_t from, int64_t to);
  // Every resource of the park's settled members: for the park's operators and platform admins.
  Result<Utilisation> ParkUtilisation(const identity::Principal& p, const std::string& park_id,
                                      int64_t from, int64_t to);

 private:
  // One row per resource matching `scope_sql` (on `r`), idle ones included, by name.
  Result<std::vector<Utilisation>> MeasureResources(db::Connection& c, const std::string& scope_sql,
                                                    const db::Params& scope_params, int64_t from,
                                                    int64_t to);
  // The sum of `parts`, which it keeps as its resources.
  static Utilisation Total(const std::string& subject_id, std::vector<Utilisation> parts);
  db::Database& database_;
};

std::string StatementCsv(const Statement& statement);
// The statement as an .xlsx workbook (libxlsxwriter), as bytes.
Result<std::string> StatementXlsx(const Statement& statement);

}  // namespace parkhub::facilities
