#include "api/json_codec.h"

#include <set>
#include <string>
#include <vector>

#include <algorithm>

#include "core/csv.h"

namespace parkhub::api {

Result<json> ParseJsonObject(const http::HttpRequest& request) {
  if (!IsValidUtf8(request.body)) {
    return Status(ErrorCode::kInvalidArgument, "invalid_utf8", "the body is not valid UTF-8");
  }
  // A key given twice would leave the meaning to whichever parser reads it (RFC 8259 leaves it
  // open); it is refused instead of quietly taking the last.
  std::vector<std::set<std::string>> open_objects;
  std::string duplicate;
  auto watch_keys = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) open_objects.emplace_back();
    if (event == json::parse_event_t::object_end && !open_objects.empty()) open_objects.pop_back();
    if (event == json::parse_event_t::key && !open_objects.empty() &&
        !open_objects.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
      duplicate = parsed.get<std::string>();
    }
    return true;
  };
  json body = json::parse(request.body, watch_keys, false);
  if (body.is_discarded()) {
    return Status(ErrorCode::kInvalidArgument, "malformed_json", "the body is not valid JSON");
  }
  if (!duplicate.empty()) {
    return Status(ErrorCode::kInvalidArgument, "duplicate_key", "a key appears twice in one object")
        .AddFieldError(duplicate, "given more than once", "duplicate");
  }
  if (!body.is_object()) {
    return Status(ErrorCode::kInvalidArgument, "malformed_json", "the body must be a JSON object");
  }
  return body;
}

BodyReader::BodyReader(const json& body, std::set<std::string> known) : body_(body) {
  for (const auto& [key, value] : body.items()) {
    if (!known.count(key)) Fail(key, "unknown field", "unknown_field");
  }
}

const json* BodyReader::Find(const std::string& field, bool required) {
  auto it = body_.find(field);
  if (it != body_.end() && !it->is_null()) return &*it;
  if (required) Fail(field, "required", "required");
  return nullptr;
}

void BodyReader::Fail(const std::string& field, const std::string& reason, const std::string& code,
                      json params) {
  errors_.Add(field, reason, code, std::move(params));
}

std::optional<std::string> BodyReader::String(const std::string& field, bool required) {
  const json* value = Find(field, required);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    Fail(field, "must be a string", "wrong_type", {{"expected", "string"}});
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::optional<int64_t> BodyReader::Integer(const std::string& field, bool required) {
  const json* value = Find(field, required);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number_integer()) {
    Fail(field, "must be an integer", "wrong_type", {{"expected", "integer"}});
    return std::nullopt;
  }
  return value->get<int64_t>();
}

std::optional<double> BodyReader::Number(const std::string& field, bool required) {
  const json* value = Find(field, required);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number()) {
    Fail(field, "must be a number", "wrong_type", {{"expected", "number"}});
    return std::nullopt;
  }
  return value->get<double>();
}

std::optional<bool> BodyReader::Bool(const std::string& field, bool required) {
  const json* value = Find(field, required);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) {
    Fail(field, "must be true or false", "wrong_type", {{"expected", "boolean"}});
    return std::nullopt;
  }
  return value->get<bool>();
}

std::optional<json> BodyReader::Object(const std::string& field) {
  const json* value = Find(field, false);
  if (value == nullptr) return std::nullopt;
  if (!value->is_object()) {
    Fail(field, "must be an object", "wrong_type", {{"expected", "object"}});
    return std::nullopt;
  }
  return *value;
}

std::optional<std::vector<std::string>> BodyReader::StringList(const std::string& field,
                                                               bool required) {
  const json* value = Find(field, required);
  if (value == nullptr) return std::nullopt;
  bool all_strings = value->is_array() && std::all_of(value->begin(), value->end(),
                                                      [](const json& v) { return v.is_string(); });
  if (!all_strings) {
    Fail(field, "must be an array of strings", "wrong_type", {{"expected", "string_array"}});
    return std::nullopt;
  }
  return value->get<std::vector<std::string>>();
}

std::optional<json> BodyReader::Array(const std::string& field) {
  const json* value = Find(field, false);
  if (value == nullptr) return std::nullopt;
  if (!value->is_array()) {
    Fail(field, "must be an array", "wrong_type", {{"expected", "array"}});
    return std::nullopt;
  }
  return *value;
}

Status BodyReader::Finish() const { return errors_.ToStatus(); }

json ToJson(const registry::Names& names) {
  return {{"zh_hans", names.zh_hans}, {"zh_hant", names.zh_hant}, {"en", names.en}};
}

json NamedRef(const std::string& id, const registry::Names& names) {
  return {{"id", id}, {"names", ToJson(names)}};
}

json ToJson(const registry::Organization& o) {
  return {{"id", o.id},
          {"type", o.type},
          {"names", ToJson(o.names)},
          {"region", o.region},
          {"province", o.province},
          {"city", o.city},
          {"country", o.country},
          {"website", o.website},
          {"parent_id", o.parent_id.empty() ? json(nullptr) : json(o.parent_id)},
          {"tags", o.tags},
          {"version", o.version},
          {"created_at", o.created_at},
          {"updated_at", o.updated_at}};
}

json HistoryToJson(const std::vector<HistoryEntry>& history, const std::string& system_actor) {
  json out = json::array();
  for (const auto& e : history) {
    out.push_back({{"from", e.from_state.empty() ? json(nullptr) : json(e.from_state)},
                   {"to", e.to_state},
                   {"actor", e.actor.empty() ? system_actor : e.actor},
                   {"at", e.at},
                   {"note", e.note}});
  }
  return out;
}

json ToJson(const registry::Membership& m) {
  json history = HistoryToJson(m.history, "system");
  return {{"id", m.id},
          {"park", NamedRef(m.park_id, m.park_names)},
          {"organization", NamedRef(m.organization_id, m.organization_names)},
          {"state", m.state},
          {"allowed_next_states", m.allowed_next},
          {"created_at", m.created_at},
          {"updated_at", m.updated_at},
          {"history", history}};
}

json ToJson(const registry::Agreement& a) {
  return {{"id", a.id},
          {"title", a.title},
          {"signed_on", a.signed_on},
          {"signatory_ids", a.signatory_ids},
          {"scope_items", a.scope_items}};
}

json ToJson(const registry::Alliance& a) {
  json members = json::array();
  for (const auto& m : a.members) {
    json member = NamedRef(m.organization_id, m.names);
    member["joined_on"] = m.joined_on;
    members.push_back(std::move(member));
  }
  json agreements = json::array();
  for (const auto& agreement : a.agreements) agreements.push_back(ToJson(agreement));
  json out = ToJson(a.organization);
  out["members"] = members;
  out["member_count"] = a.members.size();
  out["agreements"] = agreements;
  return out;
}

json ToJson(const registry::Person& p) {
  json affiliations = json::array();
  for (const auto& a : p.affiliations) {
    affiliations.push_back({{"id", a.id},
                            {"organization", NamedRef(a.organization_id, a.organization_names)},
                            {"role", a.role},
                            {"start_date", a.start_date},
                            {"end_date", a.end_date}});
  }
  json out = {{"id", p.id},         {"name_zh", p.name_zh},       {"name_en", p.name_en},
              {"kind", p.kind},     {"topics", p.topics},
              {"affiliations", affiliations}, {"version", p.version}, {"created_at", p.created_at},
              {"updated_at", p.updated_at}};
  // Contact details only for those who may see them; others are not told there is an address.
  if (p.contacts_visible) out["email"] = p.email;
  return out;
}

json ToJson(const registry::ParkSummary& s) {
  auto counts = [](const std::vector<std::pair<std::string, int64_t>>& pairs) {
    json out = json::object();
    for (const auto& [key, count] : pairs) out[key] = count;
    return out;
  };
  json professional = json::array();
  for (const auto& p : s.professional_parks) professional.push_back(ToJson(p));
  json out = ToJson(s.organization);
  out["professional_parks"] = professional;
  out["members_by_state"] = counts(s.members_by_state);
  out["settled_by_tag"] = counts(s.settled_by_tag);
  out["settled_by_region"] = counts(s.settled_by_region);
  int64_t settled = 0;
  for (const auto& [state, count] : s.members_by_state) {
    if (state == "settled") settled = count;
  }
  out["settled_members"] = settled;
  return out;
}

json ToJson(const registry::ImportReport& r) {
  json issues = json::array();
  for (const auto& i : r.issues) {
    issues.push_back({{"line", i.line}, {"field", i.field}, {"reason", i.reason}});
  }
  return {{"rows", r.rows},       {"valid", r.valid},  {"written", r.written},
          {"dry_run", r.dry_run}, {"errors", issues}};
}

namespace {
json RolesToJson(const std::vector<identity::RoleAssignment>& roles) {
  json out = json::array();
  for (const auto& r : roles) {
    out.push_back({{"role", identity::RoleName(r.role)},
                   {"scope", r.scope_public_id.empty() ? json(nullptr) : json(r.scope_public_id)}});
  }
  return out;
}
}  // namespace

json ToJson(const identity::UserSummary& u) {
  return {{"id", u.public_id},       {"username", u.username},   {"display_name", u.display_name},
          {"disabled", u.disabled},  {"created_at", u.created_at}, {"roles", RolesToJson(u.roles)}};
}

json ToJson(const identity::Principal& p) {
  return {{"id", p.public_id},
          {"username", p.username},
          {"display_name", p.display_name},
          {"roles", RolesToJson(p.roles)}};
}

}  // namespace parkhub::api
