#include "competitions/conflicts.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <tuple>

namespace parkhub::competitions {
namespace {

// Lower-cased ASCII, every run of spaces (and the ideographic space) removed: "Li  Wei" and
// "li wei" are one name, as are "李 伟" and "李伟".
std::string NameKey(const std::string& name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = name[i];
    if (c == 0xE3 && i + 2 < name.size() && static_cast<unsigned char>(name[i + 1]) == 0x80 &&
        static_cast<unsigned char>(name[i + 2]) == 0x80) {
      i += 2;
      continue;
    }
    if (std::isspace(c)) continue;
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

// The date `years` before `today` (YYYY-MM-DD); a 29 February stays a valid comparison bound.
std::string YearsBefore(const std::string& today, int years) {
  if (today.size() < 4) return today;
  int year = std::stoi(today.substr(0, 4)) - years;
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%04d", year);
  return buffer + today.substr(4);
}

bool Contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

void TiesOf(const JudgeProfile& judge, const EntryProfile& entry, const std::string& since,
            std::vector<Conflict>& out) {
  for (const JudgeTie& tie : judge.ties) {
    if (!tie.end_date.empty() && tie.end_date < since) continue;
    if (!entry.organisation.empty()) {
      if (tie.organisation == entry.organisation) {
        out.push_back({entry.entry, judge.judge, "affiliated", entry.organisation});
      } else if (Contains(entry.ancestors, tie.organisation)) {
        out.push_back({entry.entry, judge.judge, "affiliated_parent", tie.organisation});
      } else if (Contains(tie.ancestors, entry.organisation)) {
        out.push_back({entry.entry, judge.judge, "affiliated_parent", tie.organisation});
      }
    }
    if (!entry.team_university.empty() && (tie.organisation == entry.team_university ||
                                           Contains(tie.ancestors, entry.team_university))) {
      out.push_back({entry.entry, judge.judge, "same_university", entry.team_university});
    }
  }
}

void NamesOf(const JudgeProfile& judge, const EntryProfile& entry, std::vector<Conflict>& out) {
  for (const std::string& name : judge.names) {
    std::string key = NameKey(name);
    if (key.empty()) continue;
    for (const std::string& person : entry.people) {
      if (NameKey(person) == key) {
        out.push_back({entry.entry, judge.judge, "co_author", person});
        return;
      }
    }
  }
}

}  // namespace

std::vector<Conflict> FindConflicts(const std::vector<JudgeProfile>& judges,
                                    const std::vector<EntryProfile>& entries,
                                    const std::vector<DeclaredConflict>& declared,
                                    const std::string& today, int years) {
  std::string since = YearsBefore(today, years);
  std::vector<Conflict> out;
  for (const EntryProfile& entry : entries) {
    for (const JudgeProfile& judge : judges) {
      TiesOf(judge, entry, since, out);
      NamesOf(judge, entry, out);
    }
  }
  for (const DeclaredConflict& d : declared)
    out.push_back({d.entry, d.judge, "declared", d.reason});
  std::sort(out.begin(), out.end(), [](const Conflict& a, const Conflict& b) {
    return std::tie(a.entry, a.judge, a.kind, a.detail) <
           std::tie(b.entry, b.judge, b.kind, b.detail);
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Conflict& a, const Conflict& b) {
                          return a.entry == b.entry && a.judge == b.judge && a.kind == b.kind &&
                                 a.detail == b.detail;
                        }),
            out.end());
  return out;
}

}  // namespace parkhub::competitions
