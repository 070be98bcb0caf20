// Conflicts of interest between a round's judges and its entries, found from what the registry
// and the exchange know, plus those declared.
//
// A judge is in conflict with an entry when:
//   affiliated: the judge is (or was, within `years` (3) before `today`) affiliated with the
//     entry's organisation;
//   affiliated_parent: ... with its parent organisation (or any ancestor), or with an
//     organisation inside it;
//   co_author: the judge's name is among the people named on the entry's listings or team
//     (co-authors, co-inventors, team members), compared case- and space-insensitively;
//   same_university: the entry is a student team from the judge's university (the Challenge
//     Cup's rule), counted like affiliated;
//   declared: the judge declared it, or the coordinator recorded it, with a reason.
// Every reason that holds is listed, so the coordinator's board can say why. Pure and
// thread-compatible; the app fills the profiles from the registry and the exchange.
#pragma once

#include <string>
#include <vector>

namespace parkhub::competitions {

struct JudgeTie {
  std::string organisation;            // public id
  std::vector<std::string> ancestors;  // its parent, the parent's parent, ...
  std::string end_date;                // YYYY-MM-DD; empty while current
};

struct JudgeProfile {
  int judge = 0;
  std::vector<std::string> names;  // the person's names in every script they have
  std::vector<JudgeTie> ties;
};

struct EntryProfile {
  int entry = 0;
  std::string organisation;            // the owning organisation's public id; may be empty
  std::vector<std::string> ancestors;  // its parent, the parent's parent, ...
  std::vector<std::string> people;     // names on its listings and team
  std::string team_university;         // a student team's university; empty otherwise
};

struct DeclaredConflict {
  int entry = 0;
  int judge = 0;
  std::string reason;
};

struct Conflict {
  int entry = 0;
  int judge = 0;
  std::string kind;    // affiliated, affiliated_parent, co_author, same_university, declared
  std::string detail;  // the organisation's id, the shared name, or the declared reason
};

// `today` is YYYY-MM-DD in the park's zone. Sorted by entry, judge, kind.
std::vector<Conflict> FindConflicts(const std::vector<JudgeProfile>& judges,
                                    const std::vector<EntryProfile>& entries,
                                    const std::vector<DeclaredConflict>& declared,
                                    const std::string& today, int years = 3);

}  // namespace parkhub::competitions
