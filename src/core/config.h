// Config: every setting of a ParkHub process, and how the layers combine.
//
// Layers apply in order of increasing precedence: defaults, a TOML file, environment variables
// (PARKHUB_<KEY> with the key upper-cased, e.g. PARKHUB_HTTP_PORT), then command-line flags.
// Each layer is applied with the same typed setter, so a bad value in any layer is reported as
// "key: reason". A Config is a plain value.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace parkhub {

struct Config {
  std::string data_dir = "./data";
  // Where the database lives: "sqlite:PATH" or "postgresql://..."; empty means
  // sqlite:<data_dir>/parkhub.db.
  std::string database_url;
  // A hot standby of that PostgreSQL database for the reads that tolerate its lag: facility
  // reports and statements, and the listings a search index rebuild reads (it then catches up
  // from the primary). Empty: every read goes to database_url.
  std::string database_read_url;
  // This instance's name among several serving one PostgreSQL database (each keeps its own search
  // index and its own position in the outbox); empty for a single instance.
  std::string instance_name;
  // How long the outbox of domain events keeps an event no instance's index has passed.
  int event_retention_hours = 24 * 7;
  std::string http_address = "127.0.0.1";
  int http_port = 8080;
  int http_workers = 0;  // 0: one per core
  int64_t http_max_body_bytes = 1 << 20;
  int http_max_header_bytes = 16 * 1024;
  int http_read_timeout_seconds = 15;
  int http_idle_timeout_seconds = 60;
  int http_max_connections = 1024;
  int http_drain_seconds = 20;
  bool secure_cookies = false;
  int session_ttl_hours = 24 * 7;
  std::string web_root;         // directory holding the built web app; empty: not served
  // The bilingual dictionary (CC-CEDICT's format) the exchange translates queries with, so a
  // Chinese need finds an English result; empty: queries are searched in their own language.
  std::string lexicon_path;
  // The audit ledger (governance/ledger.h): the name its checkpoints carry (a schema-less URL),
  // the file holding its Ed25519 signer key (created on first start when missing; empty:
  // <data_dir>/ledger.key; every instance of one database needs the same file), and the
  // verifier keys of the parties allowed to cosign its checkpoints, comma-separated.
  std::string ledger_origin = "parkhub.local/audit-ledger";
  std::string ledger_key_file;
  std::string ledger_witness_keys;
  // The cross-border policy in force (a TOML file, governance/README.md); empty: the Hetao
  // zone's policy built into the binary (policies/hetao/rules.toml).
  std::string policy_file;
  std::string access_log;       // "-" for stdout, a path, or empty for none
  int login_max_failures = 5;   // per account within the window
  int login_max_accounts_per_address = 20;  // accounts failed from one address within the window
  int login_window_seconds = 900;
  // Peers whose X-Forwarded-For names the client (comma-separated IP addresses); empty: none.
  std::string http_trusted_proxies;
  // argon2id cost; "interactive" for production, "min" for tests and demos on slow machines.
  std::string password_cost = "interactive";
};

// Sets one key from its textual value ("http.port" or "http_port" both accepted).
Status ApplySetting(Config& config, const std::string& key, const std::string& value);
// Applies every key of a TOML file. Unknown keys are errors: a typo must not pass silently.
Status ApplyTomlFile(Config& config, const std::string& path);
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
// Applies PARKHUB_* variables found through `lookup` (injected so tests need no real env).
Status ApplyEnvironment(Config& config, const EnvLookup& lookup);
EnvLookup ProcessEnvironment();
std::vector<std::string> ConfigKeys();

}  // namespace parkhub
