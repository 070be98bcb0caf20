// RegistryService: the rules of the member registry of a park network.
//
// Reads of organisations, parks and alliances are public (the registry is what a park shows the
// world); people, memberships and every write need a principal with the right scoped role:
//   - create organisations: platform admin or any park operator;
//   - edit an organisation: its org admin (or an admin of an ancestor), an operator of a park it
//     belongs to, or a platform admin;
//   - apply for membership: the organisation's admin or the park's operator;
//   - move a membership through the settle-in workflow: only operators of that park;
//   - alliances: the alliance's operators/admins or a platform admin;
//   - people: any signed-in user may read a profile; its e-mail only editors of the person and
//     park operators; editors of an organisation the person is affiliated with may write, and
//     adding an affiliation needs both the person and the new organisation.
// Every write runs in one transaction, so a failed call writes nothing. Every workflow
// transition records actor, time and note. Thread-safe (each call takes its own connection).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "db/database.h"
#include "db/migrator.h"
#include "identity/principal.h"
#include "registry/model.h"
#include "text/name_collation.h"
#include "text/text_folder.h"

namespace parkhub::registry {

using identity::Principal;

struct ImportIssue {
  int line = 0;
  std::string field;
  std::string reason;
};

struct ImportReport {
  int rows = 0;
  int valid = 0;
  int written = 0;
  bool dry_run = true;
  std::vector<ImportIssue> issues;
};

// Called with (rows done, rows total) while an import runs; used for the CLI progress bar.
using ProgressCallback = std::function<void(int, int)>;

class RegistryService {
 public:
  RegistryService(db::Database& database, const Clock& clock, const text::TextFolder& folder,
                  const text::NameCollation& collation)
      : database_(database), clock_(clock), folder_(folder), collation_(collation) {}

  // A number that changes whenever an organisation, its tags or a membership changes (in any
  // process): what public list pages depend on, so callers can cache them per value.
  Result<int64_t> ListVersion();
  // Computes the sort keys of organisations written before the keys existed (migration 0014);
  // run at start, after migrating. Idempotent, and safe on several instances at once.
  Status FillSortKeys();

  // Organisations
  Result<Page<Organization>> ListOrganizations(const OrganizationQuery& query);
  Result<Organization> GetOrganization(const std::string& id);
  Result<Organization> CreateOrganization(const Principal& principal,
                                          const OrganizationInput& input);
  Result<Organization> UpdateOrganization(const Principal& principal, const std::string& id,
                                          const OrganizationInput& patch);

  // Parks
  Result<std::vector<Organization>> ListParks();
  Result<ParkSummary> GetPark(const std::string& id);

  // Memberships and the settle-in workflow
  Result<Page<Membership>> ListMemberships(const Principal& principal,
                                           const MembershipQuery& query);
  Result<Membership> GetMembership(const Principal& principal, const std::string& id);
  Result<Membership> ApplyForMembership(const Principal& principal, const std::string& park_id,
                                        const std::string& organization_id,
                                        const std::string& note);
  Result<Membership> TransitionMembership(const Principal& principal, const std::string& id,
                                          const std::string& to_state, const std::string& note);

  // Alliances
  Result<std::vector<Alliance>> ListAlliances();
  Result<Alliance> GetAlliance(const std::string& id);
  Result<Alliance> AddAllianceMember(const Principal& principal, const std::string& alliance_id,
                                     const std::string& organization_id,
                                     const std::string& joined_on);
  Result<Agreement> AddAgreement(const Principal& principal, const std::string& alliance_id,
                                 const Agreement& agreement);

  // People
  Result<Page<Person>> ListPeople(const Principal& principal, const PersonQuery& query);
  Result<Person> GetPerson(const Principal& principal, const std::string& id);
  Result<Person> CreatePerson(const Principal& principal, const PersonInput& input,
                              const std::vector<AffiliationInput>& affiliations);
  Result<Person> UpdatePerson(const Principal& principal, const std::string& id,
                              const PersonInput& patch);
  Result<Person> AddAffiliation(const Principal& principal, const std::string& person_id,
                                const AffiliationInput& input);

  // CSV import and export (columns in docs/operations.md). An import with any bad row writes
  // nothing; a dry run only reports.
  Result<ImportReport> ImportOrganizationsCsv(const Principal& principal, std::string_view csv,
                                              bool dry_run, const ProgressCallback& progress = {});
  Result<ImportReport> ImportPeopleCsv(const Principal& principal, std::string_view csv,
                                       bool dry_run, const ProgressCallback& progress = {});
  Result<std::string> ExportOrganizationsCsv();
  Result<std::string> ExportPeopleCsv(const Principal& principal);

  // The demo loader and the CLI act as the system itself, not as a user.
  static Principal SystemPrincipal();

 private:
  struct OrgRow {
    int64_t id;
    std::string type;
    int64_t parent_id;
  };
  Result<OrgRow> FindOrg(db::Connection& c, const std::string& public_id, const std::string& field);
  Result<Organization> LoadOrganization(db::Connection& c, int64_t row_id);
  // Fills each organisation's tags (sorted); `rows` are the rows they were read from (id first).
  Status LoadTags(db::Connection& c, const std::vector<db::Row>& rows,
                  std::vector<Organization>& organizations);
  Result<std::vector<Organization>> LoadOrganizations(db::Connection& c, const std::string& where,
                                                      const db::Params& params);
  Status ValidateOrganization(db::Connection& c, OrganizationInput& input, bool creating,
                              int64_t self_id, FieldErrors& errors);
  Result<int64_t> InsertOrganization(db::Connection& c, const OrganizationInput& input);
  Status WriteTags(db::Connection& c, int64_t org_id, const std::vector<std::string>& tags);
  std::string SearchKey(const OrganizationInput& input) const;
  std::string SortName(const OrganizationInput& input) const;
  // The pinyin and stroke-order keys of the names shown under zh-Hans and zh-Hant.
  std::pair<std::string, std::string> ChineseSortKeys(const Names& names) const;
  Result<bool> CanEditOrganization(db::Connection& c, const Principal& p, int64_t org_id);
  Result<std::vector<int64_t>> ParkIdsOf(db::Connection& c, int64_t org_id);
  // The membership as `viewer` sees it (Membership::allowed_next holds what the viewer may do).
  Result<Membership> LoadMembership(db::Connection& c, int64_t membership_id, bool with_history,
                                    const Principal& viewer);
  // The history row of a membership step and its domain event.
  Status RecordMembershipEvent(db::Connection& c, int64_t membership_row, const std::string& from,
                               const std::string& to, const identity::Principal& principal,
                               const std::string& now, const std::string& note);
  Result<bool> CanSeeMembership(db::Connection& c, const Principal& p, int64_t park_id,
                                int64_t org_id);
  static bool CanManageAlliance(const Principal& p, int64_t alliance_id);
  Result<Alliance> LoadAlliance(db::Connection& c, int64_t alliance_id);
  // The person as `viewer` may see them: contact details only for those CanSeeContacts.
  Result<Person> LoadPerson(db::Connection& c, int64_t person_id, const Principal& viewer);
  // Who may edit a person: a platform admin, or whoever may edit one of the organisations the
  // person is affiliated with now (CanEditOrganization).
  Result<bool> CanEditPerson(db::Connection& c, const Principal& p, int64_t person_id);
  // Who may read a person's e-mail: those who may edit them, and park operators.
  Result<bool> CanSeeContacts(db::Connection& c, const Principal& p, int64_t person_id);
  Status ValidatePerson(const PersonInput& input, bool creating, FieldErrors& errors) const;
  Status ValidateAffiliation(db::Connection& c, const Principal& p, const AffiliationInput& input,
                             const std::string& prefix, FieldErrors& errors,
                             int64_t* org_row_id);
  Result<int64_t> InsertPerson(db::Connection& c, const PersonInput& input);
  Status InsertAffiliation(db::Connection& c, int64_t person_id, int64_t org_id,
                           const AffiliationInput& input);
  std::string Now() const { return FormatUtc(clock_.Now()); }

  db::Database& database_;
  const Clock& clock_;
  const text::TextFolder& folder_;
  const text::NameCollation& collation_;
};

// This module's tables: its migrations/<dialect>/*.sql, embedded at build time (db/migrator.h).
std::vector<db::Migration> SchemaMigrations(std::string_view dialect);

}  // namespace parkhub::registry
