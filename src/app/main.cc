// parkhub: the one binary. Subcommands: serve, migrate, user, import, export, backup, restore,
// copy-data, reindex, eval, version. Configuration: defaults ← TOML file (--config) ← PARKHUB_*
// environment ← flags.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/application.h"
#include "app/copy_data.h"
#include "app/crash_report.h"
#include "app/demo.h"
#include "app/event_follower.h"
#include "core/random.h"
#include "core/strings.h"
#include "db/domain_events.h"
#include "db/migrator.h"
#include "db/sqlite/sqlite_database.h"
#include "governance/audit_verifier.h"
#include "governance/policy_tests.h"
#include "governance/regulator_bundle.h"
#include "http/client_address.h"
#include "http/server.h"
#include "matching/bilingual_lexicon.h"
#include "matching/evaluation.h"
#include "matching/query_translator.h"
#include "text/text_folder.h"

namespace parkhub::app {
namespace {

constexpr char kVersion[] = "0.1.0";

int Fail(const Status& status) {
  std::cerr << "parkhub: " << status.message() << "\n";
  for (const auto& e : status.field_errors()) std::cerr << "  " << e.field << ": " << e.reason << "\n";
  return status.code() == ErrorCode::kUnprocessable || status.code() == ErrorCode::kInvalidArgument
             ? 2
             : 1;
}

std::string ReadFileOrStdin(const std::string& path) {
  std::ostringstream content;
  if (path == "-") {
    content << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    content << in.rdbuf();
  }
  return content.str();
}

std::string DefaultDemoDataDir() {
  for (const char* candidate : {"../shared/data/orgs", "../../shared/data/orgs",
                                "/usr/share/parkhub/demo"}) {
    if (std::filesystem::exists(std::string(candidate) + "/china_universities.csv")) return candidate;
  }
  return "../shared/data/orgs";
}

void PrintProgress(int done, int total) {
  if (!isatty(STDERR_FILENO) && done != total) return;
  int width = 40;
  int filled = total == 0 ? width : done * width / total;
  std::fprintf(stderr, "\r[%s%s] %d/%d", std::string(filled, '#').c_str(),
               std::string(width - filled, ' ').c_str(), done, total);
  if (done == total) std::fprintf(stderr, "\n");
}

struct ServeOptions {
  bool demo = false;
  std::string demo_data = DefaultDemoDataDir();
};

int Serve(const Config& config, const ServeOptions& options) {
  // Signals are taken synchronously by this thread; workers never see them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto app = Application::Open(config, SchemaPolicy::kMigrate, IndexPolicy::kOpen);
  if (!app.ok()) return Fail(app.status());
  std::string demo_password;
  if (options.demo) {
    const char* given = std::getenv("PARKHUB_DEMO_PASSWORD");
    demo_password = given && *given ? given : RandomToken(8);
    auto summary = LoadDemoNetwork(**app, options.demo_data, demo_password);
    if (!summary.ok()) return Fail(summary.status());
    if (summary->loaded) {
      std::cout << "Loaded the demo network: " << summary->organizations << " organisations, "
                << summary->people << " people.\n";
    } else {
      std::cout << "The data directory already holds a network; the demo was not loaded again.\n";
      demo_password.clear();
    }
  }
  auto api = (*app)->MakeApi();
  http::ServerOptions server_options;
  server_options.address = config.http_address;
  server_options.port = config.http_port;
  server_options.workers = config.http_workers;
  server_options.max_body_bytes = static_cast<uint64_t>(config.http_max_body_bytes);
  server_options.max_header_bytes = static_cast<uint32_t>(config.http_max_header_bytes);
  server_options.read_timeout = std::chrono::seconds(config.http_read_timeout_seconds);
  server_options.idle_timeout = std::chrono::seconds(config.http_idle_timeout_seconds);
  server_options.max_connections = config.http_max_connections;
  server_options.drain_timeout = std::chrono::seconds(config.http_drain_seconds);
  auto trusted_proxies = http::ParseTrustedProxies(config.http_trusted_proxies);
  if (!trusted_proxies.ok()) return Fail(trusted_proxies.status());
  server_options.trusted_proxies = *trusted_proxies;
  http::HttpServer server(
      server_options,
      [&api](http::HttpRequest& request, http::Responder reply) {
        api->HandleAsync(request, std::move(reply));
      },
      &api::Api::LimitResponse);
  if (Status s = server.Start(); !s.ok()) return Fail(s);
  std::string host = config.http_address == "0.0.0.0" ? "127.0.0.1" : config.http_address;
  std::cout << "ParkHub is listening on http://" << host << ":" << server.port() << "/\n";
  if (!demo_password.empty()) {
    std::cout << "Log in as admin / " << demo_password
              << " (also: operator, hkust, enterprise, facility, compliance, researcher, judge1 "
                 "to judge8 with the same password)\n";
  }
  std::cout << std::flush;
  auto report = [](const std::string& failure) { std::cerr << failure << "\n"; };
  // Every module's housekeeping, once a minute, until shutdown; shared jobs by one instance.
  db::Database& database = (*app)->database();
  Housekeeper housekeeper((*app)->PeriodicJobs(), std::chrono::minutes(1), report,
                          [&database](const std::string& job) { return database.TryLead(job); });
  housekeeper.Start();
  // What other instances commit reaches this one's search index within a second.
  EventFollower follower(
      database, db::DomainEvents::ChannelOf("listing.changed"),
      [&app] { return (*app)->exchange().indexer().CatchUp().status(); }, std::chrono::seconds(1),
      report);
  if (Status s = follower.Start(); !s.ok()) return Fail(s);
  // The ledger's new entries are integrated and a checkpoint signed within a second.
  EventFollower ledger_integrator(
      database, std::string(governance::Ledger::kChannel),
      [&app] { return (*app)->IntegrateLedger(); }, std::chrono::seconds(1), report);
  if (Status s = ledger_integrator.Start(); !s.ok()) return Fail(s);
  int received = 0;
  sigwait(&signals, &received);
  follower.Stop();
  housekeeper.Stop();
  std::cout << "Draining in-flight requests...\n" << std::flush;
  server.Shutdown();
  if (Status s = (*app)->exchange().indexer().Checkpoint(); !s.ok()) {
    std::cerr << "search index snapshot: " << s.message() << "\n";
  }
  std::cout << "Stopped.\n";
  return 0;
}

// `parkhub reindex`: builds a fresh search index from the database beside the current one,
// with a progress bar, then swaps it in. The server must be stopped (it holds the index).
int Reindex(Application& app) {
  namespace fs = std::filesystem;
  fs::path live = app.index_path();
  fs::path fresh = live.string() + ".new";
  fs::path old = live.string() + ".old";
  if (Status s = matching::SearchIndex::EnsureNotInUse(live.string()); !s.ok()) return Fail(s);
  std::error_code ignored;
  fs::remove_all(fresh, ignored);
  int indexed = 0;
  {
    auto target = matching::SearchIndex::Open(fresh.string());
    if (!target.ok()) return Fail(target.status());
    matching::AnalyzerPool analyzers(app.folder());
    exchange::ListingIndexer indexer(app.database(), **target, analyzers, app.folder(), app.clock());
    auto built = indexer.Rebuild(**target, PrintProgress);
    if (!built.ok()) return Fail(built.status());
    indexed = *built;
  }
  fs::remove_all(old, ignored);
  std::error_code error;
  if (fs::exists(live)) fs::rename(live, old, error);
  if (!error) fs::rename(fresh, live, error);
  if (error) return Fail(Status::Internal("cannot swap in the new index: " + error.message()));
  fs::remove_all(old, ignored);
  std::cout << "Indexed " << indexed << " published listings into " << live.string() << "\n";
  return 0;
}

// `parkhub eval DIR [--queries FILE]`: retrieval quality with the production analyser and
// ranker on a BEIR-format set (see matching/evaluation.h).
int Evaluate(const std::string& directory, const std::string& queries_file,
             const std::string& lexicon_path, size_t max_misses) {
  auto set = matching::LoadBeirSet(directory, queries_file);
  if (!set.ok()) return Fail(set.status());
  auto folder = text::TextFolder::Create();
  if (!folder.ok()) return Fail(folder.status());
  auto analyzer = matching::Analyzer::Create(**folder);
  if (!analyzer.ok()) return Fail(analyzer.status());
  std::unique_ptr<matching::BilingualLexicon> lexicon;
  std::unique_ptr<matching::QueryTranslator> translator;
  if (!lexicon_path.empty()) {
    auto started = std::chrono::steady_clock::now();
    auto loaded = matching::LoadLexicon(lexicon_path, **folder);
    if (!loaded.ok()) return Fail(loaded.status());
    lexicon = std::move(*loaded);
    std::printf("lexicon %zu words, %.1f MiB, loaded in %.2f s\n", lexicon->words(),
                static_cast<double>(lexicon->memory_bytes()) / (1 << 20),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    translator = std::make_unique<matching::QueryTranslator>(
        std::vector<const matching::BilingualLexicon*>{lexicon.get()}, **analyzer, **folder);
  }
  auto report = matching::Evaluate(*set, **folder, **analyzer, translator.get(), max_misses);
  if (!report.ok()) return Fail(report.status());
  std::printf("documents %zu (indexed in %.2f s), queries %zu (%zu naming people)\n",
              report->documents, report->index_seconds, report->queries,
              report->queries_naming_people);
  std::printf("MRR@10 %.4f  nDCG@10 %.4f  Recall@10 %.4f  Recall@100 %.4f\n", report->mrr_at_10,
              report->ndcg_at_10, report->recall_at_10, report->recall_at_100);
  std::printf("latency per query: mean %.3f ms, p99 %.3f ms\n", report->mean_ms, report->p99_ms);
  for (const auto& miss : report->misses) {
    std::printf("\nmissed: %s\n  translated: %s\n  expected:   %s\n  first:      %s\n",
                miss.query.c_str(), miss.translation.c_str(), miss.expected.c_str(),
                miss.ranked_first.c_str());
  }
  return 0;
}

Result<std::string> ReadPassword(bool from_stdin) {
  if (!from_stdin) return RandomToken(10);
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return password;
}

// `parkhub copy-data`: every table of `from` into the empty database `to`, with a progress bar
// and a verified row count and checksum per table.
int CopyDataBetween(const std::string& from_url, const std::string& to_url) {
  auto from = db::Open(from_url);
  if (!from.ok()) return Fail(from.status());
  auto to = db::Open(to_url);
  if (!to.ok()) return Fail(to.status());
  auto copied = CopyData(**from, **to, [](int64_t done, int64_t total) {
    PrintProgress(static_cast<int>(done), static_cast<int>(total));
  });
  if (!copied.ok()) return Fail(copied.status());
  int64_t rows = 0;
  for (const TableCopy& table : *copied) {
    std::printf("%-28s %10lld rows  checksum %016llx  verified\n", table.table.c_str(),
                static_cast<long long>(table.rows),
                static_cast<unsigned long long>(table.checksum));
    rows += table.rows;
  }
  std::printf("Copied %lld rows in %zu tables; every table's count and checksum match.\n",
              static_cast<long long>(rows), copied->size());
  return 0;
}

// `parkhub audit verify`: the ledger recomputed from its entries' text and checked against every
// signed checkpoint (governance/audit_verifier.h). Exit 0 when intact, 1 naming the first bad
// entry.
int VerifyAudit(const Config& config, const std::string& verifier_key_text) {
  InitCrypto();
  std::string key_text = verifier_key_text;
  if (key_text.empty()) {
    std::string path = LedgerKeyPath(config);
    std::ifstream in(path);
    if (!in) {
      return Fail(Status::InvalidArgument("no ledger key at " + path +
                                          "; pass the verifier key with --verifier-key"));
    }
    std::string signer_text;
    std::getline(in, signer_text);
    auto signer = governance::NoteSigner::Parse(signer_text);
    if (!signer.ok()) return Fail(signer.status());
    key_text = signer->Verifier().Text();
  }
  auto verifier = governance::NoteVerifier::Parse(key_text);
  if (!verifier.ok()) return Fail(verifier.status());
  auto database = db::Open(DatabaseUrl(config));
  if (!database.ok()) return Fail(database.status());
  auto started = std::chrono::steady_clock::now();
  auto report = governance::VerifyLedger(**database, *verifier);
  if (!report.ok()) return Fail(report.status());
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!report->intact()) {
    std::printf("LEDGER TAMPERED (%s): %s\n", report->problem->code.c_str(),
                report->problem->message.c_str());
    return 1;
  }
  std::printf("Ledger intact: %llu entries and %llu signed checkpoints checked in %.2f s",
              static_cast<unsigned long long>(report->entries),
              static_cast<unsigned long long>(report->checkpoints), seconds);
  if (report->latest) {
    std::printf("; root %s", governance::ToBase64(report->latest->root).c_str());
  }
  std::printf("; %llu entries not yet integrated.\n",
              static_cast<unsigned long long>(report->pending));
  return 0;
}

// `parkhub audit export FILE`: the regulator's bundle up to the latest signed checkpoint (or the
// one of `size`), and the verifier key to hand over by another way.
int ExportAudit(const Config& config, const std::string& file, int64_t size) {
  InitCrypto();
  std::string path = LedgerKeyPath(config);
  if (!std::filesystem::exists(path)) {
    return Fail(Status::InvalidArgument("no ledger key at " + path));
  }
  auto signer = governance::LoadOrCreateSignerKey(path, config.ledger_origin);
  if (!signer.ok()) return Fail(signer.status());
  auto database = db::Open(DatabaseUrl(config));
  if (!database.ok()) return Fail(database.status());
  SystemClock clock;
  governance::Ledger ledger(**database, clock, *signer, config.ledger_origin);
  auto bundle = governance::ExportLedgerBundle(
      ledger, size < 0 ? std::nullopt : std::optional<uint64_t>(static_cast<uint64_t>(size)));
  if (!bundle.ok()) return Fail(bundle.status());
  std::ofstream out(file);
  out << bundle->dump() << "\n";
  if (!out) return Fail(Status::InvalidArgument("cannot write " + file));
  std::printf("Wrote %zu entries to %s. The ledger's verifier key (hand it over separately):\n%s\n",
              (*bundle)["entries"].size(), file.c_str(), ledger.verifier().Text().c_str());
  return 0;
}

// `parkhub audit verify-bundle FILE`: a regulator's bundle (governance/regulator_bundle.h)
// checked against the ledger's verifier key as the regulator holds it; exit 0 when it holds,
// 1 naming the problem. Needs no database.
int VerifyBundle(const std::string& file, const std::string& verifier_key,
                 const std::vector<std::string>& witness_keys) {
  InitCrypto();
  auto trusted = governance::NoteVerifier::Parse(verifier_key);
  if (!trusted.ok()) return Fail(trusted.status());
  std::vector<governance::NoteVerifier> witnesses;
  for (const std::string& key : witness_keys) {
    auto witness = governance::NoteVerifier::Parse(key);
    if (!witness.ok()) return Fail(witness.status());
    witnesses.push_back(*witness);
  }
  std::ifstream in(file);
  if (!in) return Fail(Status::InvalidArgument("cannot read " + file));
  nlohmann::json bundle = nlohmann::json::parse(in, nullptr, false);
  governance::BundleReport report = governance::VerifyLedgerBundle(bundle, *trusted, witnesses);
  if (!report.intact()) {
    std::printf("BUNDLE REJECTED (%s): %s\n", report.problem.c_str(), report.message.c_str());
    return 1;
  }
  std::printf("Bundle intact: %llu entries under %s's signed root %s",
              static_cast<unsigned long long>(report.checkpoint.size), trusted->name().c_str(),
              governance::ToBase64(report.checkpoint.root).c_str());
  if (!report.cosigners.empty()) {
    std::printf("; cosigned by %s", JoinWith(report.cosigners, ',').c_str());
  }
  std::printf(".\n");
  return 0;
}

// `parkhub policy test DIR`: every golden case of the policy; exit 1 naming each failure.
int TestPolicy(const std::string& directory) {
  InitCrypto();
  auto report = governance::RunPolicyTests(directory);
  if (!report.ok()) return Fail(report.status());
  for (const auto& failure : report->failures) {
    std::printf("FAIL %s: %s\n     %s\n", failure.file.c_str(), failure.name.c_str(),
                failure.message.c_str());
  }
  std::printf("%s (%s): %d cases, %zu failed\n", report->policy_name.c_str(),
              report->policy_hash.c_str(), report->cases, report->failures.size());
  for (const auto& rule : report->analysis.unreachable) {
    std::printf("FAIL rule %s can never decide: %s%s%s\n", rule.rule.c_str(), rule.code.c_str(),
                rule.by.empty() ? "" : " by ", JoinWith(rule.by, ',').c_str());
  }
  for (const auto& conflict : report->analysis.conflicts) {
    std::printf("note: %s and %s both match some %s requests (the deny wins), e.g. %s\n",
                conflict.rule.c_str(), conflict.denying.c_str(), conflict.kind.c_str(),
                conflict.example.dump().c_str());
  }
  return report->failures.empty() && report->analysis.unreachable.empty() && report->cases > 0 ? 0
                                                                                               : 1;
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App cli{"ParkHub: the operating platform of a network of university science parks"};
  cli.require_subcommand(1);
  std::string config_file;
  std::vector<std::string> settings;
  std::string data_dir;
  cli.add_option("--config", config_file, "TOML configuration file");
  cli.add_option("--data-dir", data_dir, "Data directory (default ./data)");
  cli.add_option("--set", settings, "Override a setting: key=value (repeatable)");

  auto* serve = cli.add_subcommand("serve", "Start the server");
  ServeOptions serve_options;
  int port = -1;
  std::string address, web_root;
  serve->add_flag("--demo", serve_options.demo, "Load the demo network into an empty database");
  serve->add_option("--demo-data", serve_options.demo_data, "Directory of the demo's source lists");
  serve->add_option("--port", port, "Port to listen on (0: any free port)");
  serve->add_option("--address", address, "Address to listen on");
  serve->add_option("--web-root", web_root, "Directory of the built web app");

  auto* migrate = cli.add_subcommand("migrate", "Apply pending schema migrations");

  auto* user = cli.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  std::string username, display_name, role_name, scope;
  bool password_stdin = false;
  auto* user_add = user->add_subcommand("add", "Create a user");
  user_add->add_option("username", username)->required();
  user_add->add_option("--display-name", display_name);
  user_add->add_option("--role", role_name, "Grant a role (e.g. platform_admin, park_operator)");
  user_add->add_option("--scope", scope, "Organisation id the role is scoped to");
  user_add->add_flag("--password-stdin", password_stdin, "Read the password from standard input");
  auto* user_passwd = user->add_subcommand("passwd", "Set a user's password (read from stdin)");
  user_passwd->add_option("username", username)->required();
  auto* user_list = user->add_subcommand("list", "List users");

  auto* import = cli.add_subcommand("import", "Import organisations or people from CSV");
  std::string kind, file;
  bool dry_run = false;
  import->add_option("kind", kind, "organizations or people")
      ->required()
      ->check(CLI::IsMember({"organizations", "people"}));
  import->add_option("file", file, "CSV file, or - for stdin")->required();
  import->add_flag("--dry-run", dry_run, "Report every bad row and write nothing");

  auto* export_cmd = cli.add_subcommand("export", "Export organisations or people as CSV");
  std::string output = "-";
  export_cmd->add_option("kind", kind, "organizations or people")
      ->required()
      ->check(CLI::IsMember({"organizations", "people"}));
  export_cmd->add_option("--output,-o", output, "Output file (default stdout)");

  auto* backup = cli.add_subcommand("backup", "Take an online copy of the database");
  backup->add_option("file", file, "Backup file to write")->required();
  auto* restore = cli.add_subcommand("restore", "Restore a backup (stop the server first)");
  restore->add_option("file", file, "Backup file to read")->required();
  auto* copy_data = cli.add_subcommand(
      "copy-data", "Copy every table into an empty database (SQLite to PostgreSQL), verified");
  std::string copy_from, copy_to;
  copy_data->add_option("--from", copy_from, "Source database URL (default: the configured one)");
  copy_data->add_option("--to", copy_to, "Target database URL, e.g. postgresql://host/parkhub")
      ->required();
  auto* version = cli.add_subcommand("version", "Print the version");
  auto* reindex = cli.add_subcommand("reindex", "Rebuild the search index from the database");
  auto* eval = cli.add_subcommand("eval", "Measure retrieval quality on a BEIR-format set");
  std::string eval_dir, eval_queries;
  eval->add_option("dir", eval_dir, "Directory with corpus.jsonl, queries.jsonl, qrels.tsv")->required();
  eval->add_option("--queries", eval_queries, "Queries file (default queries.jsonl in DIR)");
  std::string eval_lexicon;
  eval->add_option("--lexicon", eval_lexicon,
                   "Bilingual dictionary (CC-CEDICT format): search each query in translation too");
  size_t eval_misses = 0;
  eval->add_option("--misses", eval_misses,
                   "Print this many queries that found nothing relevant in their first ten");

  auto* audit = cli.add_subcommand("audit", "Check the audit ledger");
  audit->require_subcommand(1);
  auto* audit_verify = audit->add_subcommand(
      "verify", "Recompute the whole ledger and check it against its signed checkpoints");
  std::string verifier_key;
  audit_verify->add_option("--verifier-key", verifier_key,
                           "The ledger's verifier key (default: derived from its signer key file)");

  auto* audit_export = audit->add_subcommand(
      "export", "Write a regulator's bundle: every entry up to a signed checkpoint, and the key");
  std::string export_file;
  int64_t export_size = -1;
  audit_export->add_option("file", export_file, "Where to write the bundle (JSON)")->required();
  audit_export->add_option("--size", export_size,
                           "The signed checkpoint's size (default: the latest)");
  auto* audit_bundle = audit->add_subcommand(
      "verify-bundle", "Check a regulator's export of the ledger (GET /api/v1/ledger/export)");
  std::string bundle_file, bundle_key;
  std::vector<std::string> bundle_witnesses;
  audit_bundle->add_option("file", bundle_file, "The bundle (JSON)")->required();
  audit_bundle
      ->add_option("--verifier-key", bundle_key, "The ledger's verifier key, as you hold it")
      ->required();
  audit_bundle->add_option("--witness-key", bundle_witnesses,
                           "A cosigner's verifier key, to report whether it signed (repeatable)");

  auto* policy = cli.add_subcommand("policy", "Work with cross-border policies");
  policy->require_subcommand(1);
  auto* policy_test = policy->add_subcommand(
      "test", "Run a policy's golden cases: DIR/rules.toml against DIR/tests/*.toml");
  std::string policy_dir;
  policy_test->add_option("dir", policy_dir, "The policy's directory")->required();

  CLI11_PARSE(cli, argc, argv);

  Config config;
  if (!config_file.empty()) {
    if (Status s = ApplyTomlFile(config, config_file); !s.ok()) return Fail(s);
  }
  if (Status s = ApplyEnvironment(config, ProcessEnvironment()); !s.ok()) return Fail(s);
  if (!data_dir.empty()) config.data_dir = data_dir;
  for (const auto& setting : settings) {
    auto eq = setting.find('=');
    if (eq == std::string::npos) return Fail(Status::InvalidArgument("--set takes key=value"));
    if (Status s = ApplySetting(config, setting.substr(0, eq), setting.substr(eq + 1)); !s.ok()) {
      return Fail(s);
    }
  }
  if (port >= 0) config.http_port = port;
  if (!address.empty()) config.http_address = address;
  if (!web_root.empty()) config.web_root = web_root;

  if (*version) {
    std::cout << "parkhub " << kVersion << " (schema "
              << SchemaMigrations("sqlite").back().version << ")\n";
    return 0;
  }
  if (*serve) return Serve(config, serve_options);
  if (*copy_data)
    return CopyDataBetween(copy_from.empty() ? DatabaseUrl(config) : copy_from, copy_to);
  if (*eval) return Evaluate(eval_dir, eval_queries, eval_lexicon, eval_misses);
  if (*audit_verify) return VerifyAudit(config, verifier_key);
  if (*audit_export) return ExportAudit(config, export_file, export_size);
  if (*audit_bundle) return VerifyBundle(bundle_file, bundle_key, bundle_witnesses);
  if (*policy_test) return TestPolicy(policy_dir);
  if (*restore) {
    InitCrypto();
    std::filesystem::create_directories(config.data_dir);
    std::string url = DatabaseUrl(config);
    if (!url.starts_with("sqlite:")) {
      return Fail(Status::Invalid(
          "database_url", "restore copies SQLite files; " + url + " is restored with its own tools",
          "not_one_of", {{"allowed", {"sqlite"}}}));
    }
    std::string path = url.substr(std::string_view("sqlite:").size());
    if (Status s = db::RestoreSqlite(file, path); !s.ok()) return Fail(s);
    std::cout << "Restored " << file << " into " << path << "\n";
    return 0;
  }
  auto app = Application::Open(config, *migrate ? SchemaPolicy::kMigrate
                                                : SchemaPolicy::kRequireCurrent);
  if (!app.ok()) return Fail(app.status());
  Application& a = **app;
  auto system = registry::RegistryService::SystemPrincipal();
  if (*migrate) {
    db::Migrator migrator(a.database(), SchemaMigrations(a.database().Dialect()));
    auto current = migrator.CurrentVersion();
    if (!current.ok()) return Fail(current.status());
    std::cout << "Schema is at version " << *current << "\n";
    return 0;
  }
  if (*user_add) {
    auto password = ReadPassword(password_stdin);
    if (!password.ok()) return Fail(password.status());
    auto created = a.identity().CreateUser({username, display_name, *password});
    if (!created.ok()) return Fail(created.status());
    if (!role_name.empty()) {
      auto role = identity::ParseRole(role_name);
      if (!role) return Fail(Status::Invalid("--role", "unknown role " + role_name, "not_one_of"));
      if (Status s = a.identity().GrantRole(username, *role, scope); !s.ok()) return Fail(s);
    }
    std::cout << "Created " << username << " (" << created->public_id << ")";
    if (!password_stdin) std::cout << " with password " << *password;
    std::cout << "\n";
    return 0;
  }
  if (*user_passwd) {
    auto password = ReadPassword(true);
    if (!password.ok()) return Fail(password.status());
    if (Status s = a.identity().SetPassword(username, *password); !s.ok()) return Fail(s);
    std::cout << "Password changed; existing sessions ended.\n";
    return 0;
  }
  if (*user_list) {
    auto users = a.identity().ListUsers();
    if (!users.ok()) return Fail(users.status());
    for (const auto& u : *users) {
      std::cout << u.username << "\t" << u.public_id << "\t";
      for (const auto& r : u.roles) {
        std::cout << identity::RoleName(r.role)
                  << (r.scope_public_id.empty() ? "" : "@" + r.scope_public_id) << " ";
      }
      std::cout << "\n";
    }
    return 0;
  }
  if (*import) {
    std::string csv = ReadFileOrStdin(file);
    auto report = kind == "organizations"
                      ? a.registry().ImportOrganizationsCsv(system, csv, dry_run, PrintProgress)
                      : a.registry().ImportPeopleCsv(system, csv, dry_run, PrintProgress);
    if (!report.ok()) return Fail(report.status());
    for (const auto& issue : report->issues) {
      std::cerr << "line " << issue.line << (issue.field.empty() ? "" : ", " + issue.field) << ": "
                << issue.reason << "\n";
    }
    std::cout << report->rows << " rows, " << report->valid << " valid, " << report->written
              << " written" << (dry_run ? " (dry run)" : "") << "\n";
    return report->issues.empty() ? 0 : 2;
  }
  if (*export_cmd) {
    auto csv = kind == "organizations" ? a.registry().ExportOrganizationsCsv()
                                       : a.registry().ExportPeopleCsv(system);
    if (!csv.ok()) return Fail(csv.status());
    if (output == "-") {
      std::cout << *csv;
    } else {
      std::ofstream out(output, std::ios::binary);
      out << *csv;
      if (!out) return Fail(Status::Internal("cannot write " + output));
    }
    return 0;
  }
  if (*reindex) return Reindex(a);
  if (*backup) {
    if (Status s = a.database().BackupTo(file); !s.ok()) return Fail(s);
    std::cout << "Backed up to " << file << "\n";
    return 0;
  }
  return 0;
}

}  // namespace parkhub::app

int main(int argc, char** argv) {
  parkhub::app::InstallCrashReporter();
  return parkhub::app::Main(argc, argv);
}
