// The exchange's records: listings (results, needs, expertise, services), saved searches,
// introductions and deals, and the vocabularies they use. Plain data plus pure validation.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/workflow.h"
#include "registry/names.h"

namespace parkhub::exchange {

using json = nlohmann::json;

const std::vector<std::string>& ListingKinds();         // result need expertise service
const std::vector<std::string>& ListingStates();        // draft published closed expired
const std::vector<std::string>& Visibilities();         // public members named
const std::vector<std::string>& TransferModes();        // licence assignment joint_development ...
const std::vector<std::string>& IpStatuses();           // none pending granted
const std::vector<std::string>& ServiceTypes();         // testing pilot prototyping other
const std::vector<std::string>& DealKinds();            // licence assignment joint_rd ...
const std::vector<std::string>& DealStages();           // negotiating signed delivered abandoned
// True when `value` is one of `values`.
bool IsOneOf(const std::vector<std::string>& values, const std::string& value);
// The workflows of the exchange (core/workflow.h). A listing is published and closed by its
// owner (expiry is the system's); an introduction is answered by the listing's owner; a deal
// moves by stage name, by either side.
const Workflow& ListingWorkflow();
const Workflow& IntroductionWorkflow();
const Workflow& DealWorkflow();

using StateChange = HistoryEntry;

// What a client sends to create or edit a listing. On edit, absent fields keep their values.
struct ListingInput {
  std::optional<std::string> kind;
  std::optional<std::string> owner_id;  // organisation public id
  std::optional<std::string> visibility;
  std::optional<std::vector<std::string>> audience;  // organisation public ids ('named')
  std::optional<std::string> title;
  std::optional<std::string> summary;
  std::optional<std::vector<std::string>> keywords;
  // Names of the people behind it: researchers, inventors, staff (the people signal).
  std::optional<std::vector<std::string>> people;
  std::optional<std::string> discipline;
  std::optional<std::vector<std::string>> tags;
  std::optional<int64_t> trl;
  std::optional<std::string> person_id;  // expertise: registry person public id
  std::optional<json> details;           // kind-specific, see ValidateDetails
  std::optional<std::string> expires_at;  // YYYY-MM-DD, or "" for never
};

struct Listing {
  std::string id;
  std::string kind;
  std::string owner_id;
  registry::Names owner_names;  // empty when a confidential need is shown outside its audience
  std::string owner_region;
  std::string author;
  std::string person_id;
  registry::Names person_names;
  std::string state;
  std::string visibility;
  std::vector<std::string> audience;
  std::string title;
  std::string summary;
  std::vector<std::string> keywords;
  std::vector<std::string> people;
  std::string discipline;
  std::vector<std::string> tags;
  int64_t trl = 0;
  json details = json::object();
  std::string expires_at;
  std::string published_at;
  int64_t version = 1;
  std::string created_at;
  std::string updated_at;
  std::vector<StateChange> history;
  bool editable = false;  // the viewer may edit it
};

// Checks the kind-specific details of a listing; field names are reported as "details.<name>".
//   result:    ip_status, patent_numbers[], transfer_modes[] (at least one), negotiable (bool)
//              or asking_price_minor (>= 0), currency
//   need:      problem (required), capability, budget_min_minor <= budget_max_minor, currency,
//              deadline (YYYY-MM-DD), location, confidential (bool)
//   expertise: past_projects[]
//   service:   service_type, capacity, price
void ValidateDetails(const std::string& kind, const json& details, FieldErrors& errors);
// The details' free text, indexed with the summary (problem, capability, projects, capacity).
std::string DetailsText(const json& details);

struct SavedSearch {
  std::string id;
  std::string name;
  std::string query;
  json filters = json::object();  // kind, organization, region, discipline, tag, trl_min, trl_max
  std::string created_at;
};

struct Deal {
  std::string id;
  std::string kind;
  std::string stage;
  int64_t value_minor = 0;
  std::string currency;
  // to_hong_kong or to_mainland when the deal moves technology across the border (it is signed
  // only with an approved technology flow request; exchange/deal_gate.h), else empty.
  std::string cross_border_direction;
  std::string created_at;
  std::string updated_at;
};

// A page of the listings of the organisations a reader acts for.
struct OwnListingQuery {
  std::string state;  // a listing state, or empty for every state
  std::string kind;   // a listing kind, or empty for every kind
  int limit = 50;     // 1..200
  int offset = 0;
};

// A page of the introductions a reader's organisations are party to.
struct IntroductionListQuery {
  std::string side;   // incoming, outgoing, or empty for both
  std::string state;  // requested, accepted, declined, or empty for every state
  int limit = 50;     // 1..200
  int offset = 0;
};

struct Introduction {
  std::string id;
  std::string listing_id;
  std::string listing_title;
  std::string listing_kind;
  std::string requester_org_id;
  registry::Names requester_org_names;
  std::string requester;  // username
  std::string owner_org_id;
  registry::Names owner_org_names;
  std::string state;  // requested accepted declined
  std::string message;
  std::string reason;
  std::optional<Deal> deal;
  std::vector<StateChange> history;  // the introduction's steps and its deal's, in order
  std::string created_at;
  std::string updated_at;
};

}  // namespace parkhub::exchange
