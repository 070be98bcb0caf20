#include "competitions/competition_service.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "competitions/competition_internal.h"
#include "core/random.h"
#include "core/text_rules.h"
#include "registry/directory.h"
#include "registry/org_graph.h"

namespace parkhub::competitions {

using identity::Principal;
using identity::Role;
using nlohmann::json;

namespace internal {

bool IsKey(const std::string& key) {
  return !key.empty() && key.size() <= 32 && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

void CheckNames(const std::string& field, const LocalNames& names, FieldErrors& errors) {
  const std::pair<const char*, const std::string*> scripts[] = {
      {"zh_hans", &names.zh_hans}, {"zh_hant", &names.zh_hant}, {"en", &names.en}};
  for (const auto& [script, value] : scripts) {
    std::string at = field + "." + script;
    if (value->empty()) {
      errors.Add(at, "a name in every language the park works in", "required");
    } else {
      CheckText(at, *value, kMaxName, errors);
    }
  }
}

// The organising park's operators and platform admins.
bool OperatesPark(const Principal& principal, int64_t park_row) {
  return principal.IsPlatformAdmin() || principal.HasRole(Role::kParkOperator, park_row);
}

Result<bool> Coordinates(db::Connection& c, const Principal& principal, const Edition& edition) {
  if (principal.IsPlatformAdmin()) return true;
  ASSIGN_OR_RETURN(auto park, registry::Directory::FindOrganization(c, edition.organiser));
  if (!park) return Status::NotFound("organiser");
  return OperatesPark(principal, park->row_id);
}

Result<bool> ActsFor(db::Connection& c, const Principal& principal,
                     const std::string& organisation) {
  ASSIGN_OR_RETURN(auto found, registry::Directory::FindOrganization(c, organisation));
  if (!found) return false;
  ASSIGN_OR_RETURN(auto graph, registry::OrgGraph::Load(c, principal));
  return graph.ActsFor(found->row_id);
}

}  // namespace internal

namespace {

using internal::ActsFor;
using internal::CheckNames;
using internal::Coordinates;
using internal::IsKey;
using internal::kMaxName;

constexpr size_t kMaxTitle = 300;
constexpr size_t kMaxSummary = 5000;
constexpr size_t kMaxListings = 10;
constexpr size_t kMaxTeam = 30;
constexpr std::string_view kEditionColumns =
    "id, public_id, organiser, year, name_zh_hans, name_zh_hant, name_en, entries_close_on, "
    "entries_close_at, state, created_by, created_at";
constexpr std::string_view kEntryColumns =
    "e.id, e.public_id, ed.public_id, g.key, e.organisation, e.title, e.summary, e.facts, "
    "e.listings, e.team, e.state, e.created_by, e.created_at, e.updated_at";
constexpr std::string_view kEntryFrom =
    " FROM competition_entries e JOIN competition_editions ed ON ed.id = e.edition_id "
    "JOIN competition_groups g ON g.id = e.group_id";

// The end of `date` in the park's zone (Asia/Shanghai, UTC+8, no daylight saving), in UTC.
std::string EndOfParkDay(const std::string& date) { return date + "T15:59:59Z"; }

json CriteriaJson(const std::vector<Criterion>& criteria) {
  json out = json::array();
  for (const Criterion& c : criteria) out.push_back({{"key", c.key}, {"weight", c.weight}});
  return out;
}

json ScaleJson(const Scale& scale) {
  return {{"min", scale.min}, {"max", scale.max}, {"step", scale.step}};
}

json PrizesJson(const std::vector<PrizeTier>& prizes) {
  json out = json::array();
  for (const PrizeTier& p : prizes) out.push_back({{"key", p.key}, {"count", p.count}});
  return out;
}

json TeamJson(const Team& team) {
  json members = json::array();
  for (const TeamMember& m : team.members) members.push_back({{"name", m.name}, {"role", m.role}});
  return {{"university", team.university}, {"members", members}};
}

Team TeamFromJson(const json& j) {
  Team team;
  team.university = j.value("university", "");
  for (const json& m : j.value("members", json::array())) {
    team.members.push_back({m.value("name", ""), m.value("role", "")});
  }
  return team;
}

void CheckGroup(const std::string& at, const GroupInput& group, FieldErrors& errors) {
  if (!IsKey(group.key)) {
    errors.Add(at + ".key", "lower-case letters, digits and _, at most 32", "bad_format",
               {{"format", "key"}});
  }
  CheckNames(at + ".names", group.names, errors);
  Status form = CheckGroupForm(group.form);
  for (const FieldError& e : form.field_errors()) errors.Add(at + ".form." + e.field, e);
  LeaderboardRules rules;
  rules.criteria = group.criteria;
  rules.scale = group.scale;
  Status scoring = ComputeLeaderboard(rules, 0, {}, {}).status();
  for (const FieldError& e : scoring.field_errors()) errors.Add(at + "." + e.field, e);
  if (group.prizes.empty())
    errors.Add(at + ".prizes", "at least one prize tier", "too_few", {{"min", 1}});
  std::set<std::string> tiers;
  for (size_t i = 0; i < group.prizes.size(); ++i) {
    std::string tier_at = at + ".prizes[" + std::to_string(i) + "]";
    if (!IsKey(group.prizes[i].key) || !tiers.insert(group.prizes[i].key).second) {
      errors.Add(tier_at + ".key", "a distinct key", "duplicate", {{"id", group.prizes[i].key}});
    }
    if (group.prizes[i].count < 0 || group.prizes[i].count > 1000) {
      errors.Add(tier_at + ".count", "between 0 and 1000", "out_of_range",
                 {{"min", 0}, {"max", 1000}});
    }
  }
}

Status CheckEdition(const EditionInput& input) {
  FieldErrors errors;
  if (input.organiser.empty()) errors.Add("organiser", "required", "required");
  if (input.year < 2000 || input.year > 2100) {
    errors.Add("year", "a year between 2000 and 2100", "out_of_range",
               {{"min", 2000}, {"max", 2100}});
  }
  CheckNames("names", input.names, errors);
  if (!IsValidDate(input.entries_close_on)) {
    errors.Add("entries_close_on", "a date, YYYY-MM-DD", "bad_format", {{"format", "date"}});
  }
  if (input.groups.empty()) errors.Add("groups", "at least one group", "too_few", {{"min", 1}});
  std::set<std::string> keys;
  for (size_t i = 0; i < input.groups.size(); ++i) {
    std::string at = "groups[" + std::to_string(i) + "]";
    CheckGroup(at, input.groups[i], errors);
    if (!keys.insert(input.groups[i].key).second) {
      errors.Add(at + ".key", "two groups share this key", "duplicate",
                 {{"id", input.groups[i].key}});
    }
  }
  return errors.ToStatus();
}

void CheckEntryText(const EntryInput& input, FieldErrors& errors) {
  if (input.title.empty()) {
    errors.Add("title", "required", "required");
  } else {
    CheckText("title", input.title, kMaxTitle, errors);
  }
  CheckText("summary", input.summary, kMaxSummary, errors);
  if (input.listings.size() > kMaxListings) {
    errors.Add("listings", "too many listings", "too_many", {{"max", kMaxListings}});
  }
  if (input.team.members.size() > kMaxTeam) {
    errors.Add("team.members", "too many members", "too_many", {{"max", kMaxTeam}});
  }
  static const std::vector<std::string> kRoles = {"leader", "core", "member"};
  int leaders = 0;
  for (size_t i = 0; i < input.team.members.size(); ++i) {
    const TeamMember& m = input.team.members[i];
    std::string at = "team.members[" + std::to_string(i) + "]";
    if (m.name.empty()) errors.Add(at + ".name", "required", "required");
    CheckText(at + ".name", m.name, kMaxName, errors);
    if (std::find(kRoles.begin(), kRoles.end(), m.role) == kRoles.end()) {
      errors.Add(at + ".role", "leader, core or member", "not_one_of", {{"allowed", kRoles}});
    }
    leaders += m.role == "leader";
  }
  if (!input.team.members.empty() && leaders != 1) {
    errors.Add("team.members", "a team has one leader", "one_leader");
  }
}

}  // namespace

std::vector<GroupInput> CompetitionService::DefaultGroups() {
  std::vector<Criterion> team_criteria = {
      {"technology", 30}, {"business_model", 25}, {"market", 25}, {"team", 20}};
  std::vector<Criterion> enterprise_criteria = {
      {"technology", 25}, {"business_model", 20}, {"market", 20}, {"team", 15}, {"finance", 20}};
  std::vector<PrizeTier> prizes = {{"first", 1}, {"second", 3}, {"third", 6}};
  Scale scale{0, 10, 0.5};
  return {
      {"team", {"团队组", "團隊組", "Team group"}, TeamGroupForm(), team_criteria, scale, prizes},
      {"enterprise",
       {"企业组", "企業組", "Enterprise group"},
       EnterpriseGroupForm(),
       enterprise_criteria,
       scale,
       prizes}};
}

CompetitionService::CompetitionService(db::Database& database, const Clock& clock,
                                       const EntryListings* listings)
    : database_(database), clock_(clock), listings_(listings) {}

Result<Edition> CompetitionService::CreateEdition(const Principal& principal,
                                                  const EditionInput& input) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  RETURN_IF_ERROR(CheckEdition(input));
  return db::InTransaction<Edition>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Edition> {
        ASSIGN_OR_RETURN(auto park, registry::Directory::FindOrganization(c, input.organiser));
        if (!park || (park->type != "park" && park->type != "professional_park")) {
          return Status::Invalid("organiser", "not a park", "not_a_park");
        }
        if (!internal::OperatesPark(principal, park->row_id)) {
          return Status::PermissionDenied("the organising park's operators set up its editions");
        }
        ASSIGN_OR_RETURN(auto same_year,
                         c.Query("SELECT 1 FROM competition_editions WHERE organiser = ? AND "
                                 "year = ?",
                                 {input.organiser, int64_t{input.year}}));
        if (!same_year.empty()) {
          return Status::Invalid("year", "the park already has an edition this year", "duplicate",
                                 {{"id", std::to_string(input.year)}});
        }
        std::string id = NewPublicId("edition");
        RETURN_IF_ERROR(
            c.Execute("INSERT INTO competition_editions(public_id, organiser, year, name_zh_hans, "
                      "name_zh_hant, name_en, entries_close_on, entries_close_at, state, "
                      "created_by, created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
                      {id, input.organiser, int64_t{input.year}, input.names.zh_hans,
                       input.names.zh_hant, input.names.en, input.entries_close_on,
                       EndOfParkDay(input.entries_close_on), principal.public_id,
                       FormatUtc(clock_.Now())})
                .status());
        ASSIGN_OR_RETURN(EditionRow row, FindEdition(c, id));
        for (size_t i = 0; i < input.groups.size(); ++i) {
          const GroupInput& g = input.groups[i];
          RETURN_IF_ERROR(
              c.Execute(
                   "INSERT INTO competition_groups(edition_id, key, position, name_zh_hans, "
                   "name_zh_hant, name_en, form, criteria, scale, prizes) "
                   "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   {row.row_id, g.key, static_cast<int64_t>(i), g.names.zh_hans, g.names.zh_hant,
                    g.names.en, GroupFormJson(g.form).dump(), CriteriaJson(g.criteria).dump(),
                    ScaleJson(g.scale).dump(), PrizesJson(g.prizes).dump()})
                  .status());
        }
        ASSIGN_OR_RETURN(row, FindEdition(c, id));
        return LoadEdition(c, principal, row);
      });
}

Result<CompetitionService::EditionRow> CompetitionService::FindEdition(
    db::Connection& c, const std::string& id) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT " + std::string(kEditionColumns) +
                                          " FROM competition_editions WHERE public_id = ?",
                                      {id}));
  if (rows.empty()) return Status::NotFound("edition");
  db::RowReader read(rows[0]);
  EditionRow out;
  out.row_id = read.Int();
  Edition& e = out.edition;
  e.id = read.Text();
  e.organiser = read.Text();
  e.year = read.IntAsInt();
  e.names = {read.Text(), read.Text(), read.Text()};
  e.entries_close_on = read.Text();
  e.entries_close_at = read.Text();
  e.state = read.Text();
  e.created_by = read.Text();
  e.created_at = read.Text();
  RETURN_IF_ERROR(read.Done());
  ASSIGN_OR_RETURN(
      auto groups,
      c.Query("SELECT g.id, g.key, g.name_zh_hans, g.name_zh_hant, g.name_en, g.form, g.criteria, "
              "g.scale, g.prizes, (SELECT COUNT(*) FROM competition_entries x WHERE "
              "x.group_id = g.id AND x.state = 'submitted') FROM competition_groups g "
              "WHERE g.edition_id = ? ORDER BY g.position",
              {out.row_id}));
  for (const db::Row& g : groups) {
    db::RowReader r(g);
    out.group_rows.push_back(r.Int());
    Group group;
    group.key = r.Text();
    group.names = {r.Text(), r.Text(), r.Text()};
    ASSIGN_OR_RETURN(group.form, GroupFormFromJson(json::parse(r.Text()), "form"));
    for (const json& criterion : json::parse(r.Text())) {
      group.criteria.push_back({criterion["key"], criterion["weight"]});
    }
    json scale = json::parse(r.Text());
    group.scale = {scale["min"], scale["max"], scale["step"]};
    for (const json& tier : json::parse(r.Text()))
      group.prizes.push_back({tier["key"], tier["count"]});
    group.entries = r.IntAsInt();
    RETURN_IF_ERROR(r.Done());
    e.groups.push_back(std::move(group));
  }
  return out;
}

Result<Edition> CompetitionService::LoadEdition(db::Connection& c, const Principal& principal,
                                                const EditionRow& row) const {
  Edition edition = row.edition;
  bool open = edition.state == "open" && FormatUtc(clock_.Now()) <= edition.entries_close_at;
  if (edition.state == "open" && !open) {
    // After entries close the rounds tell where the edition stands: judging once one exists,
    // finished once a final round (one advancing no one) is published.
    ASSIGN_OR_RETURN(auto last, c.Query("SELECT state, settings FROM competition_rounds WHERE "
                                        "edition_id = ? ORDER BY position DESC LIMIT 1",
                                        {row.row_id}));
    edition.state = "closed";
    if (!last.empty()) {
      json settings = json::parse(last[0].Text(1), nullptr, false);
      bool final = settings.is_object() && settings.value("advancement", json::object()).empty();
      edition.state = final && last[0].Text(0) == "published" ? "finished" : "judging";
    }
  }
  if (open && std::any_of(principal.roles.begin(), principal.roles.end(), [](const auto& a) {
        return a.role == Role::kOrgAdmin || a.role == Role::kMember;
      })) {
    edition.actions.push_back("enter");
  }
  ASSIGN_OR_RETURN(bool coordinator, Coordinates(c, principal, edition));
  if (coordinator) edition.actions.push_back("manage");
  return edition;
}

Result<Edition> CompetitionService::GetEdition(const Principal& principal,
                                               const std::string& id) const {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<Edition>(database_, db::TxMode::kRead,
                                    [&](db::Connection& c) -> Result<Edition> {
                                      ASSIGN_OR_RETURN(EditionRow row, FindEdition(c, id));
                                      return LoadEdition(c, principal, row);
                                    });
}

Result<std::vector<Edition>> CompetitionService::ListEditions(const Principal& principal) const {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<std::vector<Edition>>(
      database_, db::TxMode::kRead, [&](db::Connection& c) -> Result<std::vector<Edition>> {
        ASSIGN_OR_RETURN(auto rows, c.Query("SELECT public_id FROM competition_editions "
                                            "ORDER BY year DESC, id DESC"));
        std::vector<Edition> out;
        for (const db::Row& r : rows) {
          ASSIGN_OR_RETURN(EditionRow row, FindEdition(c, r.Text(0)));
          ASSIGN_OR_RETURN(Edition edition, LoadEdition(c, principal, row));
          out.push_back(std::move(edition));
        }
        return out;
      });
}

Status CompetitionService::CheckListings(db::Connection& c, const EntryInput& input,
                                         FieldErrors& errors) const {
  std::set<std::string> seen;
  for (size_t i = 0; i < input.listings.size(); ++i) {
    std::string at = "listings[" + std::to_string(i) + "]";
    const std::string& id = input.listings[i];
    if (!seen.insert(id).second) {
      errors.Add(at, "named twice", "duplicate", {{"id", id}});
      continue;
    }
    std::optional<EntryListing> listing;
    if (listings_) {
      ASSIGN_OR_RETURN(listing, listings_->Find(c, id));
    }
    if (!listing) {
      errors.Add(at, "no such listing", "unknown_reference", {{"kind", "listing"}, {"id", id}});
    } else if (listing->owner != input.organisation) {
      errors.Add(at, "a listing of another organisation", "not_own_listing", {{"id", id}});
    }
  }
  return Status::Ok();
}

Result<Entry> CompetitionService::SubmitEntry(const Principal& principal, const EntryInput& input) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  if (input.organisation.empty()) return Status::Invalid("organisation", "required", "required");
  return db::InTransaction<Entry>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Entry> {
        ASSIGN_OR_RETURN(bool acts, ActsFor(c, principal, input.organisation));
        if (!acts) {
          return Status::PermissionDenied("you enter competitions for your own organisations only");
        }
        ASSIGN_OR_RETURN(EditionRow edition, FindEdition(c, input.edition));
        std::string now = FormatUtc(clock_.Now());
        if (edition.edition.state != "open" || now > edition.edition.entries_close_at) {
          return Status::Conflict("entries_closed", "entries to this edition have closed");
        }
        size_t group = 0;
        while (group < edition.edition.groups.size() &&
               edition.edition.groups[group].key != input.group) {
          ++group;
        }
        FieldErrors errors;
        if (group == edition.edition.groups.size()) {
          errors.Add("group", "not a group of this edition", "unknown_reference",
                     {{"kind", "group"}, {"id", input.group}});
        } else {
          Status eligible = CheckEntryFacts(edition.edition.groups[group].form, input.facts,
                                            edition.edition.year);
          for (const FieldError& e : eligible.field_errors()) errors.Add(e.field, e);
        }
        CheckEntryText(input, errors);
        RETURN_IF_ERROR(CheckListings(c, input, errors));
        if (!input.team.university.empty()) {
          ASSIGN_OR_RETURN(auto university,
                           registry::Directory::FindOrganization(c, input.team.university));
          if (!university || university->type != "university") {
            errors.Add("team.university", "not a university of the registry", "unknown_reference",
                       {{"kind", "university"}});
          }
        }
        RETURN_IF_ERROR(errors.ToStatus());
        std::string id = NewPublicId("entry");
        RETURN_IF_ERROR(
            c.Execute("INSERT INTO competition_entries(public_id, edition_id, group_id, "
                      "organisation, title, summary, facts, listings, team, state, created_by, "
                      "created_at, updated_at) "
                      "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?)",
                      {id, edition.row_id, edition.group_rows[group], input.organisation,
                       input.title, input.summary, input.facts.dump(), json(input.listings).dump(),
                       TeamJson(input.team).dump(), principal.public_id, now, now})
                .status());
        ASSIGN_OR_RETURN(db::Row row, FindEntryRow(c, id));
        return LoadEntry(c, principal, row, &edition);
      });
}

Result<Entry> CompetitionService::ReadEntry(db::Connection& c, const db::Row& row) const {
  db::RowReader read(row);
  read.Int();
  Entry entry;
  entry.id = read.Text();
  entry.edition = read.Text();
  entry.group = read.Text();
  entry.organisation = read.Text();
  entry.title = read.Text();
  entry.summary = read.Text();
  entry.facts = json::parse(read.Text());
  json listings = json::parse(read.Text());
  entry.team = TeamFromJson(json::parse(read.Text()));
  entry.state = read.Text();
  entry.created_by = read.Text();
  entry.created_at = read.Text();
  entry.updated_at = read.Text();
  RETURN_IF_ERROR(read.Done());
  for (const json& id : listings) {
    std::optional<EntryListing> listing;
    if (listings_) {
      ASSIGN_OR_RETURN(listing, listings_->Find(c, id.get<std::string>()));
    }
    entry.listings.push_back(listing ? *listing : EntryListing{id.get<std::string>(), "", "", {}});
  }
  return entry;
}

Result<db::Row> CompetitionService::FindEntryRow(db::Connection& c, const std::string& id) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT " + std::string(kEntryColumns) +
                                          std::string(kEntryFrom) + " WHERE e.public_id = ?",
                                      {id}));
  if (rows.empty()) return Status::NotFound("entry");
  return rows[0];
}

Result<Entry> CompetitionService::GetEntryUnchecked(db::Connection& c,
                                                    const std::string& id) const {
  ASSIGN_OR_RETURN(db::Row row, FindEntryRow(c, id));
  return ReadEntry(c, row);
}

Result<Entry> CompetitionService::LoadEntry(db::Connection& c, const Principal& principal,
                                            const db::Row& row,
                                            const EditionRow* known_edition) const {
  ASSIGN_OR_RETURN(Entry entry, ReadEntry(c, row));
  EditionRow found;
  if (!known_edition) {
    ASSIGN_OR_RETURN(found, FindEdition(c, entry.edition));
    known_edition = &found;
  }
  const EditionRow& edition = *known_edition;
  ASSIGN_OR_RETURN(bool own, ActsFor(c, principal, entry.organisation));
  ASSIGN_OR_RETURN(bool coordinator, Coordinates(c, principal, edition.edition));
  if (!own && !coordinator) {
    return Status::NotFound("entry");
  }
  if (own && entry.state == "submitted" && edition.edition.state == "open" &&
      FormatUtc(clock_.Now()) <= edition.edition.entries_close_at) {
    entry.actions.push_back("withdraw");
  }
  return entry;
}

Result<Entry> CompetitionService::GetEntry(const Principal& principal,
                                           const std::string& id) const {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<Entry>(database_, db::TxMode::kRead,
                                  [&](db::Connection& c) -> Result<Entry> {
                                    ASSIGN_OR_RETURN(db::Row row, FindEntryRow(c, id));
                                    return LoadEntry(c, principal, row, nullptr);
                                  });
}

Result<Entry> CompetitionService::WithdrawEntry(const Principal& principal, const std::string& id) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<Entry>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Entry> {
        ASSIGN_OR_RETURN(db::Row row, FindEntryRow(c, id));
        ASSIGN_OR_RETURN(Entry entry, LoadEntry(c, principal, row, nullptr));
        ASSIGN_OR_RETURN(bool own, ActsFor(c, principal, entry.organisation));
        if (!own) {
          return Status::PermissionDenied("the entrant withdraws its entry");
        }
        if (std::find(entry.actions.begin(), entry.actions.end(), "withdraw") ==
            entry.actions.end()) {
          return Status::Conflict("not_withdrawable",
                                  "only a submitted entry can be withdrawn, before entries close");
        }
        std::string now = FormatUtc(clock_.Now());
        RETURN_IF_ERROR(c.Execute("UPDATE competition_entries SET state = 'withdrawn', "
                                  "updated_at = ? WHERE public_id = ?",
                                  {now, id})
                            .status());
        entry.state = "withdrawn";
        entry.updated_at = now;
        entry.actions.clear();  // a withdrawn entry offers nothing more
        return entry;
      });
}

Result<std::vector<Entry>> CompetitionService::ListEntries(const Principal& principal,
                                                           const std::string& edition_id,
                                                           const std::string& group) const {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<std::vector<Entry>>(
      database_, db::TxMode::kRead, [&](db::Connection& c) -> Result<std::vector<Entry>> {
        ASSIGN_OR_RETURN(EditionRow edition, FindEdition(c, edition_id));
        ASSIGN_OR_RETURN(bool coordinator, Coordinates(c, principal, edition.edition));
        db::Params params = {edition.row_id};
        std::string sql = "SELECT " + std::string(kEntryColumns) + std::string(kEntryFrom) +
                          " WHERE e.edition_id = ?";
        if (!group.empty()) {
          sql += " AND g.key = ?";
          params.push_back(group);
        }
        if (!coordinator) {
          ASSIGN_OR_RETURN(auto graph, registry::OrgGraph::Load(c, principal));
          std::vector<int64_t> rows(graph.acting_for().begin(), graph.acting_for().end());
          ASSIGN_OR_RETURN(auto organisations, registry::Directory::OrganizationsByRow(c, rows));
          std::vector<std::string> own;
          for (const auto& [row, organisation] : organisations)
            own.push_back(organisation.public_id);
          sql += " AND e.organisation IN (" + db::InList(own, params) + ")";
        }
        sql += " ORDER BY g.position, e.title, e.id";
        ASSIGN_OR_RETURN(auto rows, c.Query(sql, params));
        std::vector<Entry> out;
        for (const db::Row& row : rows) {
          ASSIGN_OR_RETURN(Entry entry, LoadEntry(c, principal, row, &edition));
          out.push_back(std::move(entry));
        }
        return out;
      });
}

}  // namespace parkhub::competitions
