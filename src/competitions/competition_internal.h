// What the files of CompetitionService share (competition_service.cc, competition_rounds.cc):
// the edition's row and the permission and text rules. Not for other modules.
#pragma once

#include <string>
#include <vector>

#include "competitions/competition_service.h"

namespace parkhub::competitions {

struct CompetitionService::EditionRow {
  int64_t row_id = 0;
  Edition edition;
  std::vector<int64_t> group_rows;  // beside edition.groups
};

namespace internal {

constexpr size_t kMaxName = 200;

// [a-z0-9_]{1,32}: the keys of groups, criteria and prize tiers.
bool IsKey(const std::string& key);
// Whether the principal coordinates the edition: an operator of its organising park, or a
// platform admin.
Result<bool> Coordinates(db::Connection& c, const identity::Principal& principal,
                         const Edition& edition);
// Names in the three languages, each required and checked as text.
void CheckNames(const std::string& field, const LocalNames& names, FieldErrors& errors);
// Whether the principal acts for the organisation (registry/org_graph.h: its members, its admins
// and those of an organisation above it).
Result<bool> ActsFor(db::Connection& c, const identity::Principal& principal,
                     const std::string& organisation);

}  // namespace internal
}  // namespace parkhub::competitions
