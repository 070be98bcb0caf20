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

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

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
  std::string state;             // open, closed (entries), judging, finished
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

 private:
  struct EditionRow;
  Result<EditionRow> FindEdition(db::Connection& c, const std::string& id) const;
  Result<Edition> LoadEdition(db::Connection& c, const identity::Principal& principal,
                              const EditionRow& row) const;
  // `edition`: the entry's edition when the caller has it already; null to find it.
  Result<Entry> LoadEntry(db::Connection& c, const identity::Principal& principal,
                          const db::Row& row, const EditionRow* edition) const;
  Status CheckListings(db::Connection& c, const EntryInput& input, FieldErrors& errors) const;

  db::Database& database_;
  const Clock& clock_;
  const EntryListings* listings_;
};

}  // namespace parkhub::competitions
