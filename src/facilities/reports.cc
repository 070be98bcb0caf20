#include "facilities/reports.h"

#include <xlsxwriter.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/csv.h"
#include "core/random.h"
#include "facilities/facility_internal.h"
#include "facilities/local_time.h"

namespace parkhub::facilities {


namespace {

// Booked time counts while a booking holds or used its slot.
const char kCharged[] = "('approved', 'checked_in', 'completed', 'no_show')";

Result<std::pair<int64_t, int64_t>> MonthWindow(const std::string& month) {
  int year = 0, mon = 0, consumed = 0;
  if (month.size() != 7 ||
      std::sscanf(month.c_str(), "%4d-%2d%n", &year, &mon, &consumed) != 2 || consumed != 7 ||
      mon < 1 || mon > 12) {
    return Status::Invalid("month", "must be YYYY-MM", "bad_format", {{"format", "month"}});
  }
  char first[32], next[32];
  std::snprintf(first, sizeof first, "%04d-%02d-01", year, mon);
  std::snprintf(next, sizeof next, "%04d-%02d-01", mon == 12 ? year + 1 : year, mon == 12 ? 1 : mon + 1);
  auto start = ParseUtc(std::string(first) + "T00:00:00Z");
  auto end = ParseUtc(std::string(next) + "T00:00:00Z");
  return std::make_pair(ToUnixSeconds(*start), ToUnixSeconds(*end));
}

std::string Money(int64_t minor) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%s%lld.%02lld", minor < 0 ? "-" : "",
                static_cast<long long>(std::llabs(minor) / 100),
                static_cast<long long>(std::llabs(minor) % 100));
  return buffer;
}

}  // namespace

Result<Statement> FacilityReports::MonthlyStatement(const identity::Principal& p,
                                                    const std::string& org_id,
                                                    const std::string& month) {
  if (!p.authenticated()) return Status::Unauthenticated();
  ASSIGN_OR_RETURN(auto window, MonthWindow(month));
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto org, registry::Directory::FindOrganization(*c, org_id));
  if (!org) return Status::NotFound("organisation");
  ASSIGN_OR_RETURN(auto orgs, registry::OrgGraph::Load(*c, p));
  if (!orgs.Administers(org->row_id)) {
    return Status::PermissionDenied("statements are for the organisation's admins");
  }
  Statement statement{org_id, org->names, month, {}, {}};
  ASSIGN_OR_RETURN(auto rows,
                   c->Query(std::string("SELECT b.public_id, r.name_zh, r.name_zh_hant, r.name_en, "
                                        "b.user_id, "
                                        "b.state, b.starts_at, b.ends_at, r.time_zone, "
                                        "b.category, b.price_minor, b.currency FROM "
                                        "bookings b JOIN resources r ON r.id = "
                                        "b.resource_id WHERE b.organization_id = ? AND "
                                        "b.starts_at >= ? AND b.starts_at < ? AND "
                                        "b.state IN ") +
                                kCharged + " ORDER BY b.starts_at",
                            {org->row_id, window.first, window.second}));
  ASSIGN_OR_RETURN(auto usernames, identity::IdentityService::UsernamesIn(*c, rows, 4));
  for (const auto& row : rows) {
    db::RowReader read(row);
    StatementLine line;
    line.booking_id = read.Text();
    line.resource_names = ReadResourceNames(read);
    line.user = usernames[read.Int()];
    line.state = read.Text();
    line.starts_at = read.Int();
    line.ends_at = read.Int();
    line.time_zone = read.Text();
    line.starts_at_local = FormatInLocal(line.starts_at, line.time_zone) + " " + line.time_zone;
    line.ends_at_local = FormatInLocal(line.ends_at, line.time_zone);
    line.hours = static_cast<double>(line.ends_at - line.starts_at) / 3600.0;
    line.category = read.Text();
    line.amount_minor = read.Int();
    line.currency = read.Text();
    RETURN_IF_ERROR(read.Done());
    statement.totals_minor[line.currency] += line.amount_minor;
    statement.lines.push_back(std::move(line));
  }
  return statement;
}

Result<std::vector<Utilisation>> FacilityReports::MeasureResources(db::Connection& c,
                                                                   const std::string& scope_sql,
                                                                   const db::Params& scope_params,
                                                                   int64_t from, int64_t to) {
  // Hours are clipped to the window [from, to); used time runs from check-in to check-out.
  // The inner query clips each charged booking (CASE, not the dialect-specific scalar MIN/MAX).
  // Hong Kong and Macao hours are those booked by organisations of those regions.
  ASSIGN_OR_RETURN(auto hk_macao, registry::Directory::OrganizationsInRegions(c, {"hong_kong", "macao"}));
  db::Params params = {from, from, to, to, from, from, to, to};
  std::string hk_macao_orgs = db::InList(hk_macao, params);
  params.insert(params.end(), {to, from});
  params.insert(params.end(), scope_params.begin(), scope_params.end());
  ASSIGN_OR_RETURN(
      auto rows,
      c.Query(
          std::string("SELECT r.public_id, r.name_zh, r.name_zh_hant, r.name_en, COUNT(w.id), "
                      "COALESCE(SUM(w.clipped_end - "
                      "w.clipped_start), 0), COALESCE(SUM(CASE WHEN w.used_end > w.used_start "
                      "THEN w.used_end - w.used_start ELSE 0 END), 0), COALESCE(SUM(CASE WHEN "
                      "w.organization_id <> r.owner_id THEN w.clipped_end - w.clipped_start "
                      "ELSE 0 END), 0), COALESCE(SUM(CASE WHEN w.hk_macao = 1 THEN "
                      "w.clipped_end - w.clipped_start ELSE 0 END), 0) FROM "
                      "resources r LEFT JOIN (SELECT b.id, b.resource_id, b.organization_id, "
                      "CASE WHEN b.starts_at > ? THEN b.starts_at ELSE ? END AS "
                      "clipped_start, CASE WHEN b.ends_at < ? THEN b.ends_at ELSE ? END AS "
                      "clipped_end, CASE WHEN b.checked_in_at IS NULL THEN 0 WHEN "
                      "b.checked_in_at > ? THEN b.checked_in_at ELSE ? END AS used_start, "
                      "CASE WHEN b.checked_in_at IS NULL THEN 0 WHEN COALESCE(b.checked_out_at, "
                      "b.ends_at) < ? THEN COALESCE(b.checked_out_at, b.ends_at) ELSE ? END AS "
                      "used_end, CASE WHEN b.organization_id IN (") +
              hk_macao_orgs +
              ") THEN 1 ELSE 0 END AS hk_macao FROM bookings b WHERE b.starts_at < ? AND "
              "b.ends_at > ? AND b.state IN " +
              kCharged + ") w ON w.resource_id = r.id WHERE " + scope_sql +
              " GROUP BY r.id ORDER BY r.name_en, r.id",
          params));
  std::vector<Utilisation> out;
  auto hours = [](int64_t seconds) { return static_cast<double>(seconds) / 3600.0; };
  for (const auto& row : rows) {
    db::RowReader read(row);
    Utilisation u;
    u.subject_id = read.Text();
    u.subject_names = ReadResourceNames(read);
    u.bookings = read.Int();
    u.booked_hours = hours(read.Int());
    u.used_hours = hours(read.Int());
    u.external_hours = hours(read.Int());
    u.hk_macao_hours = hours(read.Int());
    RETURN_IF_ERROR(read.Done());
    out.push_back(std::move(u));
  }
  return out;
}

Result<Utilisation> FacilityReports::ResourceUtilisation(const identity::Principal& p,
                                                         const std::string& resource_id,
                                                         int64_t from, int64_t to) {
  if (!p.authenticated()) return Status::Unauthenticated();
  if (to <= from) {
    return Status::Invalid("to", "must be after from", "not_after", {{"other", "from"}});
  }
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto r, c->QueryOne("SELECT id, owner_id FROM resources WHERE public_id = ?",
                                       {resource_id}, "resource"));
  ASSIGN_OR_RETURN(bool manages, ManagesFacilitiesOf(*c, p, r.Int(1)));
  if (!manages) {
    return Status::PermissionDenied("utilisation is for the resource's managers");
  }
  ASSIGN_OR_RETURN(auto measured, MeasureResources(*c, "r.id = ?", {r.Int(0)}, from, to));
  if (measured.empty()) return Status::NotFound("resource");
  return measured.front();
}

Result<Utilisation> FacilityReports::OwnerUtilisation(const identity::Principal& p,
                                                      const std::string& org_id, int64_t from,
                                                      int64_t to) {
  if (!p.authenticated()) return Status::Unauthenticated();
  if (to <= from) {
    return Status::Invalid("to", "must be after from", "not_after", {{"other", "from"}});
  }
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto org, registry::Directory::FindOrganization(*c, org_id));
  if (!org) return Status::NotFound("organisation");
  ASSIGN_OR_RETURN(bool manages, ManagesFacilitiesOf(*c, p, org->row_id));
  if (!manages) {
    return Status::PermissionDenied("utilisation is for the owner's managers");
  }
  ASSIGN_OR_RETURN(auto resources, MeasureResources(*c, "r.owner_id = ?", {org->row_id}, from, to));
  return Total(org_id, std::move(resources));
}

Result<Utilisation> FacilityReports::ParkUtilisation(const identity::Principal& p,
                                                     const std::string& park_id, int64_t from,
                                                     int64_t to) {
  if (!p.authenticated()) return Status::Unauthenticated();
  if (to <= from) {
    return Status::Invalid("to", "must be after from", "not_after", {{"other", "from"}});
  }
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto members, registry::Directory::SettledMembersOfOperatedPark(*c, p, park_id));
  std::vector<Utilisation> resources;
  if (!members.empty()) {
    db::Params params;
    std::string in = db::InList(members, params);
    ASSIGN_OR_RETURN(resources,
                     MeasureResources(*c, "r.owner_id IN (" + in + ")", params, from, to));
  }
  return Total(park_id, std::move(resources));
}

Utilisation FacilityReports::Total(const std::string& subject_id, std::vector<Utilisation> parts) {
  Utilisation total;
  total.subject_id = subject_id;
  for (const auto& part : parts) {
    total.bookings += part.bookings;
    total.booked_hours += part.booked_hours;
    total.used_hours += part.used_hours;
    total.external_hours += part.external_hours;
    total.hk_macao_hours += part.hk_macao_hours;
  }
  total.resources = std::move(parts);
  return total;
}

std::string StatementCsv(const Statement& s) {
  std::string out = CsvLine({"booking", "resource", "user", "state", "starts (local)",
                             "ends (local)", "hours", "category", "amount", "currency"});
  for (const auto& l : s.lines) {
    char hours[32];
    std::snprintf(hours, sizeof hours, "%.2f", l.hours);
    out +=
        CsvLine({l.booking_id, l.resource_names.EnglishFirst(), l.user, l.state, l.starts_at_local,
                 l.ends_at_local, hours, l.category, Money(l.amount_minor), l.currency});
  }
  for (const auto& [currency, total] : s.totals_minor) {
    out += CsvLine({"total", "", "", "", "", "", "", "", Money(total), currency});
  }
  return out;
}

Result<std::string> StatementXlsx(const Statement& s) {
  std::string path = (std::filesystem::temp_directory_path() / ("parkhub-statement-" + RandomToken(8) + ".xlsx")).string();
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (workbook == nullptr) return Status::Internal("cannot create a workbook");
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, s.month.c_str());
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  lxw_format* money = workbook_add_format(workbook);
  format_set_num_format(money, "#,##0.00");
  std::string title = "Statement " + s.month + " — " + s.organization_names.EnglishFirst();
  worksheet_write_string(sheet, 0, 0, title.c_str(), bold);
  const char* headers[] = {"Booking", "Resource", "User", "State", "Starts (local)", "Ends (local)",
                           "Hours", "Category", "Amount", "Currency"};
  for (int col = 0; col < 10; ++col) worksheet_write_string(sheet, 2, col, headers[col], bold);
  lxw_row_t row = 3;
  for (const auto& l : s.lines) {
    worksheet_write_string(sheet, row, 0, l.booking_id.c_str(), nullptr);
    worksheet_write_string(sheet, row, 1, l.resource_names.EnglishFirst().c_str(), nullptr);
    worksheet_write_string(sheet, row, 2, l.user.c_str(), nullptr);
    worksheet_write_string(sheet, row, 3, l.state.c_str(), nullptr);
    worksheet_write_string(sheet, row, 4, l.starts_at_local.c_str(), nullptr);
    worksheet_write_string(sheet, row, 5, l.ends_at_local.c_str(), nullptr);
    worksheet_write_number(sheet, row, 6, l.hours, nullptr);
    worksheet_write_string(sheet, row, 7, l.category.c_str(), nullptr);
    worksheet_write_number(sheet, row, 8, static_cast<double>(l.amount_minor) / 100.0, money);
    worksheet_write_string(sheet, row, 9, l.currency.c_str(), nullptr);
    ++row;
  }
  for (const auto& [currency, total] : s.totals_minor) {
    worksheet_write_string(sheet, row, 0, "Total", bold);
    worksheet_write_number(sheet, row, 8, static_cast<double>(total) / 100.0, money);
    worksheet_write_string(sheet, row, 9, currency.c_str(), nullptr);
    ++row;
  }
  lxw_error error = workbook_close(workbook);
  if (error != LXW_NO_ERROR) {
    std::filesystem::remove(path);
    return Status::Internal(std::string("xlsx: ") + lxw_strerror(error));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::filesystem::remove(path);
  return bytes.str();
}

}  // namespace parkhub::facilities
