#include "core/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <variant>

namespace parkhub {
namespace {

using Field = std::variant<std::string Config::*, int Config::*, int64_t Config::*, bool Config::*>;

const std::map<std::string, Field>& Fields() {
  static const std::map<std::string, Field> kFields = {
      {"data_dir", &Config::data_dir},
      {"database_url", &Config::database_url},
      {"database_read_url", &Config::database_read_url},
      {"http_address", &Config::http_address},
      {"http_port", &Config::http_port},
      {"http_workers", &Config::http_workers},
      {"http_max_body_bytes", &Config::http_max_body_bytes},
      {"http_max_header_bytes", &Config::http_max_header_bytes},
      {"http_read_timeout_seconds", &Config::http_read_timeout_seconds},
      {"http_idle_timeout_seconds", &Config::http_idle_timeout_seconds},
      {"http_max_connections", &Config::http_max_connections},
      {"http_drain_seconds", &Config::http_drain_seconds},
      {"secure_cookies", &Config::secure_cookies},
      {"session_ttl_hours", &Config::session_ttl_hours},
      {"web_root", &Config::web_root},
      {"lexicon_path", &Config::lexicon_path},
      {"access_log", &Config::access_log},
      {"ledger_origin", &Config::ledger_origin},
      {"ledger_key_file", &Config::ledger_key_file},
      {"ledger_witness_keys", &Config::ledger_witness_keys},
      {"policy_file", &Config::policy_file},
      {"login_max_failures", &Config::login_max_failures},
      {"login_max_accounts_per_address", &Config::login_max_accounts_per_address},
      {"http_trusted_proxies", &Config::http_trusted_proxies},
      {"login_window_seconds", &Config::login_window_seconds},
      {"password_cost", &Config::password_cost},
      {"instance_name", &Config::instance_name},
      {"event_retention_hours", &Config::event_retention_hours},
  };
  return kFields;
}

std::string NormaliseKey(std::string key) {
  std::replace(key.begin(), key.end(), '.', '_');
  std::replace(key.begin(), key.end(), '-', '_');
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return key;
}

std::optional<int64_t> ParseInteger(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return std::nullopt;
  return value;
}

Status SetField(Config& config, const std::string& key, const Field& field,
                const std::string& value) {
  auto bad = [&](const char* reason) {
    return Status(ErrorCode::kInvalidArgument, "bad_config", key + ": " + reason);
  };
  if (auto p = std::get_if<std::string Config::*>(&field)) {
    config.*(*p) = value;
  } else if (auto p = std::get_if<bool Config::*>(&field)) {
    if (value == "true" || value == "1") {
      config.*(*p) = true;
    } else if (value == "false" || value == "0") {
      config.*(*p) = false;
    } else {
      return bad("expected true or false");
    }
  } else {
    auto number = ParseInteger(value);
    if (!number || *number < 0) return bad("expected a non-negative integer");
    if (auto p = std::get_if<int Config::*>(&field)) {
      if (*number > 1'000'000'000) return bad("too large");
      config.*(*p) = static_cast<int>(*number);
    } else {
      config.*(std::get<int64_t Config::*>(field)) = *number;
    }
  }
  if (key == "password_cost" && value != "interactive" && value != "moderate" && value != "min") {
    return bad("expected interactive, moderate or min");
  }
  return Status::Ok();
}

void FlattenToml(const toml::table& table, const std::string& prefix,
                 std::vector<std::pair<std::string, std::string>>& out) {
  for (const auto& [key, node] : table) {
    std::string full = prefix.empty() ? std::string(key.str()) : prefix + "_" + std::string(key.str());
    if (auto sub = node.as_table()) {
      FlattenToml(*sub, full, out);
    } else if (auto s = node.as_string()) {
      out.emplace_back(full, s->get());
    } else if (auto i = node.as_integer()) {
      out.emplace_back(full, std::to_string(i->get()));
    } else if (auto b = node.as_boolean()) {
      out.emplace_back(full, b->get() ? "true" : "false");
    } else {
      out.emplace_back(full, "\x01unsupported");
    }
  }
}

}  // namespace

Status ApplySetting(Config& config, const std::string& key, const std::string& value) {
  std::string normalised = NormaliseKey(key);
  auto it = Fields().find(normalised);
  if (it == Fields().end()) {
    return Status(ErrorCode::kInvalidArgument, "bad_config", "unknown setting: " + key);
  }
  return SetField(config, normalised, it->second, value);
}

Status ApplyTomlFile(Config& config, const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    return Status(ErrorCode::kInvalidArgument, "bad_config",
                  path + ": " + std::string(error.description()));
  }
  std::vector<std::pair<std::string, std::string>> settings;
  FlattenToml(table, "", settings);
  for (const auto& [key, value] : settings) {
    if (value == "\x01unsupported") {
      return Status(ErrorCode::kInvalidArgument, "bad_config", key + ": unsupported value type");
    }
    RETURN_IF_ERROR(ApplySetting(config, key, value));
  }
  return Status::Ok();
}

Status ApplyEnvironment(Config& config, const EnvLookup& lookup) {
  for (const auto& [key, field] : Fields()) {
    std::string name = "PARKHUB_" + key;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (auto value = lookup(name)) RETURN_IF_ERROR(SetField(config, key, field, *value));
  }
  return Status::Ok();
}

EnvLookup ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::vector<std::string> ConfigKeys() {
  std::vector<std::string> keys;
  for (const auto& [key, field] : Fields()) keys.push_back(key);
  return keys;
}

}  // namespace parkhub
