// CompetitionService: a park's competition editions, their groups, and the entries made to them.
//
// An edition (the park's competition of one year) is organised by a park and run by its park
// operators (the coordinators) or a platform admin. It has groups (tracks: the team group, the
// enterprise group), each with its entry form and eligibility rules (eligibility.h), its
// criteria with weights summing to 100 and the scale they are scored on (leaderboard.h), and its
// prize tiers with a quota each (2/6/12 by default across the two groups: 1/3/6 each). Entries
// close at the end of the closing day in the park's zone (Asia/Shanghai, UTC+8).
//
// An entry is made for an organisation of the registry by its members or admins: a title, a
// summary, the group's facts (checked against its rules at entry, every breach named), the
// organisation's exchange listings it stands on (checked through EntryListings: they must be
// the organisation's own), and for a team its members and university. Entrants may withdraw
// before entries close. Coordinators read every entry; entrants read their own.
//
// Thread-safe; every write is one transaction.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "competitions/assignment.h"
#include "competitions/eligibility.h"
#include "competitions/leaderboard.h"
#include "core/clock.h"
#include "db/database.h"
#include "db/migrator.h"
#include "identity/principal.h"

namespace parkhub::competitions {

// The module's tables (migrations/<dialect>/*.sql), merged by the composition root.
std::vector<db::Migration> SchemaMigrations(std::string_view dialect);

struct LocalNames {
  std::string zh_hans, zh_hant, en;
};

// An exchange listing as competitions read it.
struct EntryListing {
  std::string id;
  std::string title;
  std::string owner;                // the owning organisation's public id
  std::vector<std::string> people;  // names of its researchers, inventors, staff
};

// Where competitions find the exchange's listings; the app answers it, so competitions does not
// depend on exchange.
class EntryListings {
 public:
  virtual ~EntryListings() = default;
  virtual Result<std::optional<EntryListing>> Find(db::Connection& c,
                                                   const std::string& id) const = 0;
};

struct GroupInput {
  std::string key;  // [a-z0-9_]{1,32}, unique within the edition
  LocalNames names;
  GroupForm form;
  std::vector<Criterion> criteria;
  Scale scale;
  std::vector<PrizeTier> prizes;
};

struct EditionInput {
  std::string organiser;  // a park's public id
  int year = 0;
  LocalNames names;
  std::string entries_close_on;  // YYYY-MM-DD in the park's zone
  std::vector<GroupInput> groups;
};

struct Group {
  std::string key;
  LocalNames names;
  GroupForm form;
  std::vector<Criterion> criteria;
  Scale scale;
  std::vector<PrizeTier> prizes;
  int entries = 0;  // submitted, not withdrawn
};

struct Edition {
  std::string id;
  std::string organiser;
  int year = 0;
  LocalNames names;
  std::string entries_close_on;
  std::string entries_close_at;  // RFC 3339 UTC
  // open (for entries), closed (entries closed, no round yet), judging (a round exists),
  // finished (a final round is published)
  std::string state;
  std::vector<Group> groups;
  std::string created_by, created_at;
  std::vector<std::string> actions;  // what the caller may do: enter, manage
};

struct TeamMember {
  std::string name;
  std::string role;  // leader, core, member
};

struct Team {
  std::string university;  // a university's public id; empty when not a student team
  std::vector<TeamMember> members;
};

struct EntryInput {
  std::string edition;       // create only
  std::string group;         // create only
  std::string organisation;  // create only
  std::string title;
  std::string summary;
  nlohmann::json facts = nlohmann::json::object();
  std::vector<std::string> listings;
  Team team;
};

struct Entry {
  std::string id;
  std::string edition;
  std::string group;
  std::string organisation;
  std::string title;
  std::string summary;
  nlohmann::json facts;
  std::vector<EntryListing> listings;
  Team team;
  std::string state;  // submitted, withdrawn
  std::string created_by, created_at, updated_at;
  std::vector<std::string> actions;  // withdraw
};

struct RoundInput {
  std::string edition;  // create only
  LocalNames names;
  std::string kind = "online";  // online (review of the entry), pitch (8+7 before the panel)
  int judges_per_entry = 3;
  std::string combine = "mean";  // mean, trimmed_mean (from 5 sheets)
  bool normalise = false;        // rank by per-judge normalised scores
  double divergence = 0;         // flag a spread of sheet totals above it; 0: never
  std::string tie_criterion;     // a criterion every group scores; empty: skip that step
  // Who advances, per group key; empty in the final round, whose ranking gives the prizes.
  std::map<std::string, Advancement> advancement;
};

struct RoundJudge {
  std::string username;
  LocalNames names;        // the registry person's names, as the coordinator's board shows them
  std::string person;      // the registry person's public id
  int cap = -1;            // the most entries they take; -1: no cap
  bool confirmed = false;  // the judge confirmed their identity and declared their conflicts
  int load = 0;            // entries assigned
};

struct JudgeConflict {
  std::string entry;
  std::string judge;   // username
  std::string kind;    // affiliated, affiliated_parent, co_author, same_university, declared
  std::string detail;  // an organisation's public id, a shared name, or the declared reason
};

struct Round {
  std::string id;
  std::string edition;
  int position = 0;  // 1 for the first round
  RoundInput settings;
  std::string state;  // setup, scoring, closed, published
  std::vector<RoundJudge> judges;
  std::vector<std::string> entries;  // the round's entries, once assigned (coordinators only)
  std::vector<std::pair<std::string, std::vector<std::string>>> assignment;  // entry, judges
  std::vector<JudgeConflict> conflicts;                                      // found at assignment
  uint64_t seed = 0;
  std::string published_at;
  std::vector<std::string> actions;  // manage, score
};

// Why an assignment cannot be made, with the entries' and judges' ids (assignment.h's codes).
struct AssignmentProblemReport {
  std::string code;
  std::vector<std::string> entries;
  std::vector<std::string> judges;
  int64_t needed = 0;
  int64_t available = 0;
};

struct ScoreInput {
  std::map<std::string, double> scores;  // criterion key → score on the group's scale
  bool final = false;                    // a final sheet is signed off and never changes
};

struct QueueItem {
  std::string entry;
  std::string title;
  std::string group;
  std::map<std::string, double> scores;  // the judge's latest sheet, draft or final
  bool final = false;
  bool recused = false;
};

struct RoundEvent {
  int64_t seq = 0;
  std::string kind;  // created judge_added judge_confirmed assigned scored recused closed published
  std::string actor;
  std::string at;
  std::string entry, judge;
  std::string reason;
  nlohmann::json payload;
};

// A prize's certificate, as its page and the public check show it.
struct Certificate {
  std::string code;  // XXXX-XXXX-XXXX-XXXX, printed on the certificate
  std::string edition;
  int year = 0;
  LocalNames edition_names;
  std::string group;
  LocalNames group_names;
  std::string tier;  // a prize tier's key: first, second, third
  std::string entry;
  std::string title;
  std::string organisation;
  LocalNames organisation_names;
  std::string issued_at;
};

class CompetitionService {
 public:
  // The national competition's groups, weights and prizes (中国创新创业大赛): the team group on
  // technology and product, business model, industry and market, team; the enterprise group on
  // those and finances; a 0–10 scale in half points; 1/3/6 prizes each.
  static std::vector<GroupInput> DefaultGroups();

  // Without `listings`, an entry may name no listing.
  CompetitionService(db::Database& database, const Clock& clock,
                     const EntryListings* listings = nullptr);

  Result<Edition> CreateEdition(const identity::Principal& principal, const EditionInput& input);
  Result<Edition> GetEdition(const identity::Principal& principal, const std::string& id) const;
  // Newest year first.
  Result<std::vector<Edition>> ListEditions(const identity::Principal& principal) const;

  Result<Entry> SubmitEntry(const identity::Principal& principal, const EntryInput& input);
  Result<Entry> WithdrawEntry(const identity::Principal& principal, const std::string& id);
  Result<Entry> GetEntry(const identity::Principal& principal, const std::string& id) const;
  // The edition's entries the caller may read, by group then title; `group` empty: every group.
  Result<std::vector<Entry>> ListEntries(const identity::Principal& principal,
                                         const std::string& edition,
                                         const std::string& group) const;

  // Rounds (competition_rounds.cc). Every change to a round is an event (actor, time, reason):
  // the assignment, each sheet, each recusal, closing and publishing; a round's leaderboard is
  // computed from its events only, so replaying them reproduces it exactly.
  //
  // Coordinators create rounds, add judges, assign, close and publish; a judge confirms their
  // identity, sees only their own queue, scores it and recuses themselves. Until a round is
  // published its leaderboard is the coordinators'; once published it is frozen (later events
  // never change it) and entrants read it without the judges' names.
  Result<Round> CreateRound(const identity::Principal& principal, const RoundInput& input);
  Result<Round> GetRound(const identity::Principal& principal, const std::string& id) const;
  Result<std::vector<Round>> ListRounds(const identity::Principal& principal,
                                        const std::string& edition) const;
  // `username` names an account; `person` the registry person it is (whose affiliations and
  // names find the judge's conflicts).
  Result<Round> AddJudge(const identity::Principal& principal, const std::string& round,
                         const std::string& username, const std::string& person, int cap);
  // The judge confirms they are the person named and that their conflicts are declared.
  Result<Round> ConfirmJudging(const identity::Principal& principal, const std::string& round);
  // A judge declares a conflict with an entry: before assignment it keeps them off the entry,
  // after it their sheet (if any) stops counting.
  Result<Round> Recuse(const identity::Principal& principal, const std::string& round,
                       const std::string& entry, const std::string& reason);
  // Assigns every entry of the round `judges_per_entry` judges free of conflict (assignment.h),
  // reproducibly from `seed`. 409 judge_unconfirmed while a judge has not confirmed; 409
  // assignment_impossible with `report` filled when the rules cannot all be kept.
  Result<Round> Assign(const identity::Principal& principal, const std::string& round,
                       uint64_t seed, AssignmentProblemReport* report = nullptr);
  Result<std::vector<QueueItem>> Queue(const identity::Principal& principal,
                                       const std::string& round) const;
  Result<QueueItem> Score(const identity::Principal& principal, const std::string& round,
                          const std::string& entry, const ScoreInput& input);
  Result<Round> Close(const identity::Principal& principal, const std::string& round);
  Result<Round> Publish(const identity::Principal& principal, const std::string& round);
  // The round's leaderboard (BoardJson's document): live for coordinators, frozen once
  // published; entrants read only a published one, without judges' names.
  Result<nlohmann::json> Leaderboard(const identity::Principal& principal,
                                     const std::string& round) const;
  // The published leaderboard computed again from the round's events up to its publication;
  // equal to the frozen one unless the record was tampered with. For coordinators and audit.
  Result<nlohmann::json> Replay(const identity::Principal& principal,
                                const std::string& round) const;
  Result<std::vector<RoundEvent>> Events(const identity::Principal& principal,
                                         const std::string& round) const;

  // Certificates: publishing a final round (one without advancement) issues one per prize, each
  // with a code of 80 random bits. Coordinators read every certificate of a round, entrants
  // their own; anyone may check a code (dashes, spaces and case do not matter): NotFound when
  // no certificate has it.
  Result<std::vector<Certificate>> Certificates(const identity::Principal& principal,
                                                const std::string& round) const;
  Result<Certificate> VerifyCertificate(const std::string& code) const;

 private:
  struct RoundRow;
  Result<RoundRow> FindRound(db::Connection& c, const std::string& id) const;
  // Whether `username` is a judge of the round.
  Result<bool> IsJudge(db::Connection& c, const RoundRow& row, const std::string& username) const;
  Result<RoundRow> CoordinatedRound(db::Connection& c, const identity::Principal& principal,
                                    const std::string& id) const;
  Result<Round> LoadRound(db::Connection& c, const identity::Principal& principal,
                          const RoundRow& row) const;
  Status AppendEvent(db::Connection& c, const RoundRow& row, const identity::Principal& actor,
                     const std::string& kind, const std::string& entry, const std::string& judge,
                     const std::string& reason, const nlohmann::json& payload) const;
  // The round's events in order, up to `through` (0: all); with `entry` and `judge` set, only
  // the assignment and that pair's events (what a judge's sheet is checked against).
  Result<std::vector<RoundEvent>> EventsOf(db::Connection& c, int64_t round_row, int64_t through,
                                           const std::string& entry = "",
                                           const std::string& judge = "") const;
  Result<nlohmann::json> ComputeBoard(db::Connection& c, const RoundRow& row,
                                      int64_t through) const;
  Status IssueCertificates(db::Connection& c, const RoundRow& row,
                           const nlohmann::json& board) const;
  Result<std::vector<Certificate>> CertificatesWhere(db::Connection& c, const std::string& where,
                                                     const db::Params& params) const;
  Result<std::vector<std::string>> RoundEntries(db::Connection& c, const RoundRow& row) const;
  Result<std::vector<JudgeConflict>> ConflictsFor(db::Connection& c, const RoundRow& row,
                                                  const std::vector<std::string>& entries,
                                                  const std::vector<RoundEvent>& events) const;

  struct EditionRow;
  Result<EditionRow> FindEdition(db::Connection& c, const std::string& id) const;
  Result<Edition> LoadEdition(db::Connection& c, const identity::Principal& principal,
                              const EditionRow& row) const;
  // An entry as stored, read without a permission check (for the service's own use).
  Result<Entry> ReadEntry(db::Connection& c, const db::Row& row) const;
  Result<Entry> GetEntryUnchecked(db::Connection& c, const std::string& id) const;
  // The entry's row (kEntryColumns), NotFound when there is none.
  Result<db::Row> FindEntryRow(db::Connection& c, const std::string& id) const;
  // `edition`: the entry's edition when the caller has it already; null to find it.
  Result<Entry> LoadEntry(db::Connection& c, const identity::Principal& principal,
                          const db::Row& row, const EditionRow* edition) const;
  Status CheckListings(db::Connection& c, const EntryInput& input, FieldErrors& errors) const;

  db::Database& database_;
  const Clock& clock_;
  const EntryListings* listings_;
};

}  // namespace parkhub::competitions
