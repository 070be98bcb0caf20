// CompetitionService's rounds: judges, assignment, score sheets, recusals, the leaderboard and
// its publication, all recorded as the round's events (competition_service.h).
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "competitions/competition_internal.h"
#include "competitions/conflicts.h"
#include "core/random.h"
#include "core/text_rules.h"
#include "identity/identity_service.h"
#include "registry/directory.h"
#include "registry/org_graph.h"

namespace parkhub::competitions {

using identity::Principal;
using nlohmann::json;

struct CompetitionService::RoundRow {
  int64_t row_id = 0;
  EditionRow edition;
  Round round;
  std::optional<json> frozen;  // the published leaderboard
  int64_t frozen_through = 0;
};

namespace {

using internal::CheckNames;
using internal::Coordinates;

constexpr size_t kMaxReason = 1000;
constexpr int kMaxJudgesPerEntry = 15;

json SettingsJson(const RoundInput& input) {
  json advancement = json::object();
  for (const auto& [group, rule] : input.advancement) {
    advancement[group] = {{"by", rule.by}, {"count", rule.count}, {"threshold", rule.threshold}};
  }
  return {{"names",
           {{"zh_hans", input.names.zh_hans},
            {"zh_hant", input.names.zh_hant},
            {"en", input.names.en}}},
          {"kind", input.kind},
          {"judges_per_entry", input.judges_per_entry},
          {"combine", input.combine},
          {"normalise", input.normalise},
          {"divergence", input.divergence},
          {"tie_criterion", input.tie_criterion},
          {"advancement", advancement}};
}

RoundInput SettingsFromJson(const json& j) {
  RoundInput input;
  input.names = {j["names"]["zh_hans"], j["names"]["zh_hant"], j["names"]["en"]};
  input.kind = j["kind"];
  input.judges_per_entry = j["judges_per_entry"];
  input.combine = j["combine"];
  input.normalise = j["normalise"];
  input.divergence = j["divergence"];
  input.tie_criterion = j["tie_criterion"];
  for (const auto& [group, rule] : j["advancement"].items()) {
    input.advancement[group] = {rule["by"], rule["count"], rule["threshold"]};
  }
  return input;
}

const Group* GroupOf(const Edition& edition, const std::string& key) {
  for (const Group& group : edition.groups) {
    if (group.key == key) return &group;
  }
  return nullptr;
}

// Whether the group scores the criterion `key`.
bool Scores(const Group& group, const std::string& key) {
  return std::any_of(group.criteria.begin(), group.criteria.end(),
                     [&key](const Criterion& c) { return c.key == key; });
}

Status CheckRound(const RoundInput& input, const Edition& edition) {
  FieldErrors errors;
  CheckNames("names", input.names, errors);
  static const std::vector<std::string> kKinds = {"online", "pitch"};
  static const std::vector<std::string> kCombines = {"mean", "trimmed_mean"};
  static const std::vector<std::string> kAdvancement = {"top", "share", "threshold"};
  if (std::find(kKinds.begin(), kKinds.end(), input.kind) == kKinds.end()) {
    errors.Add("kind", "online or pitch", "not_one_of", {{"allowed", kKinds}});
  }
  if (input.judges_per_entry < 1 || input.judges_per_entry > kMaxJudgesPerEntry) {
    errors.Add("judges_per_entry", "between 1 and 15", "out_of_range",
               {{"min", 1}, {"max", kMaxJudgesPerEntry}});
  }
  if (std::find(kCombines.begin(), kCombines.end(), input.combine) == kCombines.end()) {
    errors.Add("combine", "mean or trimmed_mean", "not_one_of", {{"allowed", kCombines}});
  }
  if (!(input.divergence >= 0)) {
    errors.Add("divergence", "not below 0", "out_of_range", {{"min", 0}});
  }
  for (const Group& group : edition.groups) {
    if (!input.tie_criterion.empty() && !Scores(group, input.tie_criterion)) {
      errors.Add("tie_criterion", "every group must score it", "unknown_reference",
                 {{"kind", "criterion"}, {"id", input.tie_criterion}});
      break;
    }
  }
  for (const auto& [key, rule] : input.advancement) {
    std::string at = "advancement." + key;
    if (!GroupOf(edition, key)) {
      errors.Add(at, "not a group of this edition", "unknown_reference",
                 {{"kind", "group"}, {"id", key}});
    } else if (std::find(kAdvancement.begin(), kAdvancement.end(), rule.by) == kAdvancement.end()) {
      errors.Add(at + ".by", "top, share or threshold", "not_one_of", {{"allowed", kAdvancement}});
    } else if (rule.count < 0 || (rule.by == "share" && rule.count > 100)) {
      errors.Add(at + ".count", "a count (or percent) not below 0", "out_of_range", {{"min", 0}});
    }
  }
  return errors.ToStatus();
}

LeaderboardRules RulesOf(const Group& group, const RoundInput& settings, uint64_t seed) {
  LeaderboardRules rules;
  rules.criteria = group.criteria;
  rules.scale = group.scale;
  rules.combine = settings.combine == "trimmed_mean" ? Combine::kTrimmedMean : Combine::kMean;
  rules.normalise = settings.normalise;
  rules.divergence = settings.divergence;
  rules.tie_criterion = settings.tie_criterion;
  rules.draw_seed = seed;
  return rules;
}

// What a round's events say, replayed in order.
struct Replayed {
  std::vector<std::string> entries;
  std::vector<std::pair<std::string, std::vector<std::string>>> assignment;
  std::vector<JudgeConflict> conflicts;
  uint64_t seed = 0;
  std::set<std::pair<std::string, std::string>> assigned, recused;  // (entry, judge)
  std::map<std::pair<std::string, std::string>, json> sheets;       // latest sheet per pair
};

Replayed ReplayEvents(const std::vector<RoundEvent>& events) {
  Replayed out;
  for (const RoundEvent& event : events) {
    if (event.kind == "assigned") {
      out.entries = event.payload["entries"].get<std::vector<std::string>>();
      out.seed = std::stoull(event.payload["seed"].get<std::string>());
      out.assignment.clear();
      out.assigned.clear();
      for (const json& pair : event.payload["assignment"]) {
        std::vector<std::string> judges = pair["judges"].get<std::vector<std::string>>();
        for (const std::string& judge : judges) out.assigned.insert({pair["entry"], judge});
        out.assignment.push_back({pair["entry"], judges});
      }
      out.conflicts.clear();
      for (const json& c : event.payload["conflicts"]) {
        out.conflicts.push_back({c["entry"], c["judge"], c["kind"], c["detail"]});
      }
    } else if (event.kind == "scored") {
      out.sheets[{event.entry, event.judge}] = event.payload;
    } else if (event.kind == "recused") {
      out.recused.insert({event.entry, event.judge});
    }
  }
  return out;
}

}  // namespace

Result<CompetitionService::RoundRow> CompetitionService::FindRound(db::Connection& c,
                                                                   const std::string& id) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT r.id, e.public_id, r.position, r.settings, r.state, "
                                      "r.leaderboard, r.frozen_through, r.published_at FROM "
                                      "competition_rounds r JOIN competition_editions e ON "
                                      "e.id = r.edition_id WHERE r.public_id = ?",
                                      {id}));
  if (rows.empty()) return Status::NotFound("round");
  db::RowReader read(rows[0]);
  RoundRow out;
  out.row_id = read.Int();
  std::string edition = read.Text();
  out.round.id = id;
  out.round.edition = edition;
  out.round.position = read.IntAsInt();
  out.round.settings = SettingsFromJson(json::parse(read.Text()));
  out.round.settings.edition = edition;
  out.round.state = read.Text();
  std::optional<std::string> frozen = read.OptionalText();
  if (frozen) out.frozen = json::parse(*frozen);
  out.frozen_through = read.OptionalInt().value_or(0);
  out.round.published_at = read.Text();
  RETURN_IF_ERROR(read.Done());
  ASSIGN_OR_RETURN(out.edition, FindEdition(c, edition));
  return out;
}

Result<bool> CompetitionService::IsJudge(db::Connection& c, const RoundRow& row,
                                         const std::string& username) const {
  ASSIGN_OR_RETURN(auto found, c.Query("SELECT 1 FROM competition_judges WHERE round_id = ? AND "
                                       "username = ?",
                                       {row.row_id, username}));
  return !found.empty();
}

Result<CompetitionService::RoundRow> CompetitionService::CoordinatedRound(
    db::Connection& c, const Principal& principal, const std::string& id) const {
  ASSIGN_OR_RETURN(RoundRow row, FindRound(c, id));
  ASSIGN_OR_RETURN(bool coordinator, Coordinates(c, principal, row.edition.edition));
  if (!coordinator) {
    return Status::PermissionDenied("the organising park's operators run its rounds");
  }
  RETURN_IF_ERROR(c.Lock("competition_round", id));
  return row;
}

Result<std::vector<RoundEvent>> CompetitionService::EventsOf(db::Connection& c, int64_t round_row,
                                                             int64_t through,
                                                             const std::string& entry,
                                                             const std::string& judge) const {
  std::string sql =
      "SELECT id, kind, actor, at, entry, judge, reason, payload FROM competition_events "
      "WHERE round_id = ?";
  db::Params params = {round_row};
  if (through > 0) {
    sql += " AND id <= ?";
    params.push_back(through);
  }
  if (!entry.empty()) {
    sql += " AND (kind = 'assigned' OR (entry = ? AND judge = ?))";
    params.push_back(entry);
    params.push_back(judge);
  }
  ASSIGN_OR_RETURN(auto rows, c.Query(sql + " ORDER BY id", params));
  std::vector<RoundEvent> out;
  for (const db::Row& row : rows) {
    db::RowReader read(row);
    RoundEvent event;
    event.seq = read.Int();
    event.kind = read.Text();
    event.actor = read.Text();
    event.at = read.Text();
    event.entry = read.Text();
    event.judge = read.Text();
    event.reason = read.Text();
    event.payload = json::parse(read.Text());
    RETURN_IF_ERROR(read.Done());
    out.push_back(std::move(event));
  }
  return out;
}

Status CompetitionService::AppendEvent(db::Connection& c, const RoundRow& row,
                                       const Principal& actor, const std::string& kind,
                                       const std::string& entry, const std::string& judge,
                                       const std::string& reason, const json& payload) const {
  return c
      .Execute(
          "INSERT INTO competition_events(round_id, kind, actor, at, entry, judge, reason, "
          "payload) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
          {row.row_id, kind, actor.username, FormatUtc(clock_.Now()), entry, judge, reason,
           payload.dump()})
      .status();
}

Result<Round> CompetitionService::LoadRound(db::Connection& c, const Principal& principal,
                                            const RoundRow& row) const {
  Round round = row.round;
  ASSIGN_OR_RETURN(auto judges, c.Query("SELECT username, person, cap, confirmed_at FROM "
                                        "competition_judges WHERE round_id = ? ORDER BY username",
                                        {row.row_id}));
  ASSIGN_OR_RETURN(auto events, EventsOf(c, row.row_id, 0));
  Replayed replayed = ReplayEvents(events);
  for (const db::Row& judge : judges) {
    RoundJudge j;
    j.username = judge.Text(0);
    j.person = judge.Text(1);
    j.cap = static_cast<int>(judge.Int(2));
    j.confirmed = !judge.IsNull(3);
    ASSIGN_OR_RETURN(auto person, registry::Directory::FindPerson(c, j.person));
    if (person) j.names = {person->names.zh_hans, person->names.zh_hant, person->names.en};
    for (const auto& [entry, judge_name] : replayed.assigned) j.load += judge_name == j.username;
    round.judges.push_back(std::move(j));
  }
  ASSIGN_OR_RETURN(bool coordinator, Coordinates(c, principal, row.edition.edition));
  bool judging = std::any_of(round.judges.begin(), round.judges.end(),
                             [&](const RoundJudge& j) { return j.username == principal.username; });
  if (!coordinator && !judging && round.state != "published") return Status::NotFound("round");
  round.seed = replayed.seed;
  if (coordinator) {
    round.entries = replayed.entries;
    round.assignment = replayed.assignment;
    round.conflicts = replayed.conflicts;
    round.actions.push_back("manage");
  } else if (judging) {
    for (const auto& [entry, assigned] : replayed.assignment) {
      if (std::find(assigned.begin(), assigned.end(), principal.username) != assigned.end()) {
        round.assignment.push_back({entry, {principal.username}});
      }
    }
  }
  if (!coordinator) {
    for (RoundJudge& j : round.judges) {
      if (j.username != principal.username) j = RoundJudge{};
    }
    round.judges.erase(std::remove_if(round.judges.begin(), round.judges.end(),
                                      [](const RoundJudge& j) { return j.username.empty(); }),
                       round.judges.end());
  }
  if (judging && round.state == "scoring") round.actions.push_back("score");
  return round;
}

Result<Round> CompetitionService::CreateRound(const Principal& principal, const RoundInput& input) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<Round>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Round> {
        ASSIGN_OR_RETURN(EditionRow edition, FindEdition(c, input.edition));
        ASSIGN_OR_RETURN(bool coordinator, Coordinates(c, principal, edition.edition));
        if (!coordinator) {
          return Status::PermissionDenied("the organising park's operators run its rounds");
        }
        RETURN_IF_ERROR(CheckRound(input, edition.edition));
        RETURN_IF_ERROR(c.Lock("competition_edition", edition.edition.id));
        ASSIGN_OR_RETURN(int64_t rounds, c.QueryInt("SELECT COUNT(*) FROM competition_rounds "
                                                    "WHERE edition_id = ?",
                                                    {edition.row_id}));
        std::string id = NewPublicId("round");
        json settings = SettingsJson(input);
        RETURN_IF_ERROR(
            c.Execute("INSERT INTO competition_rounds(public_id, edition_id, "
                      "position, settings, state, created_at) "
                      "VALUES(?, ?, ?, ?, 'setup', ?)",
                      {id, edition.row_id, rounds + 1, settings.dump(), FormatUtc(clock_.Now())})
                .status());
        ASSIGN_OR_RETURN(RoundRow row, FindRound(c, id));
        RETURN_IF_ERROR(AppendEvent(c, row, principal, "created", "", "", "", settings));
        return LoadRound(c, principal, row);
      });
}

Result<Round> CompetitionService::GetRound(const Principal& principal,
                                           const std::string& id) const {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<Round>(database_, db::TxMode::kRead,
                                  [&](db::Connection& c) -> Result<Round> {
                                    ASSIGN_OR_RETURN(RoundRow row, FindRound(c, id));
                                    return LoadRound(c, principal, row);
                                  });
}

Result<std::vector<Round>> CompetitionService::ListRounds(const Principal& principal,
                                                          const std::string& edition) const {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<std::vector<Round>>(
      database_, db::TxMode::kRead, [&](db::Connection& c) -> Result<std::vector<Round>> {
        ASSIGN_OR_RETURN(EditionRow found, FindEdition(c, edition));
        ASSIGN_OR_RETURN(auto rows, c.Query("SELECT public_id FROM competition_rounds WHERE "
                                            "edition_id = ? ORDER BY position",
                                            {found.row_id}));
        std::vector<Round> out;
        for (const db::Row& r : rows) {
          ASSIGN_OR_RETURN(RoundRow row, FindRound(c, r.Text(0)));
          Result<Round> round = LoadRound(c, principal, row);
          if (round.ok()) {
            out.push_back(std::move(*round));
          } else if (round.status().code() != ErrorCode::kNotFound) {
            return round.status();
          }
        }
        return out;
      });
}

Result<Round> CompetitionService::AddJudge(const Principal& principal, const std::string& round,
                                           const std::string& username, const std::string& person,
                                           int cap) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<Round>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Round> {
        ASSIGN_OR_RETURN(RoundRow row, CoordinatedRound(c, principal, round));
        if (row.round.state != "setup") {
          return Status::Conflict("round_assigned", "judges are added before the assignment");
        }
        FieldErrors errors;
        ASSIGN_OR_RETURN(auto user, identity::IdentityService::FindUserRow(c, username));
        if (!user) {
          errors.Add("username", "no such account", "unknown_reference", {{"kind", "user"}});
        }
        ASSIGN_OR_RETURN(auto found, registry::Directory::FindPerson(c, person));
        if (!found) {
          errors.Add("person", "no such person in the registry", "unknown_reference",
                     {{"kind", "person"}});
        }
        if (cap < -1 || cap > 10000) {
          errors.Add("cap", "a number of entries, or none", "out_of_range",
                     {{"min", 0}, {"max", 10000}});
        }
        RETURN_IF_ERROR(errors.ToStatus());
        ASSIGN_OR_RETURN(bool existing, IsJudge(c, row, username));
        if (existing) {
          return Status::Invalid("username", "already a judge of this round", "duplicate",
                                 {{"id", username}});
        }
        RETURN_IF_ERROR(c.Execute("INSERT INTO competition_judges(round_id, username, person, "
                                  "cap) VALUES(?, ?, ?, ?)",
                                  {row.row_id, username, person, int64_t{cap}})
                            .status());
        RETURN_IF_ERROR(AppendEvent(c, row, principal, "judge_added", "", username, "",
                                    {{"person", person}, {"cap", cap}}));
        return LoadRound(c, principal, row);
      });
}

Result<Round> CompetitionService::ConfirmJudging(const Principal& principal,
                                                 const std::string& round) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<Round>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Round> {
        ASSIGN_OR_RETURN(RoundRow row, FindRound(c, round));
        RETURN_IF_ERROR(c.Lock("competition_round", round));
        ASSIGN_OR_RETURN(bool judging, IsJudge(c, row, principal.username));
        if (!judging) return Status::NotFound("round");
        ASSIGN_OR_RETURN(int64_t changed,
                         c.Execute("UPDATE competition_judges SET confirmed_at = ? WHERE "
                                   "round_id = ? AND username = ? AND confirmed_at IS NULL",
                                   {FormatUtc(clock_.Now()), row.row_id, principal.username}));
        if (changed == 0) return LoadRound(c, principal, row);  // confirmed before
        RETURN_IF_ERROR(AppendEvent(c, row, principal, "judge_confirmed", "", principal.username,
                                    "", json::object()));
        return LoadRound(c, principal, row);
      });
}

Result<Round> CompetitionService::Recuse(const Principal& principal, const std::string& round,
                                         const std::string& entry, const std::string& reason) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  if (reason.empty()) return Status::Invalid("reason", "a recusal states its reason", "required");
  RETURN_IF_ERROR(CheckTextField("reason", reason, kMaxReason));
  return db::InTransaction<Round>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Round> {
        ASSIGN_OR_RETURN(RoundRow row, FindRound(c, round));
        RETURN_IF_ERROR(c.Lock("competition_round", round));
        ASSIGN_OR_RETURN(bool judging, IsJudge(c, row, principal.username));
        if (!judging) return Status::NotFound("round");
        if (row.round.state == "closed" || row.round.state == "published") {
          return Status::Conflict("round_closed", "the round has closed");
        }
        ASSIGN_OR_RETURN(auto found, c.Query("SELECT 1 FROM competition_entries e JOIN "
                                             "competition_editions ed ON ed.id = e.edition_id "
                                             "WHERE e.public_id = ? AND ed.public_id = ?",
                                             {entry, row.round.edition}));
        if (found.empty()) {
          return Status::Invalid("entry", "not an entry of this edition", "unknown_reference",
                                 {{"kind", "entry"}});
        }
        RETURN_IF_ERROR(AppendEvent(c, row, principal, "recused", entry, principal.username, reason,
                                    json::object()));
        return LoadRound(c, principal, row);
      });
}

Result<std::vector<std::string>> CompetitionService::RoundEntries(db::Connection& c,
                                                                  const RoundRow& row) const {
  if (row.round.position == 1) {
    ASSIGN_OR_RETURN(auto rows, c.Query("SELECT public_id FROM competition_entries WHERE "
                                        "edition_id = ? AND state = 'submitted' ORDER BY id",
                                        {row.edition.row_id}));
    std::vector<std::string> out;
    for (const db::Row& r : rows) out.push_back(r.Text(0));
    return out;
  }
  ASSIGN_OR_RETURN(auto previous,
                   c.Query("SELECT leaderboard FROM competition_rounds WHERE edition_id = ? AND "
                           "position = ? AND state = 'published'",
                           {row.edition.row_id, int64_t{row.round.position - 1}}));
  if (previous.empty()) {
    return Status::Conflict("previous_round_unpublished",
                            "a round takes the entries the round before it advanced, once it is "
                            "published");
  }
  std::vector<std::string> out;
  json board = json::parse(previous[0].Text(0));
  for (const json& group : board["groups"]) {
    for (const json& standing : group["standings"]) {
      if (standing.value("advances", false)) out.push_back(standing["entry"]);
    }
  }
  return out;
}

Result<std::vector<JudgeConflict>> CompetitionService::ConflictsFor(
    db::Connection& c, const RoundRow& row, const std::vector<std::string>& entries,
    const std::vector<RoundEvent>& events) const {
  ASSIGN_OR_RETURN(auto judge_rows, c.Query("SELECT username, person FROM competition_judges "
                                            "WHERE round_id = ? ORDER BY username",
                                            {row.row_id}));
  std::vector<JudgeProfile> judges;
  std::vector<std::string> usernames;
  for (const db::Row& r : judge_rows) {
    JudgeProfile profile;
    profile.judge = static_cast<int>(judges.size());
    usernames.push_back(r.Text(0));
    ASSIGN_OR_RETURN(auto person, registry::Directory::FindPerson(c, r.Text(1)));
    if (person) {
      for (const std::string& name : {person->names.zh_hans, person->names.en}) {
        if (!name.empty()) profile.names.push_back(name);
      }
      ASSIGN_OR_RETURN(auto ties, registry::Directory::AffiliationsOf(c, person->row_id));
      for (const auto& tie : ties) {
        ASSIGN_OR_RETURN(auto above, registry::OrgGraph::AncestorIds(c, tie.organization_row));
        ASSIGN_OR_RETURN(auto named, registry::Directory::OrganizationsByRow(c, above));
        JudgeTie judge_tie{tie.organization, {}, tie.end_date};
        for (int64_t id : above) {
          if (named.count(id)) judge_tie.ancestors.push_back(named.at(id).public_id);
        }
        profile.ties.push_back(std::move(judge_tie));
      }
    }
    judges.push_back(std::move(profile));
  }
  std::vector<EntryProfile> profiles;
  for (size_t i = 0; i < entries.size(); ++i) {
    ASSIGN_OR_RETURN(Entry entry, GetEntryUnchecked(c, entries[i]));
    EntryProfile profile;
    profile.entry = static_cast<int>(i);
    profile.organisation = entry.organisation;
    ASSIGN_OR_RETURN(auto organisation,
                     registry::Directory::FindOrganization(c, entry.organisation));
    if (organisation) {
      ASSIGN_OR_RETURN(auto above, registry::OrgGraph::AncestorIds(c, organisation->row_id));
      ASSIGN_OR_RETURN(auto named, registry::Directory::OrganizationsByRow(c, above));
      for (int64_t id : above) {
        if (named.count(id)) profile.ancestors.push_back(named.at(id).public_id);
      }
    }
    for (const EntryListing& listing : entry.listings) {
      profile.people.insert(profile.people.end(), listing.people.begin(), listing.people.end());
    }
    for (const TeamMember& member : entry.team.members) profile.people.push_back(member.name);
    profile.team_university = entry.team.university;
    profiles.push_back(std::move(profile));
  }
  std::vector<DeclaredConflict> declared;
  for (const RoundEvent& event : events) {
    if (event.kind != "recused") continue;
    auto entry = std::find(entries.begin(), entries.end(), event.entry);
    auto judge = std::find(usernames.begin(), usernames.end(), event.judge);
    if (entry == entries.end() || judge == usernames.end()) continue;
    declared.push_back({static_cast<int>(entry - entries.begin()),
                        static_cast<int>(judge - usernames.begin()), event.reason});
  }
  std::string today = FormatUtc(clock_.Now() + std::chrono::hours(8)).substr(0, 10);
  std::vector<JudgeConflict> out;
  for (const Conflict& conflict : FindConflicts(judges, profiles, declared, today)) {
    out.push_back(
        {entries[conflict.entry], usernames[conflict.judge], conflict.kind, conflict.detail});
  }
  return out;
}

Result<Round> CompetitionService::Assign(const Principal& principal, const std::string& round,
                                         uint64_t seed, AssignmentProblemReport* report) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<Round>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Round> {
        ASSIGN_OR_RETURN(RoundRow row, CoordinatedRound(c, principal, round));
        if (row.round.state != "setup") {
          return Status::Conflict("round_assigned", "this round is already assigned");
        }
        ASSIGN_OR_RETURN(auto judge_rows,
                         c.Query("SELECT username, cap, confirmed_at FROM competition_judges "
                                 "WHERE round_id = ? ORDER BY username",
                                 {row.row_id}));
        std::vector<std::string> usernames, unconfirmed;
        AssignmentProblem problem;
        for (const db::Row& r : judge_rows) {
          usernames.push_back(r.Text(0));
          problem.caps.push_back(static_cast<int>(r.Int(1)));
          if (r.IsNull(2)) unconfirmed.push_back(r.Text(0));
        }
        if (!unconfirmed.empty()) {
          Status status = Status::Conflict(
              "judge_unconfirmed", "every judge confirms their identity before the assignment");
          status.SetExtension("judges", unconfirmed);
          return status;
        }
        ASSIGN_OR_RETURN(std::vector<std::string> entries, RoundEntries(c, row));
        ASSIGN_OR_RETURN(auto events, EventsOf(c, row.row_id, 0));
        ASSIGN_OR_RETURN(std::vector<JudgeConflict> conflicts,
                         ConflictsFor(c, row, entries, events));
        problem.entries = static_cast<int>(entries.size());
        problem.judges = static_cast<int>(usernames.size());
        problem.per_entry = row.round.settings.judges_per_entry;
        problem.seed = seed;
        for (const JudgeConflict& conflict : conflicts) {
          problem.conflicts.push_back(
              {static_cast<int>(std::find(entries.begin(), entries.end(), conflict.entry) -
                                entries.begin()),
               static_cast<int>(std::find(usernames.begin(), usernames.end(), conflict.judge) -
                                usernames.begin())});
        }
        AssignmentFailure failure;
        Result<Assignment> assigned = competitions::Assign(problem, &failure);
        if (!assigned.ok()) {
          if (report && !failure.code.empty()) {
            *report = {failure.code, {}, {}, failure.needed, failure.available};
            for (int e : failure.entries) report->entries.push_back(entries[e]);
            for (int j : failure.judges) report->judges.push_back(usernames[j]);
          }
          return assigned.status();
        }
        json pairs = json::array();
        for (size_t e = 0; e < entries.size(); ++e) {
          json judges = json::array();
          for (int j : assigned->judges_of_entry[e]) judges.push_back(usernames[j]);
          pairs.push_back({{"entry", entries[e]}, {"judges", judges}});
        }
        json found = json::array();
        for (const JudgeConflict& conflict : conflicts) {
          found.push_back({{"entry", conflict.entry},
                           {"judge", conflict.judge},
                           {"kind", conflict.kind},
                           {"detail", conflict.detail}});
        }
        RETURN_IF_ERROR(AppendEvent(c, row, principal, "assigned", "", "", "",
                                    {{"seed", std::to_string(seed)},
                                     {"entries", entries},
                                     {"assignment", pairs},
                                     {"conflicts", found}}));
        RETURN_IF_ERROR(
            c.Execute("UPDATE competition_rounds SET state = 'scoring' WHERE id = ?", {row.row_id})
                .status());
        row.round.state = "scoring";
        return LoadRound(c, principal, row);
      });
}

Result<std::vector<QueueItem>> CompetitionService::Queue(const Principal& principal,
                                                         const std::string& round) const {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<std::vector<QueueItem>>(
      database_, db::TxMode::kRead, [&](db::Connection& c) -> Result<std::vector<QueueItem>> {
        ASSIGN_OR_RETURN(RoundRow row, FindRound(c, round));
        ASSIGN_OR_RETURN(auto events, EventsOf(c, row.row_id, 0));
        Replayed replayed = ReplayEvents(events);
        std::vector<QueueItem> out;
        for (const auto& [entry_id, judges] : replayed.assignment) {
          if (std::find(judges.begin(), judges.end(), principal.username) == judges.end()) {
            continue;
          }
          ASSIGN_OR_RETURN(Entry entry, GetEntryUnchecked(c, entry_id));
          QueueItem item{entry_id, entry.title, entry.group, {}, false, false};
          auto sheet = replayed.sheets.find({entry_id, principal.username});
          if (sheet != replayed.sheets.end()) {
            item.scores = sheet->second["scores"].get<std::map<std::string, double>>();
            item.final = sheet->second["final"];
          }
          item.recused = replayed.recused.count({entry_id, principal.username}) > 0;
          out.push_back(std::move(item));
        }
        return out;
      });
}

Result<QueueItem> CompetitionService::Score(const Principal& principal, const std::string& round,
                                            const std::string& entry_id, const ScoreInput& input) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<QueueItem>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<QueueItem> {
        ASSIGN_OR_RETURN(RoundRow row, FindRound(c, round));
        RETURN_IF_ERROR(c.Lock("competition_round", round));
        ASSIGN_OR_RETURN(auto events, EventsOf(c, row.row_id, 0, entry_id, principal.username));
        Replayed replayed = ReplayEvents(events);
        std::pair<std::string, std::string> pair = {entry_id, principal.username};
        if (!replayed.assigned.count(pair)) return Status::NotFound("assignment");
        if (row.round.state != "scoring") {
          return Status::Conflict("round_not_scoring", "this round is not taking scores");
        }
        if (replayed.recused.count(pair)) {
          return Status::Conflict("recused", "you recused yourself from this entry");
        }
        auto sheet = replayed.sheets.find(pair);
        if (sheet != replayed.sheets.end() && sheet->second.value("final", false)) {
          return Status::Conflict("sheet_signed_off", "a signed-off sheet does not change");
        }
        ASSIGN_OR_RETURN(Entry entry, GetEntryUnchecked(c, entry_id));
        const Group* group = GroupOf(row.edition.edition, entry.group);
        if (!group) return Status::Internal("an entry's group is gone");
        FieldErrors errors;
        for (const Criterion& criterion : group->criteria) {
          std::string at = "scores." + criterion.key;
          auto it = input.scores.find(criterion.key);
          if (it == input.scores.end()) {
            if (input.final)
              errors.Add(at, "a signed-off sheet scores every criterion", "required");
            continue;
          }
          std::string breach = ScaleBreach(group->scale, it->second);
          if (!breach.empty()) {
            errors.Add(at, "not a score on the group's scale", breach,
                       {{"min", group->scale.min},
                        {"max", group->scale.max},
                        {"step", group->scale.step}});
          }
        }
        for (const auto& [key, value] : input.scores) {
          if (!Scores(*group, key)) {
            errors.Add("scores." + key, "not a criterion of this group", "unknown_field");
          }
        }
        RETURN_IF_ERROR(errors.ToStatus());
        json payload = {{"scores", input.scores}, {"final", input.final}};
        RETURN_IF_ERROR(
            AppendEvent(c, row, principal, "scored", entry_id, principal.username, "", payload));
        return QueueItem{entry_id, entry.title, entry.group, input.scores, input.final, false};
      });
}

Result<Round> CompetitionService::Close(const Principal& principal, const std::string& round) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<Round>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Round> {
        ASSIGN_OR_RETURN(RoundRow row, CoordinatedRound(c, principal, round));
        if (row.round.state != "scoring") {
          return Status::Conflict("round_not_scoring", "only a round taking scores closes");
        }
        RETURN_IF_ERROR(
            c.Execute("UPDATE competition_rounds SET state = 'closed' WHERE id = ?", {row.row_id})
                .status());
        RETURN_IF_ERROR(AppendEvent(c, row, principal, "closed", "", "", "", json::object()));
        row.round.state = "closed";
        return LoadRound(c, principal, row);
      });
}

Result<Round> CompetitionService::Publish(const Principal& principal, const std::string& round) {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<Round>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<Round> {
        ASSIGN_OR_RETURN(RoundRow row, CoordinatedRound(c, principal, round));
        if (row.round.state != "closed") {
          return Status::Conflict("round_not_closed", "a round is closed before it is published");
        }
        RETURN_IF_ERROR(AppendEvent(c, row, principal, "published", "", "", "", json::object()));
        ASSIGN_OR_RETURN(
            int64_t through,
            c.QueryInt("SELECT MAX(id) FROM competition_events WHERE round_id = ?", {row.row_id}));
        ASSIGN_OR_RETURN(json board, ComputeBoard(c, row, through));
        if (row.round.settings.advancement.empty()) {
          RETURN_IF_ERROR(IssueCertificates(c, row, board));
        }
        std::string now = FormatUtc(clock_.Now());
        RETURN_IF_ERROR(c.Execute("UPDATE competition_rounds SET state = 'published', "
                                  "leaderboard = ?, frozen_through = ?, published_at = ? "
                                  "WHERE id = ?",
                                  {board.dump(), through, now, row.row_id})
                            .status());
        row.round.state = "published";
        row.round.published_at = now;
        return LoadRound(c, principal, row);
      });
}

Result<json> CompetitionService::ComputeBoard(db::Connection& c, const RoundRow& row,
                                              int64_t through) const {
  ASSIGN_OR_RETURN(auto events, EventsOf(c, row.row_id, through));
  Replayed replayed = ReplayEvents(events);
  std::set<std::string> judge_names;
  for (const auto& [pair, sheet] : replayed.sheets) judge_names.insert(pair.second);
  std::vector<std::string> judges(judge_names.begin(), judge_names.end());
  json out = {{"round", row.round.id},
              {"through", through},
              {"seed", std::to_string(replayed.seed)},
              {"final", row.round.settings.advancement.empty()},
              {"groups", json::array()}};
  std::vector<Entry> round_entries;
  for (const std::string& id : replayed.entries) {
    ASSIGN_OR_RETURN(Entry entry, GetEntryUnchecked(c, id));
    round_entries.push_back(std::move(entry));
  }
  for (const Group& group : row.edition.edition.groups) {
    std::vector<Entry> entries;
    for (const Entry& entry : round_entries) {
      if (entry.group == group.key) entries.push_back(entry);
    }
    std::vector<ScoreSheet> sheets;
    for (size_t e = 0; e < entries.size(); ++e) {
      for (size_t j = 0; j < judges.size(); ++j) {
        std::pair<std::string, std::string> pair = {entries[e].id, judges[j]};
        auto sheet = replayed.sheets.find(pair);
        if (sheet == replayed.sheets.end() || !sheet->second.value("final", false)) continue;
        if (!replayed.assigned.count(pair) || replayed.recused.count(pair)) continue;
        ScoreSheet s{static_cast<int>(e), static_cast<int>(j), {}};
        for (const Criterion& criterion : group.criteria) {
          s.scores.push_back(sheet->second["scores"][criterion.key].get<double>());
        }
        sheets.push_back(std::move(s));
      }
    }
    LeaderboardRules rules = RulesOf(group, row.round.settings, replayed.seed);
    ASSIGN_OR_RETURN(competitions::Leaderboard board,
                     ComputeLeaderboard(rules, static_cast<int>(entries.size()), {}, sheets));
    std::set<int> advancing;
    auto rule = row.round.settings.advancement.find(group.key);
    if (rule != row.round.settings.advancement.end()) {
      for (int e : Advancing(board, 0, rule->second)) advancing.insert(e);
    }
    std::map<int, std::string> prizes;
    if (row.round.settings.advancement.empty()) {
      for (const Prize& prize : AllocatePrizes(board, group.prizes)) {
        prizes[prize.entry] = prize.tier;
      }
    }
    json standings = json::array();
    for (const Standing& s : board.standings) {
      json criterion_means = json::object();
      for (size_t k = 0; k < group.criteria.size(); ++k) {
        criterion_means[group.criteria[k].key] = s.criterion_means[k];
      }
      json sheet_results = json::array();
      for (const SheetResult& r : s.sheet_results) {
        sheet_results.push_back(
            {{"judge", judges[r.judge]}, {"raw", r.raw}, {"normalised", r.normalised}});
      }
      const Entry& entry = entries[s.entry];
      standings.push_back({{"entry", entry.id},
                           {"title", entry.title},
                           {"organisation", entry.organisation},
                           {"rank", s.rank},
                           {"sheets", s.sheets},
                           {"mean", s.mean},
                           {"trimmed", s.trimmed},
                           {"trim_applied", s.trim_applied},
                           {"normalised", s.normalised},
                           {"score", s.score},
                           {"total", s.total},
                           {"spread", s.spread},
                           {"divergent", s.divergent},
                           {"decided_by", s.decided_by},
                           {"criterion_means", criterion_means},
                           {"sheet_results", sheet_results},
                           {"advances", advancing.count(s.entry) > 0},
                           {"prize", prizes.count(s.entry) ? json(prizes[s.entry]) : json()}});
    }
    json habits = json::array();
    for (const JudgeHabit& h : board.judges) {
      habits.push_back({{"judge", judges[h.judge]},
                        {"sheets", h.sheets},
                        {"mean", h.mean},
                        {"spread", h.spread},
                        {"corrected", h.corrected}});
    }
    out["groups"].push_back({{"key", group.key},
                             {"standings", standings},
                             {"judges", habits},
                             {"round_mean", board.round_mean},
                             {"round_spread", board.round_spread}});
  }
  return out;
}

Result<json> CompetitionService::Leaderboard(const Principal& principal,
                                             const std::string& round) const {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<json>(
      database_, db::TxMode::kRead, [&](db::Connection& c) -> Result<json> {
        ASSIGN_OR_RETURN(RoundRow row, FindRound(c, round));
        ASSIGN_OR_RETURN(bool coordinator, Coordinates(c, principal, row.edition.edition));
        if (coordinator) {
          if (row.frozen) return *row.frozen;
          if (row.round.state == "setup") {
            return Status::Conflict("round_not_assigned", "the round has no assignment yet");
          }
          return ComputeBoard(c, row, 0);
        }
        if (!row.frozen) return Status::NotFound("leaderboard");
        json board = *row.frozen;
        for (json& group : board["groups"]) {
          group.erase("judges");
          for (json& standing : group["standings"]) {
            int n = 0;
            for (json& sheet : standing["sheet_results"]) {
              sheet["judge"] = "#" + std::to_string(++n);
            }
          }
        }
        return board;
      });
}

Result<json> CompetitionService::Replay(const Principal& principal,
                                        const std::string& round) const {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<json>(
      database_, db::TxMode::kRead, [&](db::Connection& c) -> Result<json> {
        ASSIGN_OR_RETURN(RoundRow row, FindRound(c, round));
        ASSIGN_OR_RETURN(bool coordinator, Coordinates(c, principal, row.edition.edition));
        if (!coordinator) {
          return Status::PermissionDenied("the organising park's operators audit its rounds");
        }
        if (!row.frozen) return Status::Conflict("round_not_published", "not published yet");
        return ComputeBoard(c, row, row.frozen_through);
      });
}

Result<std::vector<RoundEvent>> CompetitionService::Events(const Principal& principal,
                                                           const std::string& round) const {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<std::vector<RoundEvent>>(
      database_, db::TxMode::kRead, [&](db::Connection& c) -> Result<std::vector<RoundEvent>> {
        ASSIGN_OR_RETURN(RoundRow row, FindRound(c, round));
        ASSIGN_OR_RETURN(bool coordinator, Coordinates(c, principal, row.edition.edition));
        if (!coordinator) {
          return Status::PermissionDenied("the organising park's operators read a round's record");
        }
        return EventsOf(c, row.row_id, 0);
      });
}

Status CompetitionService::IssueCertificates(db::Connection& c, const RoundRow& row,
                                             const json& board) const {
  for (const json& group : board["groups"]) {
    for (const json& standing : group["standings"]) {
      if (standing["prize"].is_null()) continue;
      RETURN_IF_ERROR(c.Execute("INSERT INTO competition_certificates(code, round_id, entry, "
                                "group_key, tier, issued_at) VALUES(?, ?, ?, ?, ?, ?)",
                                {RandomToken(10), row.row_id, standing["entry"].get<std::string>(),
                                 group["key"].get<std::string>(),
                                 standing["prize"].get<std::string>(), FormatUtc(clock_.Now())})
                          .status());
    }
  }
  return Status::Ok();
}

Result<std::vector<Certificate>> CompetitionService::CertificatesWhere(
    db::Connection& c, const std::string& where, const db::Params& params) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT x.code, r.public_id, x.entry, x.group_key, x.tier, "
                                      "x.issued_at FROM competition_certificates x JOIN "
                                      "competition_rounds r ON r.id = x.round_id WHERE " +
                                          where + " ORDER BY x.id",
                                      params));
  std::vector<Certificate> out;
  for (const db::Row& r : rows) {
    db::RowReader read(r);
    std::string code = read.Text();
    ASSIGN_OR_RETURN(RoundRow round, FindRound(c, read.Text()));
    Certificate certificate;
    for (size_t i = 0; i < code.size(); ++i) {
      if (i > 0 && i % 4 == 0) certificate.code += '-';
      certificate.code += static_cast<char>(std::toupper(static_cast<unsigned char>(code[i])));
    }
    certificate.entry = read.Text();
    certificate.group = read.Text();
    certificate.tier = read.Text();
    certificate.issued_at = read.Text();
    RETURN_IF_ERROR(read.Done());
    const Edition& edition = round.edition.edition;
    certificate.edition = edition.id;
    certificate.year = edition.year;
    certificate.edition_names = edition.names;
    if (const Group* group = GroupOf(edition, certificate.group)) {
      certificate.group_names = group->names;
    }
    ASSIGN_OR_RETURN(Entry entry, GetEntryUnchecked(c, certificate.entry));
    certificate.title = entry.title;
    certificate.organisation = entry.organisation;
    ASSIGN_OR_RETURN(auto organisation,
                     registry::Directory::FindOrganization(c, entry.organisation));
    if (organisation) {
      certificate.organisation_names = {organisation->names.zh_hans, organisation->names.zh_hant,
                                        organisation->names.en};
    }
    out.push_back(std::move(certificate));
  }
  return out;
}

Result<std::vector<Certificate>> CompetitionService::Certificates(const Principal& principal,
                                                                  const std::string& round) const {
  if (!principal.authenticated()) return Status::Unauthenticated();
  return db::InTransaction<std::vector<Certificate>>(
      database_, db::TxMode::kRead, [&](db::Connection& c) -> Result<std::vector<Certificate>> {
        ASSIGN_OR_RETURN(RoundRow row, FindRound(c, round));
        ASSIGN_OR_RETURN(bool coordinator, Coordinates(c, principal, row.edition.edition));
        ASSIGN_OR_RETURN(auto all, CertificatesWhere(c, "x.round_id = ?", {row.row_id}));
        if (coordinator) return all;
        std::vector<Certificate> own;
        for (Certificate& certificate : all) {
          ASSIGN_OR_RETURN(bool acts, internal::ActsFor(c, principal, certificate.organisation));
          if (acts) own.push_back(std::move(certificate));
        }
        return own;
      });
}

Result<Certificate> CompetitionService::VerifyCertificate(const std::string& code) const {
  std::string key;
  for (char ch : code) {
    if (ch == '-' || ch == ' ') continue;
    key += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  if (key.size() != 16) return Status::NotFound("certificate");
  return db::InTransaction<Certificate>(
      database_, db::TxMode::kRead, [&](db::Connection& c) -> Result<Certificate> {
        ASSIGN_OR_RETURN(auto found, CertificatesWhere(c, "x.code = ?", {key}));
        if (found.empty()) return Status::NotFound("certificate");
        return found.front();
      });
}

}  // namespace parkhub::competitions
