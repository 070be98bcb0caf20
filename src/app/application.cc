#include "app/application.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/random.h"
#include "core/strings.h"
#include "db/migrator.h"
#include "matching/query_translator.h"

namespace parkhub::app {

std::string DatabaseUrl(const Config& config) {
  if (!config.database_url.empty()) return config.database_url;
  return "sqlite:" + (std::filesystem::path(config.data_dir) / "parkhub.db").string();
}

std::string Application::index_path() const {
  return (std::filesystem::path(config_.data_dir) / "index").string();
}

std::vector<db::Migration> SchemaMigrations(std::string_view dialect) {
  // In the order the modules' tables depend on one another.
  return db::MergeModuleMigrations(
      {db::SchemaMigrations(dialect), identity::SchemaMigrations(dialect),
       registry::SchemaMigrations(dialect), notifications::SchemaMigrations(dialect),
       facilities::SchemaMigrations(dialect), exchange::SchemaMigrations(dialect),
       governance::SchemaMigrations(dialect), competitions::SchemaMigrations(dialect)});
}

Result<std::unique_ptr<Application>> Application::Open(const Config& config,
                                                       SchemaPolicy policy, IndexPolicy index,
                                                       Environment environment) {
  InitCrypto();
  std::unique_ptr<Application> app(new Application(config));
  if (environment.clock) app->clock_ = environment.clock;
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    return Status(ErrorCode::kUnavailable, "data_dir", "cannot create " + config.data_dir + ": " +
                                                           ec.message());
  }
  if (environment.database) {
    app->database_ = std::move(environment.database);
  } else {
    ASSIGN_OR_RETURN(app->database_, db::Open(DatabaseUrl(config)));
  }
  db::Migrator migrator(*app->database_, SchemaMigrations(app->database_->Dialect()));
  if (policy == SchemaPolicy::kMigrate) {
    auto applied = migrator.Migrate();
    if (!applied.ok()) return applied.status();
  } else {
    RETURN_IF_ERROR(migrator.CheckUpToDate());
  }
  if (!config.database_read_url.empty()) {
    if (app->database_->Dialect() != "postgres" ||
        config.database_read_url.rfind("postgresql://", 0) != 0) {
      return Status::Invalid("database_read_url",
                             "a hot standby of a PostgreSQL database_url (postgresql://...)",
                             "bad_format", {{"format", "postgresql_url"}});
    }
    ASSIGN_OR_RETURN(app->read_database_, db::Open(config.database_read_url));
  }
  ASSIGN_OR_RETURN(app->folder_, text::TextFolder::Create());
  ASSIGN_OR_RETURN(app->collation_, text::NameCollation::Create());
  app->throttle_ = std::make_unique<identity::LoginThrottle>(
      *app->clock_, identity::ThrottleLimits{config.login_max_failures,
                                            config.login_max_accounts_per_address,
                                            std::chrono::seconds(config.login_window_seconds)});
  app->identity_ = std::make_unique<identity::IdentityService>(
      *app->database_, *app->clock_, *app->throttle_, app->role_scopes_,
      identity::ParsePasswordCost(config.password_cost),
      std::chrono::hours(config.session_ttl_hours));
  app->registry_ = std::make_unique<registry::RegistryService>(*app->database_, *app->clock_,
                                                               *app->folder_, *app->collation_);
  // Sort keys are computed in C++ (ICU), so rows older than their columns get them here.
  if (policy == SchemaPolicy::kMigrate) RETURN_IF_ERROR(app->registry_->FillSortKeys());
  app->notifier_ = std::make_unique<notifications::Notifier>(*app->database_, *app->clock_);
  // Governance before facilities: bookings across the border ask its policy.
  RETURN_IF_ERROR(app->OpenLedger(policy == SchemaPolicy::kMigrate));
  app->cross_border_gate_ = std::make_unique<PolicyCrossBorderGate>(*app->governance_);
  app->facilities_ = std::make_unique<facilities::FacilityService>(
      *app->database_, *app->clock_, *app->folder_, app->eligibility_, *app->notifier_,
      app->cross_border_gate_.get());
  if (policy == SchemaPolicy::kMigrate) RETURN_IF_ERROR(app->facilities_->FillTraditionalNames());
  // Reports tolerate a standby's lag of moments: they summarise months.
  app->facility_reports_ = std::make_unique<facilities::FacilityReports>(app->read_database());
  if (index == IndexPolicy::kOpen) {
    ASSIGN_OR_RETURN(app->index_, matching::SearchIndex::Open(app->index_path()));
    exchange::IndexFollowing following;
    if (!config.instance_name.empty()) following.consumer += "@" + config.instance_name;
    following.retention = std::chrono::hours(config.event_retention_hours);
    following.bulk_reads = &app->read_database();
    if (!config.lexicon_path.empty()) {
      ASSIGN_OR_RETURN(app->lexicon_, matching::LoadLexicon(config.lexicon_path, *app->folder_));
    }
    app->vocabulary_ = std::make_unique<exchange::ParkVocabulary>(
        *app->database_, *app->clock_, *app->folder_,
        std::vector<exchange::NameSource>{registry::Directory::BilingualOrganizationNames,
                                          facilities::FacilityService::BilingualResourceNames});
    RETURN_IF_ERROR(app->vocabulary_->Refresh());
    app->exchange_ = std::make_unique<exchange::ExchangeService>(
        *app->database_, *app->clock_, *app->folder_, *app->index_, *app->notifier_, following,
        app->lexicon_.get(), app->vocabulary_.get(), &app->deal_gate_);
    // Whatever was committed but not yet indexed when the last process stopped.
    RETURN_IF_ERROR(app->exchange_->indexer().Open());
  }
  if (!config.access_log.empty()) {
    ASSIGN_OR_RETURN(app->access_log_, http::AccessLog::Open(config.access_log));
  }
  if (!config.web_root.empty()) {
    app->static_files_ = std::make_unique<http::StaticFiles>(config.web_root);
  }
  return app;
}

std::string LedgerKeyPath(const Config& config) {
  if (!config.ledger_key_file.empty()) return config.ledger_key_file;
  return (std::filesystem::path(config.data_dir) / "ledger.key").string();
}

Status Application::OpenLedger(bool install_policy) {
  ASSIGN_OR_RETURN(
      governance::NoteSigner signer,
      governance::LoadOrCreateSignerKey(LedgerKeyPath(config_), config_.ledger_origin));
  for (const std::string& listed : SplitJoined(config_.ledger_witness_keys, ',')) {
    std::string key(Trim(listed));
    if (key.empty()) continue;
    auto witness = governance::NoteVerifier::Parse(key);
    if (!witness.ok()) {
      return Status::Invalid("ledger_witness_keys", witness.status().message(), "bad_format",
                             {{"format", "verifier_key"}});
    }
    ledger_witnesses_.push_back(*witness);
  }
  ledger_ = std::make_unique<governance::Ledger>(*database_, *clock_, std::move(signer),
                                                 config_.ledger_origin);
  std::string policy_text(governance::BuiltInPolicyToml());
  if (!config_.policy_file.empty()) {
    std::ifstream in(config_.policy_file);
    if (!in) return Status::InvalidArgument("policy_file: cannot read " + config_.policy_file);
    std::stringstream text;
    text << in.rdbuf();
    policy_text = text.str();
  }
  auto policy = governance::PolicySet::FromToml(policy_text);
  if (!policy.ok()) return Status::InvalidArgument("policy_file: " + policy.status().message());
  policy_versions_ = std::make_unique<governance::PolicyVersions>(*database_, *clock_, *ledger_);
  if (install_policy) RETURN_IF_ERROR(policy_versions_->InstallConfigured(*policy));
  governance_ = std::make_unique<governance::GovernanceService>(*database_, *clock_, *ledger_,
                                                                *policy_versions_, *notifier_);
  flow_requests_ = std::make_unique<governance::FlowRequestService>(
      *database_, *clock_, *ledger_, *governance_, *notifier_, &deal_directory_);
  competitions_ =
      std::make_unique<competitions::CompetitionService>(*database_, *clock_, &entry_listings_);
  return Status::Ok();
}

Status Application::IntegrateLedger() {
  ASSIGN_OR_RETURN(bool leads, database_->TryLead("ledger integration"));
  if (!leads) return Status::Ok();
  return ledger_->Integrate().status();
}

std::vector<PeriodicJob> Application::PeriodicJobs() {
  return {
      {"booking reminders", [this] { return facilities_->SendDueReminders().status(); }, true},
      {"listing expiry", [this] { return exchange_->ExpireDue().status(); }, true},
      {"flow approval expiry", [this] { return flow_requests_->ExpireDue().status(); }, true},
      {"flow approval reminders", [this] { return flow_requests_->RemindDueApprovals().status(); },
       true},
      {"flow requests under a new policy",
       [this] { return flow_requests_->RedecidePending().status(); }, true},
      {"whitelist expiry reminders",
       [this] { return governance_->RemindExpiringEntries().status(); }, true},
      {"search index snapshot", [this] { return exchange_->indexer().Checkpoint(); }, false},
      // Glossary changes made through other instances, and the registry's new names.
      {"park vocabulary", [this] { return vocabulary_->Refresh(); }, false},
  };
}

std::unique_ptr<api::Api> Application::MakeApi(std::function<void(const std::string&)> error_log) {
  api::PipelineOptions pipeline{*identity_, metrics_, *clock_};
  pipeline.access_log = access_log_.get();
  pipeline.static_files = static_files_.get();
  if (error_log) pipeline.error_log = std::move(error_log);
  auto ready = [this] {
    auto connection = database_->Acquire();
    return connection.ok() && (*connection)->QueryInt("SELECT 1").ok();
  };
  // The route table, module by module.
  api::RouteTable routes;
  api::AddSystemRoutes(routes, metrics_, ready);
  api::AddAuthRoutes(routes, *identity_,
                     {config_.secure_cookies, std::chrono::hours(config_.session_ttl_hours)});
  api::AddUserRoutes(routes, *identity_);
  api::AddOrganizationRoutes(routes, *registry_);
  api::AddMembershipRoutes(routes, *registry_);
  api::AddAllianceRoutes(routes, *registry_);
  api::AddPeopleRoutes(routes, *registry_);
  api::AddTransferRoutes(routes, *registry_);
  api::AddFacilityRoutes(routes, *facilities_, *facility_reports_);
  api::AddNotificationRoutes(routes, *notifier_);
  api::AddExchangeRoutes(routes, *exchange_);
  api::AddGlossaryRoutes(routes, *vocabulary_);
  api::AddLedgerRoutes(routes, *ledger_, ledger_witnesses_);
  api::AddGovernanceRoutes(routes, *policy_versions_, *governance_, *flow_requests_, *registry_);
  api::AddCompetitionRoutes(routes, *competitions_, *registry_);
  return std::make_unique<api::Api>(std::move(pipeline), std::move(routes));
}

}  // namespace parkhub::app
