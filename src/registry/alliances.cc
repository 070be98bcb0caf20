// Alliances: member organisations and framework agreements.
#include <set>

#include "core/clock.h"
#include "core/random.h"
#include "registry/registry_internal.h"
#include "registry/registry_service.h"

namespace parkhub::registry {

using identity::Role;

bool RegistryService::CanManageAlliance(const Principal& p, int64_t alliance_id) {
  return p.IsPlatformAdmin() || p.HasRole(Role::kParkOperator, alliance_id) ||
         p.HasRole(Role::kOrgAdmin, alliance_id);
}

Result<Alliance> RegistryService::LoadAlliance(db::Connection& c, int64_t alliance_id) {
  Alliance alliance;
  ASSIGN_OR_RETURN(alliance.organization, LoadOrganization(c, alliance_id));
  ASSIGN_OR_RETURN(auto members,
                   c.Query("SELECT o.public_id, o.name_zh_hans, o.name_zh_hant, o.name_en, "
                           "a.joined_on FROM alliance_members a JOIN organizations "
                           "o ON o.id = a.organization_id WHERE a.alliance_id = ? ORDER BY o.id",
                           {alliance_id}));
  for (const auto& row : members) {
    alliance.members.push_back({row.Text(0), {row.Text(1), row.Text(2), row.Text(3)}, row.Text(4)});
  }
  ASSIGN_OR_RETURN(auto agreements, c.Query("SELECT id, public_id, title, signed_on FROM "
                                            "agreements WHERE alliance_id = ? ORDER BY signed_on, id",
                                            {alliance_id}));
  for (const auto& row : agreements) {
    Agreement agreement{row.Text(1), row.Text(2), row.Text(3), {}, {}};
    ASSIGN_OR_RETURN(auto signatories,
                     c.Query("SELECT o.public_id FROM agreement_signatories s JOIN organizations o "
                             "ON o.id = s.organization_id WHERE s.agreement_id = ? ORDER BY o.id",
                             {row.Int(0)}));
    for (const auto& s : signatories) agreement.signatory_ids.push_back(s.Text(0));
    ASSIGN_OR_RETURN(auto items, c.Query("SELECT item FROM agreement_scope_items WHERE "
                                         "agreement_id = ? ORDER BY position",
                                         {row.Int(0)}));
    for (const auto& item : items) agreement.scope_items.push_back(item.Text(0));
    alliance.agreements.push_back(std::move(agreement));
  }
  return alliance;
}

Result<std::vector<Alliance>> RegistryService::ListAlliances() {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto rows, c->Query("SELECT id FROM organizations WHERE type = 'alliance' "
                                       "ORDER BY id"));
  std::vector<Alliance> alliances;
  for (const auto& row : rows) {
    ASSIGN_OR_RETURN(auto alliance, LoadAlliance(*c, row.Int(0)));
    alliances.push_back(std::move(alliance));
  }
  return alliances;
}

Result<Alliance> RegistryService::GetAlliance(const std::string& id) {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto org, FindOrg(*c, id, ""));
  if (org.type != "alliance") return Status::NotFound("alliance");
  return LoadAlliance(*c, org.id);
}

Result<Alliance> RegistryService::AddAllianceMember(const Principal& principal,
                                                    const std::string& alliance_id,
                                                    const std::string& organization_id,
                                                    const std::string& joined_on) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  if (!joined_on.empty() && !IsValidDate(joined_on)) {
    return Status::Invalid("joined_on", "must be a date YYYY-MM-DD", "bad_format",
                           {{"format", "date"}});
  }
  return db::InTransaction<Alliance>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Alliance> {
        ASSIGN_OR_RETURN(auto alliance, FindOrg(c, alliance_id, ""));
        if (alliance.type != "alliance") return Status::NotFound("alliance");
        bool allowed = CanManageAlliance(principal, alliance.id);
        if (!allowed) return Status::PermissionDenied("you do not run this alliance");
        ASSIGN_OR_RETURN(auto org, FindOrg(c, organization_id, "organization_id"));
        if (org.id == alliance.id) {
          return Status::Invalid("organization_id", "an alliance cannot join itself",
                                 "would_make_a_cycle");
        }
        auto added = c.Execute("INSERT INTO alliance_members (alliance_id, organization_id, "
                               "joined_on) VALUES (?, ?, ?)",
                               {alliance.id, org.id, joined_on});
        if (!added.ok()) {
          if (added.status().code() == ErrorCode::kConflict) {
            return Status::Conflict("already_member", "already a member of this alliance");
          }
          return added.status();
        }
        return LoadAlliance(c, alliance.id);
      });
}

Result<Agreement> RegistryService::AddAgreement(const Principal& principal,
                                                const std::string& alliance_id,
                                                const Agreement& agreement) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  FieldErrors errors;
  std::string title(Trim(agreement.title));
  if (title.empty()) errors.Add("title", "required", "required");
  CheckText("title", title, 300, errors);
  if (!IsValidDate(agreement.signed_on)) {
    errors.Add("signed_on", "must be a date YYYY-MM-DD", "bad_format", {{"format", "date"}});
  }
  if (agreement.signatory_ids.size() < 2) {
    errors.Add("signatory_ids", "an agreement has at least two signatories", "too_few",
               {{"min", 2}});
  }
  if (agreement.scope_items.empty()) {
    errors.Add("scope_items", "list at least one scope item", "required");
  }
  for (const auto& item : agreement.scope_items) {
    if (Trim(item).empty()) errors.Add("scope_items", "items must not be empty", "required");
    CheckText("scope_items", item, 300, errors);
  }
  RETURN_IF_ERROR(errors.ToStatus());
  return db::InTransaction<Agreement>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Agreement> {
        ASSIGN_OR_RETURN(auto alliance, FindOrg(c, alliance_id, ""));
        if (alliance.type != "alliance") return Status::NotFound("alliance");
        bool allowed = CanManageAlliance(principal, alliance.id);
        if (!allowed) return Status::PermissionDenied("you do not run this alliance");
        std::vector<int64_t> signatories;
        std::set<std::string> seen;
        for (const auto& id : agreement.signatory_ids) {
          if (!seen.insert(id).second)
            return Status::Invalid("signatory_ids", "listed twice: " + id, "duplicate",
                                   {{"id", id}});
          ASSIGN_OR_RETURN(int64_t member,
                           c.QueryInt("SELECT COUNT(*) FROM alliance_members a JOIN organizations "
                                      "o ON o.id = a.organization_id WHERE a.alliance_id = ? AND "
                                      "o.public_id = ?",
                                      {alliance.id, id}));
          if (member == 0)
            return Status::Invalid("signatory_ids", id + " is not a member of the alliance",
                                   "not_a_member", {{"id", id}});
          ASSIGN_OR_RETURN(auto org, FindOrg(c, id, "signatory_ids"));
          signatories.push_back(org.id);
        }
        Agreement created{NewPublicId("agr"), title, agreement.signed_on, agreement.signatory_ids,
                          {}};
        ASSIGN_OR_RETURN(int64_t agreement_id,
                         c.QueryInt("INSERT INTO agreements (public_id, alliance_id, title, "
                                    "signed_on, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                    {created.id, alliance.id, title, agreement.signed_on, Now()}));
        for (int64_t org_id : signatories) {
          ASSIGN_OR_RETURN(auto s, c.Execute("INSERT INTO agreement_signatories (agreement_id, "
                                             "organization_id) VALUES (?, ?)",
                                             {agreement_id, org_id}));
          (void)s;
        }
        int64_t position = 0;
        for (const auto& item : agreement.scope_items) {
          created.scope_items.push_back(std::string(Trim(item)));
          ASSIGN_OR_RETURN(auto s, c.Execute("INSERT INTO agreement_scope_items (agreement_id, "
                                             "position, item) VALUES (?, ?, ?)",
                                             {agreement_id, position++, std::string(Trim(item))}));
          (void)s;
        }
        return created;
      });
}

}  // namespace parkhub::registry
