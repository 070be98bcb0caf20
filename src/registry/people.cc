// People (researchers, experts, technology-transfer managers) and their affiliations.
#include "core/clock.h"
#include "core/random.h"
#include "registry/directory.h"
#include "registry/registry_internal.h"
#include "registry/registry_service.h"

namespace parkhub::registry {

using identity::Role;

namespace {
bool LooksLikeEmail(const std::string& email) {
  auto at = email.find('@');
  return at != std::string::npos && at > 0 && email.find('.', at) != std::string::npos &&
         email.find(' ') == std::string::npos && email.back() != '.';
}
}  // namespace

Result<Person> RegistryService::LoadPerson(db::Connection& c, int64_t person_id,
                                           const Principal& viewer) {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT public_id, name_zh, name_en, kind, email, topics, "
                                        "version, created_at, updated_at FROM people WHERE id = ?",
                                        {person_id}, "person"));
  db::RowReader read(row);
  Person p;
  p.id = read.Text();
  p.name_zh = read.Text();
  p.name_en = read.Text();
  p.kind = read.Text();
  p.email = read.Text();
  p.topics = read.Text();
  p.version = read.Int();
  p.created_at = read.Text();
  p.updated_at = read.Text();
  RETURN_IF_ERROR(read.Done());
  ASSIGN_OR_RETURN(auto affiliations,
                   c.Query("SELECT a.public_id, o.public_id, o.name_zh_hans, o.name_zh_hant, "
                           "o.name_en, a.role, a.start_date, a.end_date "
                           "FROM affiliations a JOIN organizations o ON o.id = a.organization_id "
                           "WHERE a.person_id = ? ORDER BY a.id",
                           {person_id}));
  for (const auto& a : affiliations) {
    db::RowReader field(a);
    Affiliation affiliation;
    affiliation.id = field.Text();
    affiliation.organization_id = field.Text();
    affiliation.organization_names = ReadNames(field);
    affiliation.role = field.Text();
    affiliation.start_date = field.Text();
    affiliation.end_date = field.Text();
    RETURN_IF_ERROR(field.Done());
    p.affiliations.push_back(std::move(affiliation));
  }
  ASSIGN_OR_RETURN(p.contacts_visible, CanSeeContacts(c, viewer, person_id));
  if (!p.contacts_visible) p.email.clear();
  return p;
}

Result<bool> RegistryService::CanSeeContacts(db::Connection& c, const Principal& p,
                                             int64_t person_id) {
  if (p.HasRoleAnywhere(Role::kParkOperator)) return true;
  return CanEditPerson(c, p, person_id);
}

Result<Page<Person>> RegistryService::ListPeople(const Principal& principal,
                                                 const PersonQuery& query) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  FieldErrors errors;
  CheckPaging(query.limit, query.offset, 100, errors);
  CheckOneOf("kind", query.kind, PersonKinds(), errors, true);
  CheckText("q", query.q, 200, errors);
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  std::string where = "WHERE 1 = 1";
  db::Params params;
  if (!query.q.empty()) {
    where += " AND p.search_key LIKE ? ESCAPE '\\'";
    params.push_back("%" + EscapeLike(folder_.Fold(query.q)) + "%");
  }
  if (!query.kind.empty()) {
    where += " AND p.kind = ?";
    params.push_back(query.kind);
  }
  if (!query.organization_id.empty()) {
    ASSIGN_OR_RETURN(auto org, FindOrg(*c, query.organization_id, "organization"));
    where += " AND EXISTS (SELECT 1 FROM affiliations a WHERE a.person_id = p.id AND "
             "a.organization_id = ?)";
    params.push_back(org.id);
  }
  return CountThenPage<Person>(
      *c, "FROM people p " + where, params, query.limit, query.offset,
      [&](const db::Params& paged) -> Result<std::vector<Person>> {
        ASSIGN_OR_RETURN(auto rows, c->Query("SELECT p.id FROM people p " + where +
                                                 " ORDER BY LOWER(p.name_en), p.id LIMIT ? OFFSET ?",
                                             paged));
        std::vector<Person> items;
        for (const auto& row : rows) {
          ASSIGN_OR_RETURN(auto person, LoadPerson(*c, row.Int(0), principal));
          items.push_back(std::move(person));
        }
        return items;
      });
}

Result<Person> RegistryService::GetPerson(const Principal& principal, const std::string& id) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto row, c->QueryOne("SELECT id FROM people WHERE public_id = ?", {id}, "person"));
  return LoadPerson(*c, row.Int(0), principal);
}

Status RegistryService::ValidatePerson(const PersonInput& input, bool creating,
                                       FieldErrors& errors) const {
  if (creating && Trim(input.name_zh.value_or("")).empty() &&
      Trim(input.name_en.value_or("")).empty()) {
    errors.Add("name_en", "give a Chinese or an English name", "required");
  }
  if (creating || input.kind) CheckOneOf("kind", input.kind.value_or(""), PersonKinds(), errors, false);
  if (input.name_zh) CheckText("name_zh", *input.name_zh, 200, errors);
  if (input.name_en) CheckText("name_en", *input.name_en, 200, errors);
  if (input.topics) CheckText("topics", *input.topics, 2000, errors);
  if (input.email && !input.email->empty()) {
    CheckText("email", *input.email, 254, errors);
    if (!LooksLikeEmail(*input.email)) {
      errors.Add("email", "is not an email address", "bad_format", {{"format", "email"}});
    }
  }
  return Status::Ok();
}

Status RegistryService::ValidateAffiliation(db::Connection& c, const Principal& p,
                                            const AffiliationInput& input,
                                            const std::string& prefix, FieldErrors& errors,
                                            int64_t* org_row_id) {
  if (Trim(input.role).empty()) errors.Add(prefix + "role", "required", "required");
  CheckText(prefix + "role", input.role, 200, errors);
  if (!input.start_date.empty() && !IsValidDate(input.start_date)) {
    errors.Add(prefix + "start_date", "must be a date YYYY-MM-DD", "bad_format",
               {{"format", "date"}});
  }
  if (!input.end_date.empty() && !IsValidDate(input.end_date)) {
    errors.Add(prefix + "end_date", "must be a date YYYY-MM-DD", "bad_format",
               {{"format", "date"}});
  }
  if (!input.start_date.empty() && !input.end_date.empty() && input.end_date < input.start_date) {
    errors.Add(prefix + "end_date", "must not be before start_date", "not_after",
               {{"other", "start_date"}});
  }
  auto org = FindOrg(c, input.organization_id, prefix + "organization_id");
  if (!org.ok()) {
    errors.Add(prefix + "organization_id", "no such organisation", "unknown_reference",
               {{"kind", "organization"}});
    return Status::Ok();
  }
  *org_row_id = org->id;
  ASSIGN_OR_RETURN(bool allowed, CanEditOrganization(c, p, org->id));
  if (!allowed) {
    return Status::PermissionDenied("you may not add people to an organisation you do not administer");
  }
  return Status::Ok();
}

Result<int64_t> RegistryService::InsertPerson(db::Connection& c, const PersonInput& input) {
  std::string now = Now();
  std::string name_zh(Trim(input.name_zh.value_or("")));
  std::string name_en(Trim(input.name_en.value_or("")));
  return c.QueryInt("INSERT INTO people (public_id, name_zh, name_en, kind, email, topics, "
                    "search_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "RETURNING id",
                    {NewPublicId("per"), name_zh, name_en, *input.kind, input.email.value_or(""),
                     input.topics.value_or(""), folder_.Fold(name_zh + "\n" + name_en), now, now});
}

Status RegistryService::InsertAffiliation(db::Connection& c, int64_t person_id, int64_t org_id,
                                          const AffiliationInput& input) {
  auto inserted = c.Execute(
      "INSERT INTO affiliations (public_id, person_id, organization_id, "
      "role, start_date, end_date) VALUES (?, ?, ?, ?, ?, ?)",
      {NewPublicId("aff"), person_id, org_id, std::string(Trim(input.role)), input.start_date,
       input.end_date});
  return inserted.ok() ? Status::Ok() : inserted.status();
}

Result<Person> RegistryService::CreatePerson(const Principal& principal, const PersonInput& input,
                                             const std::vector<AffiliationInput>& affiliations) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  if (affiliations.empty() && !principal.IsPlatformAdmin()) {
    return Status::Invalid("affiliations", "a person needs an affiliation you administer",
                           "not_administered");
  }
  return db::InTransaction<Person>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Person> {
        FieldErrors errors;
        RETURN_IF_ERROR(ValidatePerson(input, true, errors));
        std::vector<int64_t> org_ids(affiliations.size(), 0);
        for (size_t i = 0; i < affiliations.size(); ++i) {
          RETURN_IF_ERROR(ValidateAffiliation(c, principal, affiliations[i],
                                              "affiliations[" + std::to_string(i) + "].", errors,
                                              &org_ids[i]));
        }
        RETURN_IF_ERROR(errors.ToStatus());
        ASSIGN_OR_RETURN(int64_t person_id, InsertPerson(c, input));
        for (size_t i = 0; i < affiliations.size(); ++i) {
          RETURN_IF_ERROR(InsertAffiliation(c, person_id, org_ids[i], affiliations[i]));
        }
        return LoadPerson(c, person_id, principal);
      });
}

Result<bool> RegistryService::CanEditPerson(db::Connection& c, const Principal& p,
                                            int64_t person_id) {
  if (p.IsPlatformAdmin()) return true;
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT organization_id FROM affiliations WHERE person_id = ?",
                                      {person_id}));
  for (const auto& row : rows) {
    ASSIGN_OR_RETURN(bool allowed, CanEditOrganization(c, p, row.Int(0)));
    if (allowed) return true;
  }
  return false;
}

Result<Person> RegistryService::UpdatePerson(const Principal& principal, const std::string& id,
                                             const PersonInput& patch) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<Person>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Person> {
        ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT id, version FROM people WHERE public_id = ?",
                                              {id}, "person"));
        ASSIGN_OR_RETURN(bool allowed, CanEditPerson(c, principal, row.Int(0)));
        if (!allowed) return Status::PermissionDenied("you do not administer this person's organisations");
        FieldErrors errors;
        RETURN_IF_ERROR(ValidatePerson(patch, false, errors));
        RETURN_IF_ERROR(errors.ToStatus());
        if (patch.expected_version && *patch.expected_version != row.Int(1)) {
          return Status::Conflict("version_mismatch", "changed by someone else; reload")
              .SetExtension("current_version", row.Int(1));
        }
        ASSIGN_OR_RETURN(Person current, LoadPerson(c, row.Int(0), SystemPrincipal()));
        std::string name_zh(Trim(patch.name_zh.value_or(current.name_zh)));
        std::string name_en(Trim(patch.name_en.value_or(current.name_en)));
        if (name_zh.empty() && name_en.empty()) {
          return Status::Invalid("name_en", "a person keeps a Chinese or an English name",
                                 "required");
        }
        ASSIGN_OR_RETURN(auto changed,
                         c.Execute("UPDATE people SET name_zh = ?, name_en = ?, kind = ?, email = "
                                   "?, topics = ?, search_key = ?, version = version + 1, "
                                   "updated_at = ? WHERE id = ?",
                                   {name_zh, name_en, patch.kind.value_or(current.kind),
                                    patch.email.value_or(current.email),
                                    patch.topics.value_or(current.topics),
                                    folder_.Fold(name_zh + "\n" + name_en), Now(), row.Int(0)}));
        (void)changed;
        return LoadPerson(c, row.Int(0), principal);
      });
}

Result<Person> RegistryService::AddAffiliation(const Principal& principal,
                                               const std::string& person_id,
                                               const AffiliationInput& input) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<Person>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Person> {
        ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT id FROM people WHERE public_id = ?",
                                              {person_id}, "person"));
        // Administering the new organisation is not enough: that would let any admin claim
        // anyone, then edit them. The person must be theirs before the change.
        ASSIGN_OR_RETURN(bool allowed, CanEditPerson(c, principal, row.Int(0)));
        if (!allowed) return Status::PermissionDenied("you do not administer this person's organisations");
        FieldErrors errors;
        int64_t org_id = 0;
        RETURN_IF_ERROR(ValidateAffiliation(c, principal, input, "", errors, &org_id));
        RETURN_IF_ERROR(errors.ToStatus());
        RETURN_IF_ERROR(InsertAffiliation(c, row.Int(0), org_id, input));
        return LoadPerson(c, row.Int(0), principal);
      });
}

}  // namespace parkhub::registry
