// Memberships and the settle-in workflow of a park.
#include <algorithm>

#include "core/random.h"
#include "db/domain_events.h"
#include "identity/identity_service.h"
#include "registry/directory.h"
#include "registry/registry_internal.h"
#include "registry/registry_service.h"

namespace parkhub::registry {

using identity::Role;

namespace {
const char kMembershipSelect[] =
    "SELECT m.public_id, p.public_id, p.name_zh_hans, p.name_zh_hant, p.name_en, o.public_id, "
    "o.name_zh_hans, o.name_zh_hant, o.name_en, m.state, m.created_at, m.updated_at, m.park_id "
    "FROM memberships m JOIN organizations p ON "
    "p.id = m.park_id JOIN organizations o ON o.id = m.organization_id ";

// The membership as `viewer` sees it: the next states are offered only to whoever may take them
// (an operator of its park, or the system), so a page never shows a step that would be refused.
Result<Membership> MembershipFromRow(const db::Row& row, const Principal& viewer) {
  db::RowReader read(row);
  Membership m;
  m.id = read.Text();
  m.park_id = read.Text();
  m.park_names = ReadNames(read);
  m.organization_id = read.Text();
  m.organization_names = ReadNames(read);
  m.state = read.Text();
  m.created_at = read.Text();
  m.updated_at = read.Text();
  int64_t park_row = read.Int();
  RETURN_IF_ERROR(read.Done());
  if (viewer.user_id == kSystemUserId || viewer.HasRole(Role::kParkOperator, park_row)) {
    m.allowed_next = MembershipWorkflow().NextStates(m.state);
  }
  return m;
}
}  // namespace

Status RegistryService::RecordMembershipEvent(db::Connection& c, int64_t membership_row,
                                              const std::string& from, const std::string& to,
                                              const Principal& principal, const std::string& now,
                                              const std::string& note) {
  RETURN_IF_ERROR(c.Execute("INSERT INTO membership_events (membership_id, from_state, to_state, "
                            "actor_user_id, at, note) VALUES (?, ?, ?, ?, ?, ?)",
                            {membership_row, db::NullIfEmpty(from), to, ActorOf(principal), now,
                             note})
                      .status());
  return db::DomainEvents::Append(c, db::TransitionEvent("membership", membership_row, "", from, to,
                                                         principal.user_id, now));
}

Result<Membership> RegistryService::LoadMembership(db::Connection& c, int64_t membership_id,
                                                   bool with_history, const Principal& viewer) {
  ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string(kMembershipSelect) + "WHERE m.id = ?",
                                        {membership_id}, "membership"));
  ASSIGN_OR_RETURN(Membership m, MembershipFromRow(row, viewer));
  if (!with_history) return m;
  ASSIGN_OR_RETURN(auto events, c.Query("SELECT COALESCE(from_state, ''), to_state, "
                                        "COALESCE(actor_user_id, 0), at, note FROM "
                                        "membership_events WHERE membership_id = ? ORDER BY id",
                                        {membership_id}));
  ASSIGN_OR_RETURN(m.history, identity::IdentityService::NameHistory(c, events));
  return m;
}

Result<bool> RegistryService::CanSeeMembership(db::Connection& c, const Principal& p,
                                               int64_t park_id, int64_t org_id) {
  if (p.HasRole(Role::kParkOperator, park_id)) return true;
  ASSIGN_OR_RETURN(auto graph, OrgGraph::Load(c, p));
  return graph.ActsFor(org_id);
}

Result<Page<Membership>> RegistryService::ListMemberships(const Principal& principal,
                                                          const MembershipQuery& query) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  FieldErrors errors;
  CheckPaging(query.limit, query.offset, 200, errors);
  CheckOneOf("state", query.state, MembershipStates(), errors, true);
  CheckText("q", query.q, 200, errors);
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  std::string where = "WHERE 1 = 1";
  db::Params params;
  if (!query.q.empty()) {
    where +=
        " AND EXISTS (SELECT 1 FROM organizations s WHERE s.id = m.organization_id AND "
        "s.search_key LIKE ? ESCAPE '\\')";
    params.push_back("%" + EscapeLike(folder_.Fold(query.q)) + "%");
  }
  if (!query.park_id.empty()) {
    ASSIGN_OR_RETURN(auto park, FindOrg(*c, query.park_id, "park"));
    where += " AND m.park_id = ?";
    params.push_back(park.id);
  }
  if (!query.organization_id.empty()) {
    ASSIGN_OR_RETURN(auto org, FindOrg(*c, query.organization_id, "organization"));
    where += " AND m.organization_id = ?";
    params.push_back(org.id);
  }
  if (!query.state.empty()) {
    where += " AND m.state = ?";
    params.push_back(query.state);
  }
  // Everyone but a platform admin sees only the memberships of the parks they operate and of
  // the organisations they belong to or administer.
  if (!principal.IsPlatformAdmin()) {
    ASSIGN_OR_RETURN(auto graph, OrgGraph::Load(*c, principal));
    std::vector<int64_t> parks;
    for (const auto& role : principal.roles) {
      if (role.role == Role::kParkOperator) parks.push_back(role.scope_id);
    }
    where += " AND (m.park_id IN (" + db::InList(parks, params) + ") OR m.organization_id IN (" +
             db::InList(graph.acting_for(), params) + "))";
  }
  return CountThenPage<Membership>(
      *c, "FROM memberships m " + where, params, query.limit, query.offset,
      [&](const db::Params& paged) -> Result<std::vector<Membership>> {
        ASSIGN_OR_RETURN(auto rows, c->Query(std::string(kMembershipSelect) + where +
                                                 " ORDER BY m.updated_at DESC, m.id DESC LIMIT ? "
                                                 "OFFSET ?",
                                             paged));
        std::vector<Membership> items;
        for (const auto& row : rows) {
          ASSIGN_OR_RETURN(Membership m, MembershipFromRow(row, principal));
          items.push_back(std::move(m));
        }
        return items;
      });
}

Result<Membership> RegistryService::GetMembership(const Principal& principal,
                                                  const std::string& id) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto row, c->QueryOne("SELECT id, park_id, organization_id FROM memberships "
                                         "WHERE public_id = ?",
                                         {id}, "membership"));
  ASSIGN_OR_RETURN(bool visible, CanSeeMembership(*c, principal, row.Int(1), row.Int(2)));
  if (!visible) return Status::NotFound("membership");
  return LoadMembership(*c, row.Int(0), true, principal);
}

Result<Membership> RegistryService::ApplyForMembership(const Principal& principal,
                                                       const std::string& park_id,
                                                       const std::string& organization_id,
                                                       const std::string& note) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  FieldErrors errors;
  CheckText("note", note, 2000, errors);
  RETURN_IF_ERROR(errors.ToStatus());
  return db::InTransaction<Membership>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Membership> {
        ASSIGN_OR_RETURN(auto park, FindOrg(c, park_id, "park_id"));
        if (park.type != "park" && park.type != "professional_park") {
          return Status::Invalid("park_id", "is not a park", "not_a_park");
        }
        ASSIGN_OR_RETURN(auto org, FindOrg(c, organization_id, "organization_id"));
        if (org.id == park.id) {
          return Status::Invalid("organization_id", "a park cannot join itself",
                                 "would_make_a_cycle");
        }
        ASSIGN_OR_RETURN(auto graph, OrgGraph::Load(c, principal));
        bool allowed = principal.HasRole(Role::kParkOperator, park.id) || graph.Administers(org.id);
        if (!allowed) {
          return Status::PermissionDenied(
              "only the organisation's admin or the park's operator may apply");
        }
        std::string now = Now();
        auto inserted = c.QueryInt(
            "INSERT INTO memberships (public_id, park_id, organization_id, state, created_at, "
            "updated_at) VALUES (?, ?, ?, 'applied', ?, ?) RETURNING id",
            {NewPublicId("mem"), park.id, org.id, now, now});
        if (!inserted.ok()) {
          if (inserted.status().code() == ErrorCode::kConflict) {
            return Status::Conflict("already_member",
                                    "this organisation already has a membership of this park");
          }
          return inserted.status();
        }
        RETURN_IF_ERROR(RecordMembershipEvent(c, *inserted, "", "applied", principal, now, note));
        return LoadMembership(c, *inserted, true, principal);
      });
}

Result<Membership> RegistryService::TransitionMembership(const Principal& principal,
                                                         const std::string& id,
                                                         const std::string& to_state,
                                                         const std::string& note) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  FieldErrors errors;
  CheckOneOf("to", to_state, MembershipStates(), errors, false);
  CheckText("note", note, 2000, errors);
  RETURN_IF_ERROR(errors.ToStatus());
  return db::InTransaction<Membership>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Membership> {
        RETURN_IF_ERROR(c.Lock("membership", id));
        ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT id, park_id, organization_id, state FROM "
                                              "memberships WHERE public_id = ?",
                                              {id}, "membership"));
        bool system = principal.user_id == kSystemUserId;
        if (!system && !principal.HasRole(Role::kParkOperator, row.Int(1))) {
          ASSIGN_OR_RETURN(bool visible, CanSeeMembership(c, principal, row.Int(1), row.Int(2)));
          if (!visible) return Status::NotFound("membership");
          return Status::PermissionDenied("only an operator of this park moves its memberships");
        }
        std::string from = row.Text(3);
        // The operator's standing was checked above, with the not-found rule.
        RETURN_IF_ERROR(MembershipWorkflow().Step(from, to_state).status());
        std::string now = Now();
        ASSIGN_OR_RETURN(auto changed, c.Execute("UPDATE memberships SET state = ?, updated_at = ? "
                                                 "WHERE id = ? AND state = ?",
                                                 {to_state, now, row.Int(0), from}));
        if (changed != 1) return Status::Conflict("concurrent_change", "changed meanwhile; retry");
        RETURN_IF_ERROR(RecordMembershipEvent(c, row.Int(0), from, to_state, principal, now, note));
        return LoadMembership(c, row.Int(0), true, principal);
      });
}

}  // namespace parkhub::registry
