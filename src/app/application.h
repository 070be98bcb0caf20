// Application: builds every service of one ParkHub process from a Config, once, and owns them.
// This is the only place that knows every module. Commands (serve, migrate, user, import, ...)
// open an Application, use what they need, and let it close in reverse order of construction.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "api/api.h"
#include "app/competition_listings.h"
#include "app/cross_border_deals.h"
#include "app/cross_border_gate.h"
#include "app/housekeeper.h"
#include "competitions/competition_service.h"
#include "core/clock.h"
#include "core/config.h"
#include "db/database.h"
#include "db/migrator.h"
#include "exchange/exchange_service.h"
#include "facilities/eligibility.h"
#include "facilities/facility_service.h"
#include "governance/flow_requests.h"
#include "governance/governance_service.h"
#include "governance/ledger.h"
#include "governance/policy_versions.h"
#include "http/access_log.h"
#include "http/metrics.h"
#include "http/static_files.h"
#include "identity/identity_service.h"
#include "identity/login_throttle.h"
#include "notifications/notifier.h"
#include "registry/directory.h"
#include "registry/registry_service.h"
#include "text/name_collation.h"
#include "text/text_folder.h"

namespace parkhub::app {

// The whole schema of a dialect: every module's migrations, merged (db/migrator.h).
std::vector<db::Migration> SchemaMigrations(std::string_view dialect);

enum class SchemaPolicy {
  kMigrate,  // apply pending migrations (serve, migrate)
  kRequireCurrent,  // refuse a schema that is behind or ahead (other commands)
};

enum class IndexPolicy {
  kOpen,  // open the search index and catch it up with the outbox (serve, tests)
  kNone,  // leave it closed: another process may hold it, or the command rebuilds it
};

// What an Application is given rather than builds (LevelDB's Options::env): tests pass a fixed
// clock or a database of their own. Unset members take the production ones.
struct Environment {
  const Clock* clock = nullptr;              // default: the system clock
  std::unique_ptr<db::Database> database;    // default: db::Open(DatabaseUrl(config))
};

class Application {
 public:
  static Result<std::unique_ptr<Application>> Open(const Config& config, SchemaPolicy policy,
                                                   IndexPolicy index = IndexPolicy::kNone,
                                                   Environment environment = {});

  const Config& config() const { return config_; }
  db::Database& database() { return *database_; }
  // The hot standby of database_read_url, or the database itself when none is configured.
  db::Database& read_database() { return read_database_ ? *read_database_ : *database_; }
  identity::IdentityService& identity() { return *identity_; }
  registry::RegistryService& registry() { return *registry_; }
  facilities::FacilityService& facilities() { return *facilities_; }
  facilities::FacilityReports& facility_reports() { return *facility_reports_; }
  notifications::Notifier& notifier() { return *notifier_; }
  exchange::ExchangeService& exchange() { return *exchange_; }
  exchange::ParkVocabulary& vocabulary() { return *vocabulary_; }
  matching::SearchIndex& search_index() { return *index_; }
  governance::Ledger& ledger() { return *ledger_; }
  governance::PolicyVersions& policy_versions() { return *policy_versions_; }
  governance::GovernanceService& governance() { return *governance_; }
  governance::FlowRequestService& flow_requests() { return *flow_requests_; }
  competitions::CompetitionService& competitions() { return *competitions_; }
  // Integrates the ledger's pending entries when this process leads its integration (one
  // integrator among the instances of one database); the server runs it on each "ledger"
  // notification.
  Status IntegrateLedger();
  const text::TextFolder& folder() const { return *folder_; }
  const Clock& clock() const { return *clock_; }
  // Where the search index lives: <data_dir>/index.
  std::string index_path() const;
  // Builds the HTTP API over these services (the server owns none of them). Needs the search
  // index: open with IndexPolicy::kOpen.
  // `error_log`, when given, receives the error log's lines instead of stderr (tests).
  std::unique_ptr<api::Api> MakeApi(std::function<void(const std::string&)> error_log = {});
  // Every module's periodic housekeeping, for a Housekeeper (needs IndexPolicy::kOpen).
  std::vector<PeriodicJob> PeriodicJobs();

 private:
  explicit Application(Config config) : config_(std::move(config)) {}
  // `install_policy`: install or propose the configured policy (governance/policy_versions.h).
  Status OpenLedger(bool install_policy);

  Config config_;
  SystemClock system_clock_;
  const Clock* clock_ = &system_clock_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<db::Database> read_database_;  // null: reads go to database_
  std::unique_ptr<text::TextFolder> folder_;
  std::unique_ptr<text::NameCollation> collation_;
  std::unique_ptr<identity::LoginThrottle> throttle_;
  registry::RoleScopesOfRegistry role_scopes_;
  std::unique_ptr<identity::IdentityService> identity_;
  std::unique_ptr<registry::RegistryService> registry_;
  facilities::EligibilityPolicy eligibility_;
  std::unique_ptr<notifications::Notifier> notifier_;
  std::unique_ptr<PolicyCrossBorderGate> cross_border_gate_;
  ExchangeDealDirectory deal_directory_;  // governance reads the exchange's deals through it
  FlowRequestDealGate deal_gate_;         // a cross-border deal is signed with an approved flow
  std::unique_ptr<facilities::FacilityService> facilities_;
  std::unique_ptr<facilities::FacilityReports> facility_reports_;
  std::unique_ptr<matching::SearchIndex> index_;
  std::unique_ptr<matching::BilingualLexicon> lexicon_;  // null without config.lexicon_path
  std::unique_ptr<exchange::ParkVocabulary> vocabulary_;
  std::unique_ptr<exchange::ExchangeService> exchange_;
  std::unique_ptr<governance::Ledger> ledger_;
  std::vector<governance::NoteVerifier> ledger_witnesses_;
  std::unique_ptr<governance::PolicyVersions> policy_versions_;
  std::unique_ptr<governance::GovernanceService> governance_;
  std::unique_ptr<governance::FlowRequestService> flow_requests_;
  ExchangeEntryListings entry_listings_;  // competitions read the exchange's listings through it
  std::unique_ptr<competitions::CompetitionService> competitions_;
  http::Metrics metrics_;
  std::unique_ptr<http::AccessLog> access_log_;
  std::unique_ptr<http::StaticFiles> static_files_;
};

// The configured database_url, or sqlite:<data_dir>/parkhub.db when none is set.
std::string DatabaseUrl(const Config& config);
// Where the ledger's signer key lives: config.ledger_key_file or <data_dir>/ledger.key.
std::string LedgerKeyPath(const Config& config);

}  // namespace parkhub::app
