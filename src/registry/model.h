// The registry's records as plain values: organisations (every kind, parks and alliances
// included), memberships with their history, alliances' agreements, people and affiliations.
// Ids exposed here are public ids; row ids never leave the module.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/workflow.h"
#include "db/paging.h"
#include "registry/names.h"

namespace parkhub::registry {

// The vocabularies, as stored and as spoken by the API.
const std::vector<std::string>& OrganizationTypes();
const std::vector<std::string>& Regions();  // mainland, hong_kong, macao, foreign
const std::vector<std::string>& WellKnownTags();
const std::vector<std::string>& PersonKinds();
const std::vector<std::string>& MembershipStates();
// The settle-in workflow: an action is the state it moves to; park operators take every step.
const Workflow& MembershipWorkflow();

struct Organization {
  std::string id;
  std::string type;
  Names names;
  std::string region;
  std::string province;
  std::string city;
  std::string country;
  std::string website;
  std::string parent_id;  // public id of the parent organisation, empty when none
  std::vector<std::string> tags;
  int64_t version = 0;
  std::string created_at;
  std::string updated_at;
};

// Fields of a create or a patch; a field left unset is not changed by a patch.
struct OrganizationInput {
  std::optional<std::string> type;
  std::optional<std::string> name_zh_hans;
  std::optional<std::string> name_zh_hant;
  std::optional<std::string> name_en;
  std::optional<std::string> region;
  std::optional<std::string> province;
  std::optional<std::string> city;
  std::optional<std::string> country;
  std::optional<std::string> website;
  std::optional<std::string> parent_id;
  std::optional<std::vector<std::string>> tags;
  std::optional<int64_t> expected_version;  // optimistic concurrency on patch
};

struct OrganizationQuery {
  std::string q;       // any of the names, in any script
  std::string type;
  std::string region;
  std::string tag;
  std::string park_id;   // settled members of this park
  std::string parent_id;
  std::string sort = "name";  // name, -name, created, -created
  // The language names sort in under "name": en (alphabetical), zh-Hans (pinyin) or zh-Hant
  // (stroke order), each of the name shown in that language (text/name_collation.h).
  std::string lang = "en";
  int limit = 20;
  int offset = 0;
};

using db::Page;

using MembershipEvent = HistoryEntry;  // actor empty for the system (demo loader)

struct Membership {
  std::string id;
  std::string park_id;
  Names park_names;
  std::string organization_id;
  Names organization_names;
  std::string state;
  std::vector<std::string> allowed_next;  // the steps the reader may take (none: not theirs)
  std::string created_at;
  std::string updated_at;
  std::vector<MembershipEvent> history;
};

struct MembershipQuery {
  std::string park_id;
  std::string organization_id;
  std::string state;
  int limit = 50;
  int offset = 0;
  std::string q;  // any of the member organisation's names, in any script
};

struct Agreement {
  std::string id;
  std::string title;
  std::string signed_on;  // YYYY-MM-DD
  std::vector<std::string> signatory_ids;
  std::vector<std::string> scope_items;
};

struct AllianceMember {
  std::string organization_id;
  Names names;
  std::string joined_on;
};

struct Alliance {
  Organization organization;
  std::vector<AllianceMember> members;
  std::vector<Agreement> agreements;
};

struct ParkSummary {
  Organization organization;
  std::vector<Organization> professional_parks;
  // Counts computed from membership records: state -> count, and tag -> settled members.
  std::vector<std::pair<std::string, int64_t>> members_by_state;
  std::vector<std::pair<std::string, int64_t>> settled_by_tag;
  std::vector<std::pair<std::string, int64_t>> settled_by_region;
};

struct Affiliation {
  std::string id;
  std::string organization_id;
  Names organization_names;
  std::string role;
  std::string start_date;
  std::string end_date;
};

struct Person {
  std::string id;
  std::string name_zh;
  std::string name_en;
  std::string kind;
  std::string email;
  std::string topics;
  std::vector<Affiliation> affiliations;
  int64_t version = 0;
  std::string created_at;
  std::string updated_at;
  bool contacts_visible = false;  // whether the viewer may see `email` (otherwise it is empty)
};

struct PersonInput {
  std::optional<std::string> name_zh;
  std::optional<std::string> name_en;
  std::optional<std::string> kind;
  std::optional<std::string> email;
  std::optional<std::string> topics;
  std::optional<int64_t> expected_version;
};

struct AffiliationInput {
  std::string organization_id;
  std::string role;
  std::string start_date;
  std::string end_date;
};

struct PersonQuery {
  std::string q;
  std::string organization_id;
  std::string kind;
  int limit = 20;
  int offset = 0;
};

}  // namespace parkhub::registry
