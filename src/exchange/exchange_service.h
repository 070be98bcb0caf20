// ExchangeService: the innovation-resource exchange — listings and their lifecycle, search and
// matching in both directions, saved searches, introductions and deals.
//
// Permissions: a listing is written by people acting for its owner organisation (its
// organisation admins, an ancestor's admins, or its members); platform admins may do anything.
// A listing is seen by its owner always, and once published by whom its visibility names:
// everyone (public), people of organisations settled in a park (members), or the named
// organisations. A listing a viewer may not see is NotFound, never PermissionDenied, so its
// existence does not leak. Every write appends to the index outbox in its own transaction and
// then brings the search index up to date before returning.
//
// Ranking: the index's BM25F text score times signals, each reported in the hit's explanation:
// readiness fit (a result's level against the level a need wants), same region as the asker,
// and freshness (published recently). Thread-safe.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/clock.h"
#include "db/database.h"
#include "db/migrator.h"
#include "db/paging.h"
#include "exchange/deal_gate.h"
#include "exchange/listing_indexer.h"
#include "exchange/listing_rows.h"
#include "exchange/model.h"
#include "exchange/park_vocabulary.h"
#include "exchange/viewer.h"
#include "identity/principal.h"
#include "matching/analyzer.h"
#include "matching/bilingual_lexicon.h"
#include "matching/highlighter.h"
#include "matching/query_translator.h"
#include "matching/search_index.h"
#include "notifications/notifier.h"

namespace parkhub::exchange {

using identity::Principal;

struct SearchFilters {
  std::vector<std::string> kinds;
  std::string organization;  // public id
  std::string region;
  std::string discipline;
  std::string tag;
  int64_t trl_min = 0;  // 0: no bound
  int64_t trl_max = 0;
};

struct SearchRequest {
  std::string query;
  SearchFilters filters;
  int offset = 0;
  int limit = 20;
  bool facets = false;  // count kinds, organisations, ... over the best 100 matches (costs more)
};

// One ranking signal of a hit, as data the web app words in the reader's language:
//   readiness_fit {level, wanted}: the readiness offered and the lowest wanted;
//   same_region {region}: the listing is in the searcher's region;
//   freshness {days}: days since it was published.
struct Signal {
  std::string name;    // readiness_fit, same_region, freshness
  double factor = 1;   // what it multiplied the text score by
  nlohmann::json params = nlohmann::json::object();
};

// A query word the listing matched in the other language: "合成氣" (as the query wrote it) and
// the listing's words its translations met, those that render it whole first ("Syngas", then
// the "Gas" of "synthesis gas").
struct TranslationMatch {
  std::string query_word;
  std::vector<std::string> listing_words;
};

struct Explanation {
  double text_score = 0;
  std::vector<std::pair<std::string, std::vector<std::string>>> matched;  // field → words
  std::vector<TranslationMatch> translations;
  std::vector<Signal> signals;
};

struct SearchHit {
  Listing listing;  // as the index holds it: no history
  double score = 0;
  Explanation why;
  std::string title_html;    // highlighted
  std::string snippet_html;  // the best passage of summary and details, highlighted
};

struct FacetValue {
  std::string value;
  registry::Names names;  // an organisation facet's values are ids, shown by their names
  size_t count = 0;
};

// How far the exchange of a park's settled members has come, stage by stage: their listings
// published, the introductions asked on them, those accepted, the deals opened and signed
// (signed or delivered).
struct ExchangeFunnel {
  int64_t results_published = 0;
  int64_t needs_published = 0;
  int64_t introductions = 0;
  int64_t accepted = 0;
  int64_t deals = 0;
  int64_t signed_deals = 0;
};

struct SearchPage {
  std::vector<SearchHit> items;
  size_t total = 0;
  bool total_exact = true;
  std::vector<std::pair<std::string, std::vector<FacetValue>>> facets;  // name → values
  int offset = 0;
  int limit = 0;
};

class ExchangeService {
 public:
  ExchangeService(db::Database& database, const Clock& clock, const text::TextFolder& folder,
                  matching::SearchIndex& index, notifications::Notifier& notifier,
                  IndexFollowing following = {},
                  const matching::BilingualLexicon* lexicon = nullptr,
                  const ParkVocabulary* vocabulary = nullptr, const DealGate* deal_gate = nullptr);

  // Listings. Create makes a draft; Publish, Close move it along with a note in its history.
  Result<Listing> CreateListing(const Principal& p, const ListingInput& input);
  Result<Listing> UpdateListing(const Principal& p, const std::string& id, const ListingInput& input);
  Result<Listing> PublishListing(const Principal& p, const std::string& id, const std::string& note);
  Result<Listing> CloseListing(const Principal& p, const std::string& id, const std::string& note);
  Result<Listing> GetListing(const Principal& p, const std::string& id);
  // The listings of the organisations the principal acts for, one page, newest first, without
  // history. 422 on a bad query.
  Result<db::Page<Listing>> ListOwnListings(const Principal& p, const OwnListingQuery& query);
  // Moves published listings past their expiry date to expired; returns how many.
  Result<int> ExpireDue();
  // The funnel of the park's settled members: for the park's operators and platform admins.
  Result<ExchangeFunnel> ParkFunnel(const Principal& p, const std::string& park_id);

  Result<SearchPage> Search(const Principal& p, const SearchRequest& request);
  // For a need: results, expertise and services; for the others: needs. `kinds` narrows it.
  Result<SearchPage> Matches(const Principal& p, const std::string& listing_id,
                             const std::vector<std::string>& kinds, int offset, int limit);
  // Listings of the same kind that read alike.
  Result<SearchPage> MoreLikeThis(const Principal& p, const std::string& listing_id, int offset,
                                  int limit);

  // Saved searches: a newly published listing that matches one notifies its owner.
  Result<SavedSearch> SaveSearch(const Principal& p, const std::string& name,
                                 const SearchRequest& request);
  Result<std::vector<SavedSearch>> ListSavedSearches(const Principal& p);
  Status DeleteSavedSearch(const Principal& p, const std::string& id);

  // Introductions and deals.
  Result<Introduction> RequestIntroduction(const Principal& p, const std::string& listing_id,
                                           const std::string& organization_id,
                                           const std::string& message);
  Result<Introduction> AnswerIntroduction(const Principal& p, const std::string& id, bool accept,
                                          const std::string& reason);
  Result<Introduction> OpenDeal(const Principal& p, const std::string& introduction_id,
                                const std::string& kind, int64_t value_minor,
                                const std::string& currency, const std::string& note);
  // A deal that moves technology across the border is signed only when the deal gate lets it
  // (409 flow_approval_required otherwise).
  Result<Introduction> MoveDeal(const Principal& p, const std::string& introduction_id,
                                const std::string& stage, std::optional<int64_t> value_minor,
                                const std::string& note);
  // The deal of the introduction `introduction_id` on `c`, if it moves technology across the
  // border; nullopt when there is no such introduction, no deal on it, or it does not cross.
  // Not permission-checked: for the app's adapters, which check their own callers.
  static Result<std::optional<CrossBorderDeal>> CrossBorderDealAt(
      db::Connection& c, const std::string& introduction_id);
  // A listing as other modules cite it: its title, owning organisation and the people it names,
  // on `c`; nullopt when there is no such listing or it is a draft. Not permission-checked, like
  // CrossBorderDealAt.
  struct ListingOutline {
    std::string id;
    std::string title;
    std::string owner;  // the owning organisation's public id
    std::vector<std::string> people;
  };
  static Result<std::optional<ListingOutline>> ListingOutlineAt(db::Connection& c,
                                                                const std::string& id);
  Result<Introduction> GetIntroduction(const Principal& p, const std::string& id);
  // Introductions the principal's organisations were asked (side "incoming"), asked for
  // ("outgoing") or either (side empty; every introduction for a platform admin), one page,
  // the latest moved first; `state` empty for every state. 422 on a bad query.
  Result<db::Page<Introduction>> ListIntroductions(const Principal& p,
                                                   const IntroductionListQuery& query);

  ListingIndexer& indexer() { return indexer_; }

 private:
  struct Resolved {  // a listing input's references as row ids
    std::vector<int64_t> audience;
    std::optional<int64_t> person;
  };
  struct Ranking;
  Result<ListingRow> VisibleListing(db::Connection& c, const Viewer& viewer, const std::string& id);
  Result<Resolved> ValidateListing(db::Connection& c, const ListingInput& input, int64_t owner_row_id);
  Status WriteListingFields(db::Connection& c, int64_t row_id, const ListingInput& input,
                            const Resolved& resolved);
  Status RecordListingEvent(db::Connection& c, int64_t row_id, const std::string& from,
                            const std::string& to, const Principal* actor, const std::string& note);
  Result<Listing> Transition(const Principal& p, const std::string& id, const std::string& action,
                             const std::string& note);
  Result<Listing> Present(db::Connection& c, const Viewer& viewer, const ListingRow& row,
                          bool with_history = true);
  Status NotifySavedSearches(db::Connection& c, const ListingRow& row);
  Result<SearchPage> RunSearch(db::Connection& c, const matching::Analyzer& analyzer,
                               const Viewer& viewer, const SearchRequest& request,
                               const Ranking& ranking);
  enum class ListingQuery { kMatches, kSimilar };
  Result<SearchPage> RunListingQuery(const Principal& p, const std::string& listing_id,
                                     ListingQuery direction, std::vector<std::string> kinds,
                                     int offset, int limit);
  // `translations`: the query's, to name the query word behind a match in the other language.
  SearchHit Explain(const ListingRow& row, const Viewer& viewer, const matching::Analyzer& analyzer,
                    const matching::MatchTerms& query_terms,
                    const std::vector<matching::TranslatedTerm>& translations) const;
  Result<std::vector<FacetValue>> LabelOrganizations(db::Connection& c,
                                                     std::vector<FacetValue> values);
  Result<Introduction> LoadIntroduction(db::Connection& c, int64_t row_id);
  Status RecordExchangeEvent(db::Connection& c, int64_t introduction_id,
                             std::optional<int64_t> deal_id, const std::string& from,
                             const std::string& to, int64_t actor, const std::string& note);
  Status NotifyOrganization(db::Connection& c, int64_t org_row_id, const std::string& kind,
                            const notifications::NotificationParams& params);
  Status SyncIndex();

  db::Database& database_;
  const Clock& clock_;
  const text::TextFolder& folder_;
  matching::SearchIndex& index_;
  notifications::Notifier& notifier_;
  matching::AnalyzerPool analyzers_;
  ListingIndexer indexer_;
  // Query translation: the park's vocabulary first, then the dictionary; without either, none.
  const matching::BilingualLexicon* lexicon_;
  const ParkVocabulary* vocabulary_;
  const DealGate* deal_gate_;  // nullptr: deals are not checked at the border
};

// Validates a search request's filters and paging; field errors name the query parameter.
Status ValidateSearchRequest(const SearchRequest& request);

// This module's tables: its migrations/<dialect>/*.sql, embedded at build time (db/migrator.h).
std::vector<db::Migration> SchemaMigrations(std::string_view dialect);

}  // namespace parkhub::exchange
