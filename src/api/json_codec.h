// Strict JSON reading for request bodies, and the JSON shapes of registry records.
//
// BodyReader refuses what a lenient parser would guess at: a body that is not a JSON object,
// a field of the wrong type, a field the endpoint does not know (a typo must not be silently
// ignored), and strings that are not valid UTF-8. It collects every field error before failing.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "http/message.h"
#include "identity/identity_service.h"
#include "registry/model.h"
#include "registry/registry_service.h"

namespace parkhub::api {

using nlohmann::json;

// Parses the request body as a JSON object (400 when it is not one).
Result<json> ParseJsonObject(const http::HttpRequest& request);

class BodyReader {
 public:
  BodyReader(const json& body, std::set<std::string> known);
  std::optional<std::string> String(const std::string& field, bool required = false);
  std::optional<int64_t> Integer(const std::string& field, bool required = false);
  std::optional<std::vector<std::string>> StringList(const std::string& field,
                                                     bool required = false);
  std::optional<double> Number(const std::string& field, bool required = false);
  std::optional<bool> Bool(const std::string& field, bool required = false);
  std::optional<json> Array(const std::string& field);
  std::optional<json> Object(const std::string& field);
  // 422 with every field error found, or OK.
  Status Finish() const;

 private:
  // The field's value, or nullptr when absent or null (recording "required" if it must be there).
  const json* Find(const std::string& field, bool required);
  void Fail(const std::string& field, const std::string& reason, const std::string& code = "invalid",
            json params = json::object());

  const json& body_;
  FieldErrors errors_;
};

// A record's history: from (null for the first step), to, actor, at, note. An empty actor (the
// system) is written as `system_actor`.
json HistoryToJson(const std::vector<HistoryEntry>& history, const std::string& system_actor = "");
// A named thing's names, {"zh_hans", "zh_hant", "en"}: every answer that mentions an organisation,
// park, person or resource carries them (as "names"), and the client shows the reader's.
json ToJson(const registry::Names& names);
// A reference to a named thing: {"id", "names"}.
json NamedRef(const std::string& id, const registry::Names& names);
json ToJson(const registry::Organization& o);
json ToJson(const registry::Membership& m);
json ToJson(const registry::Alliance& a);
json ToJson(const registry::Agreement& a);
json ToJson(const registry::Person& p);
json ToJson(const registry::ParkSummary& s);
json ToJson(const registry::ImportReport& r);
json ToJson(const identity::UserSummary& u);
json ToJson(const identity::Principal& p);

template <typename T, typename ItemToJson>
json PageToJson(const db::Page<T>& page, ItemToJson item_to_json) {
  json items = json::array();
  for (const auto& item : page.items) items.push_back(item_to_json(item));
  return {{"items", items}, {"total", page.total}, {"limit", page.limit}, {"offset", page.offset}};
}

template <typename T>
json PageToJson(const db::Page<T>& page) {
  return PageToJson(page, [](const T& item) { return ToJson(item); });
}

}  // namespace parkhub::api
