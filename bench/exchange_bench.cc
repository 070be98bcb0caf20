// exchange_bench: the exchange's search engine side by side with Xapian 1.4, SQLite FTS5 and
// PostgreSQL full text, on the same synthetic corpus and the same queries, in one run.
//
//   parkhub_exchange_bench --retrieval DIR --listings N --work DIR [--pg-host DIR --pg-port P]
//                          [--parkhub-db FILE] [--peers 0] [--xapian 0] [--lexicon FILE]
//                          [--reuse 1]
//
// Every engine indexes the terms of our analyser (space-separated words for FTS5 and
// PostgreSQL), so Chinese is segmented for all and the comparison is of the engines; analysis is
// timed on its own. Build: ParkHub's SearchIndex (title ×3, keywords ×2, summary; in memory,
// then one snapshot to disk), Xapian glass (the same terms with within-document frequencies 3,
// 2, 1, BM25 with ParkHub's k1 and b), FTS5 (unicode61, bm25 with column weights 3, 2, 1),
// PostgreSQL (tsvector 'simple' with weights A, B, C, GIN, ts_rank). Queries: the dev sets'
// titles (a third of the Chinese ones in Traditional), and every third query one of the same
// titles written in the other language; OR of their terms, top 10, single thread, with no
// filter and with kind = result AND region = one region. With --lexicon (the CC-CEDICT the
// server loads), every query also carries its translation's weighted terms (QueryTranslator),
// computed before the clock starts and timed on their own: ParkHub and Xapian weigh them as
// given, FTS5 and PostgreSQL take them as more OR terms. With --parkhub-db, the listings are
// also written into a migrated ParkHub database for the HTTP run (bench/exchange_bench.sh).
// With --reuse 1 (for profiling ParkHub's queries), the index a previous run left in --work is
// searched again without building anything; the build figures are then 0.
// Prints a Markdown table; asserts nothing.
#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

#include "core/strings.h"
#include "exchange_corpus.h"
#include "matching/analyzer.h"
#include "matching/query_translator.h"
#include "matching/search_index.h"

namespace parkhub::bench {
namespace {

using Clock = std::chrono::steady_clock;
const size_t kBatch = std::getenv("BENCH_BATCH") ? std::stoul(std::getenv("BENCH_BATCH")) : 10000;
constexpr unsigned kKindSlot = 1, kRegionSlot = 2;

double Seconds(Clock::time_point from) { return std::chrono::duration<double>(Clock::now() - from).count(); }

struct Options {
  std::string retrieval = "../shared/data/retrieval";
  int64_t listings = 100000;
  std::string work = "/tmp/parkhub-exchange-bench";
  std::string pg_host;
  std::string pg_port = "5432";
  std::string parkhub_db;
  size_t queries = 1000;       // ParkHub's; the HTTP run always gets 1,000
  size_t peer_queries = 1000;  // the first of the same queries, for FTS5 and PostgreSQL
  bool peers = true;           // false: no FTS5, for profiling
  bool xapian = true;
  std::string lexicon;  // CC-CEDICT: translate every query
  bool reuse = false;   // search the ParkHub index left in `work`; build nothing
};

// A query as every engine gets it: its analysed terms (those that are fragments marked), and
// its translation's weighted terms.
struct BenchQuery {
  std::vector<std::string> terms;
  std::vector<std::string> fragments;
  std::vector<matching::WeightedTerm> translated;
  bool other_language = false;  // written in the language of few of the listings

  // Every term once, for the engines that take no weights.
  std::vector<std::string> Distinct() const {
    std::vector<std::string> all = terms;
    for (const auto& t : translated) all.push_back(t.term);
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return all;
  }
};

struct Analysed {
  SyntheticListing listing;
  std::vector<std::string> title, keywords, summary;
};

std::string Joined(const std::vector<std::string>& terms) { return JoinWith(terms, ' '); }

// Analyses listings [first, first + count) on two threads.
std::vector<Analysed> AnalyseBatch(const CorpusSource& source, int64_t first, size_t count,
                                   const matching::Analyzer& a0, const matching::Analyzer& a1) {
  std::vector<Analysed> out(count);
  auto work = [&](const matching::Analyzer& analyzer, size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      Analysed& a = out[i];
      a.listing = MakeListing(source, first + static_cast<int64_t>(i));
      a.title = analyzer.Terms(a.listing.title);
      a.keywords = analyzer.Terms(a.listing.keywords);
      a.summary = analyzer.Terms(a.listing.summary);
    }
  };
  std::thread helper(work, std::cref(a1), count / 2, count);
  work(a0, 0, count / 2);
  helper.join();
  return out;
}

struct Latencies {
  std::vector<double> ms;
  double Percentile(double p) {
    if (ms.empty()) return 0;
    std::sort(ms.begin(), ms.end());
    return ms[std::min(ms.size() - 1, static_cast<size_t>(p * static_cast<double>(ms.size())))];
  }
};

// --- ParkHub --------------------------------------------------------------------------------

class ParkHubEngine {
 public:
  explicit ParkHubEngine(const std::string& dir) : dir_(dir) {
    index_ = std::move(matching::SearchIndex::Open(dir)).value();
  }
  // Takes the batch's terms (the peers have had them).
  void Add(std::vector<Analysed>& batch) {
    std::vector<matching::IndexChange> changes;
    for (auto& a : batch) {
      matching::IndexDocument d;
      d.id = std::to_string(a.listing.id);
      d.fields = {{std::move(a.title), matching::kTitleWeight},
                  {std::move(a.keywords), matching::kKeywordsWeight},
                  {std::move(a.summary), matching::kTextWeight}};
      d.filter_terms = {"K" + a.listing.kind, "R" + a.listing.region, "Vpublic"};
      d.values = {{kKindSlot, a.listing.kind}, {kRegionSlot, a.listing.region}};
      changes.push_back({d.id, std::move(d)});
    }
    auto status = index_->Apply(changes, 0);
    if (!status.ok()) throw std::runtime_error(status.ToString());
  }
  size_t Search(const BenchQuery& query, const std::string& kind, const std::string& region) {
    matching::IndexQuery q;
    q.terms = query.terms;
    q.fragment_terms = query.fragments;
    q.weighted_terms = query.translated;
    q.weak_terms = &matching::WeakQueryTerms();
    q.max_terms = 64;
    q.limit = 10;
    q.filter_groups = {{"Vpublic"}};
    if (!kind.empty()) q.filter_groups.push_back({"K" + kind});
    if (!region.empty()) q.filter_groups.push_back({"R" + region});
    auto result = index_->Search(q);
    return result.ok() ? result->hits.size() : 0;
  }
  void Finish() {
    auto status = index_->Checkpoint();
    if (!status.ok()) throw std::runtime_error(status.ToString());
  }
  uint64_t Bytes() const {
    uint64_t total = 0;
    for (const auto& f : std::filesystem::recursive_directory_iterator(dir_)) {
      if (f.is_regular_file()) total += f.file_size();
    }
    return total;
  }

 private:
  std::string dir_;
  std::unique_ptr<matching::SearchIndex> index_;
};

// --- SQLite FTS5 ------------------------------------------------------------------------------

class Fts5Engine {
 public:
  explicit Fts5Engine(const std::string& path) : path_(path) {
    std::filesystem::remove(path);
    sqlite3_open(path.c_str(), &db_);
    Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
    Exec("CREATE VIRTUAL TABLE f USING fts5(title, keywords, summary, kind UNINDEXED, "
         "region UNINDEXED, tokenize='unicode61')");
    sqlite3_prepare_v2(db_, "INSERT INTO f (rowid, title, keywords, summary, kind, region) "
                            "VALUES (?, ?, ?, ?, ?, ?)", -1, &insert_, nullptr);
    sqlite3_prepare_v2(db_, "SELECT rowid FROM f WHERE f MATCH ? ORDER BY bm25(f, 3.0, 2.0, 1.0) "
                            "LIMIT 10", -1, &search_, nullptr);
    sqlite3_prepare_v2(db_, "SELECT rowid FROM f WHERE f MATCH ? AND kind = ? AND region = ? "
                            "ORDER BY bm25(f, 3.0, 2.0, 1.0) LIMIT 10", -1, &filtered_, nullptr);
  }
  ~Fts5Engine() {
    for (auto* s : {insert_, search_, filtered_}) sqlite3_finalize(s);
    sqlite3_close(db_);
  }
  void Add(const std::vector<Analysed>& batch) {
    Exec("BEGIN");
    for (const auto& a : batch) {
      std::string title = Joined(a.title), keywords = Joined(a.keywords), summary = Joined(a.summary);
      sqlite3_bind_int64(insert_, 1, a.listing.id);
      sqlite3_bind_text(insert_, 2, title.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert_, 3, keywords.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert_, 4, summary.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert_, 5, a.listing.kind.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert_, 6, a.listing.region.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_step(insert_);
      sqlite3_reset(insert_);
    }
    Exec("COMMIT");
  }
  size_t Search(const BenchQuery& query, const std::string& kind, const std::string& region) {
    std::string match;
    for (const auto& t : query.Distinct()) match += (match.empty() ? "\"" : " OR \"") + t + "\"";
    if (match.empty()) return 0;
    sqlite3_stmt* s = kind.empty() ? search_ : filtered_;
    sqlite3_bind_text(s, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    if (!kind.empty()) {
      sqlite3_bind_text(s, 2, kind.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(s, 3, region.c_str(), -1, SQLITE_TRANSIENT);
    }
    size_t rows = 0;
    while (sqlite3_step(s) == SQLITE_ROW) ++rows;
    sqlite3_reset(s);
    return rows;
  }
  uint64_t Bytes() const { return std::filesystem::file_size(path_); }
  void Checkpoint() { Exec("PRAGMA wal_checkpoint(TRUNCATE)"); }

 private:
  void Exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : "?";
      sqlite3_free(error);
      throw std::runtime_error(message);
    }
  }
  std::string path_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* search_ = nullptr;
  sqlite3_stmt* filtered_ = nullptr;
};

// --- PostgreSQL -------------------------------------------------------------------------------

class PostgresEngine {
 public:
  PostgresEngine(const std::string& host, const std::string& port) {
    std::string conninfo = "host=" + host + " port=" + port + " dbname=postgres user=postgres";
    conn_ = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) throw std::runtime_error(PQerrorMessage(conn_));
    Exec("DROP TABLE IF EXISTS l");
    Exec("CREATE UNLOGGED TABLE l (id bigint PRIMARY KEY, kind text, region text, "
         "title text, keywords text, summary text, tsv tsvector)");
  }
  ~PostgresEngine() { PQfinish(conn_); }
  void Add(const std::vector<Analysed>& batch) {
    Exec("COPY l (id, kind, region, title, keywords, summary) FROM STDIN");
    std::string data;
    for (const auto& a : batch) {
      data += std::to_string(a.listing.id) + "\t" + a.listing.kind + "\t" + a.listing.region + "\t" +
              Joined(a.title) + "\t" + Joined(a.keywords) + "\t" + Joined(a.summary) + "\n";
    }
    PQputCopyData(conn_, data.data(), static_cast<int>(data.size()));
    PQputCopyEnd(conn_, nullptr);
    PGresult* r = PQgetResult(conn_);
    PQclear(r);
  }
  // The tsvector and its GIN index, built once after loading (PostgreSQL's fast path).
  void Finish() {
    Exec("UPDATE l SET tsv = setweight(to_tsvector('simple', title), 'A') || "
         "setweight(to_tsvector('simple', keywords), 'B') || setweight(to_tsvector('simple', summary), 'C')");
    Exec("CREATE INDEX l_tsv ON l USING gin (tsv)");
    Exec("VACUUM ANALYZE l");
  }
  size_t Search(const BenchQuery& bench_query, const std::string& kind, const std::string& region) {
    std::string query;
    for (const auto& t : bench_query.Distinct()) query += (query.empty() ? "'" : " | '") + t + "'";
    if (query.empty()) return 0;
    std::string sql = "SELECT id FROM l, to_tsquery('simple', $1) q WHERE tsv @@ q";
    if (!kind.empty()) sql += " AND kind = $2 AND region = $3";
    sql += " ORDER BY ts_rank(tsv, q, 1) DESC LIMIT 10";
    const char* params[] = {query.c_str(), kind.c_str(), region.c_str()};
    PGresult* r = PQexecParams(conn_, sql.c_str(), kind.empty() ? 1 : 3, nullptr, params, nullptr,
                               nullptr, 0);
    size_t rows = PQresultStatus(r) == PGRES_TUPLES_OK ? static_cast<size_t>(PQntuples(r)) : 0;
    PQclear(r);
    return rows;
  }
  uint64_t Bytes() {
    PGresult* r = PQexec(conn_, "SELECT pg_total_relation_size('l')");
    uint64_t bytes = std::stoull(PQgetvalue(r, 0, 0));
    PQclear(r);
    return bytes;
  }

 private:
  void Exec(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_COPY_IN) {
      std::string message = PQerrorMessage(conn_);
      PQclear(r);
      throw std::runtime_error(message);
    }
    PQclear(r);
  }
  PGconn* conn_ = nullptr;
};

// --- Xapian 1.4 -------------------------------------------------------------------------------

class XapianEngine {
 public:
  explicit XapianEngine(const std::string& path)
      : path_(path), writer_(path, Xapian::DB_CREATE_OR_OVERWRITE) {}
  void Add(const std::vector<Analysed>& batch) {
    for (const auto& a : batch) {
      Xapian::Document d;
      for (const auto& [terms, weight] : {std::pair{&a.title, matching::kTitleWeight},
                                          {&a.keywords, matching::kKeywordsWeight},
                                          {&a.summary, matching::kTextWeight}}) {
        for (const auto& t : *terms) {
          if (!t.empty() && t.size() < kMaxTermBytes) d.add_term(t, weight);
        }
      }
      d.add_boolean_term("K" + a.listing.kind);
      d.add_boolean_term("R" + a.listing.region);
      writer_.replace_document(static_cast<Xapian::docid>(a.listing.id), d);
    }
  }
  void Finish() {
    writer_.commit();
    reader_ = Xapian::Database(path_);
  }
  size_t Search(const BenchQuery& query, const std::string& kind, const std::string& region) {
    // As ParkHub ranks: a repeated word weighs more, a weak one a third; fragments only score
    // what the words found (AND_MAYBE); translations weigh their share.
    std::map<std::string, Xapian::termcount> counts, fragment_counts;
    for (const auto& t : query.terms) ++counts[t];
    for (const auto& t : query.fragments) ++fragment_counts[t];
    std::vector<Xapian::Query> words, fragments;
    auto add = [&](const std::string& term, Xapian::termcount wqf, double scale, bool fragment) {
      if (term.empty() || term.size() >= kMaxTermBytes) return;
      if (matching::WeakQueryTerms().count(term)) scale /= 3;
      Xapian::Query one(term, wqf);
      if (scale != 1) one = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, one, scale);
      (fragment ? fragments : words).push_back(one);
    };
    for (const auto& [term, count] : counts) add(term, count, 1, fragment_counts[term] >= count);
    for (const auto& t : query.translated) add(t.term, 1, t.weight, t.fragment);
    if (words.empty()) std::swap(words, fragments);
    Xapian::Query q(Xapian::Query::OP_OR, words.begin(), words.end());
    if (!fragments.empty()) {
      q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q,
                        Xapian::Query(Xapian::Query::OP_OR, fragments.begin(), fragments.end()));
    }
    if (!kind.empty()) {
      q = Xapian::Query(Xapian::Query::OP_FILTER, q,
                        Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("K" + kind),
                                      Xapian::Query("R" + region)));
    }
    Xapian::Enquire enquire(reader_);
    enquire.set_weighting_scheme(Xapian::BM25Weight(1.2 * matching::kTitleWeight, 0, 1, 0.75, 0.5));
    enquire.set_query(q);
    return enquire.get_mset(0, 10).size();
  }
  uint64_t Bytes() const {
    uint64_t total = 0;
    for (const auto& f : std::filesystem::recursive_directory_iterator(path_)) {
      if (f.is_regular_file()) total += f.file_size();
    }
    return total;
  }

 private:
  static constexpr size_t kMaxTermBytes = 240;  // Xapian's limit is 245
  std::string path_;
  Xapian::WritableDatabase writer_;
  Xapian::Database reader_;
};

// --- ParkHub database rows for the HTTP run ---------------------------------------------------

class ParkHubRows {
 public:
  explicit ParkHubRows(const std::string& path) {
    sqlite3_open(path.c_str(), &db_);
    Exec("INSERT OR IGNORE INTO organizations (public_id, type, name_en, region, search_key, "
         "sort_name, created_at, updated_at) VALUES ('org_bench', 'university', 'Bench University', "
         "'mainland', 'bench', 'bench', '', '')");
    Exec("INSERT OR IGNORE INTO users (public_id, username, display_name, password_hash, created_at) "
         "VALUES ('usr_bench', 'bench', 'Bench', '', '')");
    sqlite3_prepare_v2(db_, "INSERT INTO listings (public_id, kind, owner_id, author_id, state, "
                            "visibility, title, summary, keywords, trl, details, published_at, "
                            "created_at, updated_at) SELECT ?, ?, o.id, u.id, 'published', 'public', "
                            "?, ?, ?, ?, ?, '2026-11-01T00:00:00Z', '', '' FROM organizations o, users u "
                            "WHERE o.public_id = 'org_bench' AND u.public_id = 'usr_bench'",
                       -1, &insert_, nullptr);
  }
  ~ParkHubRows() {
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
  }
  void Add(const std::vector<Analysed>& batch) {
    Exec("BEGIN");
    for (const auto& a : batch) {
      const SyntheticListing& l = a.listing;
      std::string id = "lst_bench" + std::to_string(l.id);
      std::string keywords;
      for (auto k : SplitJoined(l.keywords, ',')) {
        k.erase(0, k.find_first_not_of(' '));
        if (!k.empty() && k.find('|') == std::string::npos) keywords += (keywords.empty() ? "" : "|") + k;
      }
      const char* details = l.kind == "result" ? R"({"transfer_modes":["licence"],"negotiable":true})"
                            : l.kind == "need" ? R"({"problem":"see summary"})"
                            : l.kind == "service" ? R"({"service_type":"testing"})" : "{}";
      sqlite3_bind_text(insert_, 1, id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert_, 2, l.kind.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert_, 3, l.title.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert_, 4, l.summary.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert_, 5, keywords.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(insert_, 6, l.trl);
      sqlite3_bind_text(insert_, 7, details, -1, SQLITE_STATIC);
      sqlite3_step(insert_);
      sqlite3_reset(insert_);
    }
    Exec("COMMIT");
  }

 private:
  void Exec(const char* sql) { sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
};

long PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--retrieval") o.retrieval = value;
    else if (flag == "--listings") o.listings = std::stoll(value);
    else if (flag == "--work") o.work = value;
    else if (flag == "--pg-host") o.pg_host = value;
    else if (flag == "--pg-port") o.pg_port = value;
    else if (flag == "--parkhub-db") o.parkhub_db = value;
    else if (flag == "--queries") o.queries = std::stoul(value);
    else if (flag == "--peer-queries") o.peer_queries = std::stoul(value);
    else if (flag == "--peers") o.peers = value != "0";
    else if (flag == "--xapian")
      o.xapian = value != "0";
    else if (flag == "--lexicon")
      o.lexicon = value;
    else if (flag == "--reuse")
      o.reuse = value != "0";
    else throw std::runtime_error("unknown flag " + flag);
  }
  return o;
}

void PrintTableHeader() {
  std::printf(
      "| engine | build, listings/s | queries | p50 ms | p99 ms | filtered p50 ms | "
      "filtered p99 ms | size MB | hits |\n|---|---|---|---|---|---|---|---|---|\n");
}

template <typename Engine>
void MeasureQueries(const std::string& name, Engine& engine, const std::vector<BenchQuery>& queries,
                    size_t count, double build_rate, uint64_t bytes) {
  static const char* kRegions[] = {"mainland", "hong_kong", "macao", "foreign"};
  Latencies plain, filtered;
  size_t found = 0;
  for (size_t i = 0; i < queries.size() && i < count; ++i) {  // warm: no row gains by coming later
    engine.Search(queries[i], "", "");
    engine.Search(queries[i], "result", kRegions[i % 4]);
  }
  for (size_t i = 0; i < queries.size() && i < count; ++i) {
    auto started = Clock::now();
    found += engine.Search(queries[i], "", "");
    plain.ms.push_back(Seconds(started) * 1000);
    started = Clock::now();
    found += engine.Search(queries[i], "result", kRegions[i % 4]);
    filtered.ms.push_back(Seconds(started) * 1000);
  }
  std::printf("| %s | %.0f | %zu | %.2f | %.2f | %.2f | %.2f | %.0f | %zu |\n", name.c_str(), build_rate,
              plain.ms.size(),
              plain.Percentile(0.5), plain.Percentile(0.99), filtered.Percentile(0.5),
              filtered.Percentile(0.99), static_cast<double>(bytes) / 1e6, found);
  std::fflush(stdout);
}

// The same queries by language: those in the language of few listings find theirs by translation.
void MeasureByLanguage(ParkHubEngine& parkhub, const std::vector<BenchQuery>& queries, size_t count,
                       double build_rate) {
  std::vector<BenchQuery> own, other;
  for (size_t i = 0; i < queries.size() && i < count; ++i)
    (queries[i].other_language ? other : own).push_back(queries[i]);
  MeasureQueries("ParkHub, of which in the listings' language", parkhub, own, own.size(), build_rate,
                 parkhub.Bytes());
  MeasureQueries("ParkHub, of which in the other language", parkhub, other, other.size(), build_rate,
                 parkhub.Bytes());
}

// The figures of an index built by an earlier run (--reuse): queries only.
int MeasureReused(const Options& o, ParkHubEngine& parkhub, const std::vector<BenchQuery>& queries) {
  PrintTableHeader();
  MeasureQueries("ParkHub (own index, BM25F), reused", parkhub, queries, o.queries, 0, parkhub.Bytes());
  MeasureByLanguage(parkhub, queries, o.queries, 0);
  std::printf("\npeak RSS of this process: %ld MB\n", PeakRssMb());
  return 0;
}

int Run(const Options& o) {
  std::filesystem::create_directories(o.work);
  auto folder = std::move(text::TextFolder::Create()).value();
  auto a0 = std::move(matching::Analyzer::Create(*folder)).value();
  auto a1 = std::move(matching::Analyzer::Create(*folder)).value();
  CorpusSource source = LoadCorpusSource(o.retrieval, *folder);
  // Every third query in the other language.
  std::vector<std::string> texts;
  std::vector<bool> other_language;
  for (size_t i = 0; texts.size() < std::max<size_t>({o.queries, o.peer_queries, 1000}); ++i) {
    bool other = i % 3 == 2 && !source.other_language_queries.empty();
    const auto& from = other ? source.other_language_queries : source.queries;
    std::string text = from[(i * 7919) % from.size()];
    std::replace(text.begin(), text.end(), '\n', ' ');
    if (text.empty()) continue;
    texts.push_back(std::move(text));
    other_language.push_back(other);
  }
  std::unique_ptr<matching::BilingualLexicon> lexicon;
  if (!o.lexicon.empty()) lexicon = std::move(matching::LoadLexicon(o.lexicon, *folder)).value();
  std::vector<BenchQuery> queries;
  Latencies translation;
  for (size_t i = 0; i < texts.size(); ++i) {
    const std::string& text = texts[i];
    BenchQuery query;
    query.other_language = other_language[i];
    query.terms = a0->Terms(text, &query.fragments);
    if (query.terms.empty()) continue;
    if (lexicon) {
      auto started = Clock::now();
      matching::QueryTranslator translator({lexicon.get()}, *a0, *folder);
      for (auto& t : translator.Translate(text)) {
        query.translated.push_back({t.term, t.weight, t.fragment});
      }
      translation.ms.push_back(Seconds(started) * 1000);
    }
    queries.push_back(std::move(query));
  }
  {  // the queries' text, one per line, for the HTTP run
    std::ofstream out(o.work + "/queries.txt");
    for (size_t i = 0; i < texts.size() && i < 1000; ++i) out << texts[i] << "\n";
  }
  bool reusing = o.reuse && std::filesystem::exists(o.work + "/parkhub-index/snapshot");
  if (!reusing) std::filesystem::remove_all(o.work + "/parkhub-index");
  ParkHubEngine parkhub(o.work + "/parkhub-index");
  std::unique_ptr<Fts5Engine> fts5;
  if (reusing) return MeasureReused(o, parkhub, queries);
  if (o.peers) fts5 = std::make_unique<Fts5Engine>(o.work + "/fts5.db");
  std::unique_ptr<PostgresEngine> postgres;
  if (!o.pg_host.empty()) postgres = std::make_unique<PostgresEngine>(o.pg_host, o.pg_port);
  std::unique_ptr<XapianEngine> xapian;
  if (o.xapian) xapian = std::make_unique<XapianEngine>(o.work + "/xapian");
  std::unique_ptr<ParkHubRows> rows;
  if (!o.parkhub_db.empty()) rows = std::make_unique<ParkHubRows>(o.parkhub_db);

  double analysis = 0, parkhub_seconds = 0, fts5_seconds = 0, pg_seconds = 0, xapian_seconds = 0;
  for (int64_t first = 0; first < o.listings; first += kBatch) {
    size_t count = static_cast<size_t>(std::min<int64_t>(kBatch, o.listings - first));
    auto started = Clock::now();
    auto batch = AnalyseBatch(source, first + 1, count, *a0, *a1);
    analysis += Seconds(started);
    if (fts5) {
      started = Clock::now();
      fts5->Add(batch);
      fts5_seconds += Seconds(started);
    }
    if (postgres) {
      started = Clock::now();
      postgres->Add(batch);
      pg_seconds += Seconds(started);
    }
    if (xapian) {
      started = Clock::now();
      xapian->Add(batch);
      xapian_seconds += Seconds(started);
    }
    if (rows) rows->Add(batch);
    started = Clock::now();
    parkhub.Add(batch);
    parkhub_seconds += Seconds(started);
    std::fprintf(stderr, "\r%lld/%lld", static_cast<long long>(first + static_cast<int64_t>(count)),
                 static_cast<long long>(o.listings));
  }
  std::fprintf(stderr, "\n");
  {
    auto started = Clock::now();
    parkhub.Finish();  // the snapshot: durable, as the others are
    std::fprintf(stderr, "ParkHub: in memory %.2f s, snapshot %.2f s\n", parkhub_seconds, Seconds(started));
    parkhub_seconds += Seconds(started);
  }
  if (fts5) fts5->Checkpoint();
  if (xapian) {
    auto started = Clock::now();
    xapian->Finish();
    xapian_seconds += Seconds(started);
  }
  if (postgres) {
    auto started = Clock::now();
    postgres->Finish();
    pg_seconds += Seconds(started);
  }
  double n = static_cast<double>(o.listings);
  std::printf("%lld listings; queries: OR of the analysed terms, top 10; analysis (2 threads): "
              "%.0f listings/s; ParkHub analysis + index: %.0f listings/s\n\n",
              static_cast<long long>(o.listings), n / analysis,
              n / (analysis + parkhub_seconds));
  if (lexicon) {
    std::printf(
        "Queries translated with CC-CEDICT (%zu words): %.3f ms p50, %.3f ms p99 per "
        "query, not in the engines' figures\n\n",
        lexicon->words(), translation.Percentile(0.5), translation.Percentile(0.99));
  }
  PrintTableHeader();
  MeasureQueries("ParkHub (own index, BM25F)", parkhub, queries, o.queries, n / parkhub_seconds,
                 parkhub.Bytes());
  if (lexicon) MeasureByLanguage(parkhub, queries, o.queries, n / parkhub_seconds);
  if (xapian) {
    MeasureQueries("Xapian 1.4 (glass, BM25)", *xapian, queries, o.queries, n / xapian_seconds,
                   xapian->Bytes());
  }
  if (fts5) {
    MeasureQueries("SQLite FTS5 (bm25)", *fts5, queries, o.peer_queries, n / fts5_seconds,
                   fts5->Bytes());
  }
  if (postgres) {
    MeasureQueries("PostgreSQL 15 (GIN, ts_rank)", *postgres, queries, o.peer_queries,
                   n / pg_seconds, postgres->Bytes());
  }
  std::printf("\npeak RSS of this process: %ld MB\n", PeakRssMb());
  return 0;
}

}  // namespace
}  // namespace parkhub::bench

int main(int argc, char** argv) {
  try {
    return parkhub::bench::Run(parkhub::bench::ParseOptions(argc, argv));
  } catch (const std::exception& error) {
    std::cerr << "exchange_bench: " << error.what() << "\n";
    return 1;
  }
}
