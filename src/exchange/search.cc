// Search and matching: queries the index with the viewer's audience and the match signals as
// its boost, explains each hit and highlights it.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/csv.h"
#include "core/random.h"
#include "core/strings.h"
#include "core/text_rules.h"
#include "exchange/exchange_service.h"
#include "identity/identity_service.h"
#include "matching/people.h"
#include "matching/query_translator.h"
#include "registry/directory.h"

namespace parkhub::exchange {
namespace {

using matching::IndexQuery;
using matching::SearchIndex;

constexpr size_t kMaxQueryCharacters = 10000;
constexpr size_t kMaxQueryTerms = 64;
constexpr size_t kListingQueryTerms = 48;
constexpr size_t kFacetSample = 100;  // facets count the best 100 matches
// The signals' factors (see SignalsFor).
constexpr double kReadinessMet = 1.15;
constexpr double kReadinessFloor = 0.5;
constexpr double kReadinessStep = 0.1;   // lost per level below the wanted one
constexpr double kSameRegion = 1.05;
constexpr double kFreshnessBoost = 0.1;  // when published today, halving every half-life
constexpr size_t kSnippetCharacters = 160;
constexpr double kFreshnessHalfLifeDays = 180;
constexpr size_t kMaxExplainedWords = 12;

// What the signals are computed from besides the hit: who asks, and when.
struct SignalContext {
  std::string region;       // the asker's
  int64_t wanted_trl = 0;   // a need asks: results at or above this level fit
  int64_t offered_trl = 0;  // a result asks: needs wanting at most this level fit
  TimePoint now;            // set when the search runs
};

}  // namespace

// What a query brings to ranking besides its words.
struct ExchangeService::Ranking {
  std::vector<std::string> terms;   // when set, used instead of analysing the query text
  std::vector<std::string> fragment_terms;  // the occurrences of `terms` that were fragments
  std::string translate;            // the text whose translation is searched too (lexicon_)
  size_t max_terms = kMaxQueryTerms;
  SignalContext asker;
  std::vector<std::string> exclude_ids;
};

Status ValidateSearchRequest(const SearchRequest& request) {
  FieldErrors errors;
  CheckText("q", request.query, kMaxQueryCharacters, errors);
  for (const auto& kind : request.filters.kinds) {
    if (!IsOneOf(ListingKinds(), kind)) {
      errors.Add("kind", "one of result, need, expertise, service", "not_one_of",
                 {{"allowed", ListingKinds()}});
    }
  }
  const auto& f = request.filters;
  for (const auto& [name, text] : {std::pair<const char*, const std::string*>{"organization", &f.organization},
                                   {"region", &f.region}, {"discipline", &f.discipline}, {"tag", &f.tag}}) {
    CheckText(name, *text, 200, errors);
  }
  if (f.trl_min < 0 || f.trl_min > 9) {
    errors.Add("trl_min", "a readiness level from 1 to 9", "out_of_range",
               {{"min", 1}, {"max", 9}});
  }
  if (f.trl_max < 0 || f.trl_max > 9) {
    errors.Add("trl_max", "a readiness level from 1 to 9", "out_of_range",
               {{"min", 1}, {"max", 9}});
  }
  if (f.trl_min > 0 && f.trl_max > 0 && f.trl_min > f.trl_max) {
    errors.Add("trl_max", "must not be below trl_min", "not_after", {{"other", "trl_min"}});
  }
  if (request.offset < 0 || request.offset > 10000) {
    errors.Add("offset", "from 0 to 10000", "out_of_range", {{"min", 0}, {"max", 10000}});
  }
  if (request.limit < 1 || request.limit > 100) {
    errors.Add("limit", "from 1 to 100", "out_of_range", {{"min", 1}, {"max", 100}});
  }
  return errors.ToStatus();
}

Result<SearchPage> ExchangeService::Search(const Principal& p, const SearchRequest& request) {
  RETURN_IF_ERROR(ValidateSearchRequest(request));
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(Viewer viewer, Viewer::Load(*c, p));
  ASSIGN_OR_RETURN(auto analyzer, analyzers_.Borrow());
  return RunSearch(*c, *analyzer, viewer, request, Ranking{});
}

Result<SearchPage> ExchangeService::Matches(const Principal& p, const std::string& listing_id,
                                            const std::vector<std::string>& kinds, int offset,
                                            int limit) {
  return RunListingQuery(p, listing_id, ListingQuery::kMatches, kinds, offset, limit);
}

Result<SearchPage> ExchangeService::MoreLikeThis(const Principal& p, const std::string& listing_id,
                                                 int offset, int limit) {
  return RunListingQuery(p, listing_id, ListingQuery::kSimilar, {}, offset, limit);
}

Result<SearchPage> ExchangeService::RunListingQuery(const Principal& p, const std::string& listing_id,
                                                    ListingQuery direction,
                                                    std::vector<std::string> kinds, int offset,
                                                    int limit) {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto tx, db::Transaction::Begin(*c, db::TxMode::kRead));
  ASSIGN_OR_RETURN(Viewer viewer, Viewer::Load(*c, p));
  ASSIGN_OR_RETURN(ListingRow row, VisibleListing(*c, viewer, listing_id));
  const Listing& l = row.listing;
  if (direction == ListingQuery::kSimilar) {
    kinds = {l.kind};
  } else if (kinds.empty()) {
    kinds = l.kind == "need" ? std::vector<std::string>{"result", "expertise", "service"}
                             : std::vector<std::string>{"need"};
  }
  SearchRequest request;
  request.filters.kinds = kinds;
  request.offset = offset;
  request.limit = limit;
  request.facets = direction == ListingQuery::kMatches;  // a result's page names the enterprises
  RETURN_IF_ERROR(ValidateSearchRequest(request));
  Ranking ranking;
  ranking.max_terms = kListingQueryTerms;
  ranking.asker.region = l.owner_region;
  ranking.exclude_ids = {l.id};
  if (l.kind == "need") ranking.asker.wanted_trl = l.trl;
  if (l.kind == "result") ranking.asker.offered_trl = l.trl;
  ASSIGN_OR_RETURN(auto analyzer, analyzers_.Borrow());
  std::vector<std::string> texts = {l.title, l.title, l.summary, DetailsText(l.details)};
  texts.insert(texts.end(), l.keywords.begin(), l.keywords.end());
  for (const std::string& text : texts) {
    auto terms = analyzer->Terms(text, &ranking.fragment_terms);
    ranking.terms.insert(ranking.terms.end(), terms.begin(), terms.end());
  }
  ranking.translate = l.title + "\n" + l.summary;
  auto people = matching::PersonTerms(folder_, l.people);  // the same people, the strongest sign
  ranking.terms.insert(ranking.terms.end(), people.begin(), people.end());
  if (ranking.terms.empty()) return SearchPage{{}, 0, true, {}, offset, limit};
  return RunSearch(*c, *analyzer, viewer, request, ranking);
}

namespace {

// The match signals of a listing, from the values the index keeps: each is passed to `emit` with
// its name, the factor it multiplies the text score by, and a function that words its reason
// (ranking needs only the factors, an explanation the words too).
template <typename Emit>
void ForEachSignal(const matching::SlotValues& values, const SignalContext& context, Emit&& emit) {
  std::string_view kind = values.Text(slots::kKind);
  auto trl = static_cast<int64_t>(values.Number(slots::kTrl));
  int64_t level = 0, wanted = 0;
  if (kind == "result" && context.wanted_trl > 0 && trl > 0) level = trl, wanted = context.wanted_trl;
  if (kind == "need" && context.offered_trl > 0 && trl > 0) level = context.offered_trl, wanted = trl;
  auto readiness = [&] { return nlohmann::json{{"level", level}, {"wanted", wanted}}; };
  if (wanted > 0 && level >= wanted) {
    emit("readiness_fit", kReadinessMet, readiness);
  } else if (wanted > 0) {
    emit("readiness_fit",
         std::max(kReadinessFloor, 1.0 - kReadinessStep * static_cast<double>(wanted - level)),
         readiness);
  }
  if (!context.region.empty() && values.Text(slots::kRegion) == context.region) {
    emit("same_region", kSameRegion, [&] { return nlohmann::json{{"region", context.region}}; });
  }
  if (!values.Text(slots::kPublishedAt).empty()) {
    auto seconds = static_cast<int64_t>(values.Number(slots::kPublishedAt));
    int64_t days = std::max<int64_t>(0, (ToUnixSeconds(context.now) - seconds) / 86400);
    emit("freshness", 1.0 + kFreshnessBoost * std::pow(0.5, static_cast<double>(days) / kFreshnessHalfLifeDays),
         [&] { return nlohmann::json{{"days", days}}; });
  }
}

double SignalFactor(const matching::SlotValues& values, const SignalContext& context) {
  double factor = 1.0;
  ForEachSignal(values, context, [&](const char*, double f, auto&&) { factor *= f; });
  return factor;
}

// A hit's returned values as SlotValues (the slots in the query's return_slots).
class HitValues : public matching::SlotValues {
 public:
  explicit HitValues(const matching::IndexHit& hit) : hit_(hit) {}
  std::string_view Text(unsigned slot) const override {
    auto it = hit_.values.find(slot);
    return it == hit_.values.end() ? std::string_view() : std::string_view(it->second);
  }
  double Number(unsigned slot) const override {
    auto it = hit_.values.find(slot);
    return it == hit_.values.end() ? 0.0 : SearchIndex::ParseNumericValue(it->second);
  }

 private:
  const matching::IndexHit& hit_;
};

std::vector<Signal> SignalsFor(const matching::IndexHit& hit, const SignalContext& context) {
  std::vector<Signal> signals;
  ForEachSignal(HitValues(hit), context, [&](const char* name, double factor, auto&& params) {
    signals.push_back({name, factor, params()});
  });
  return signals;
}

// The largest factor the signals can give in this context: the index's pruning relies on it.
double HighestFactor(const SignalContext& context) {
  double highest = 1.0 + kFreshnessBoost;
  if (context.wanted_trl > 0 || context.offered_trl > 0) highest *= kReadinessMet;
  if (!context.region.empty()) highest *= kSameRegion;
  return highest;
}

// When a listing's matched word met a translation of a query word, files it under that query
// word in `why`: the first of the word's terms a translation gave (its whole word comes before
// its pairs); a word that is a whole rendering goes before those that are part of one.
void AddTranslationBehind(const matching::Analyzer& analyzer, const std::string& word,
                          const std::vector<matching::TranslatedTerm>& translations,
                          Explanation& why) {
  for (const auto& term : analyzer.Terms(word)) {
    auto translated = std::find_if(translations.begin(), translations.end(),
                                   [&](const auto& t) { return t.term == term; });
    if (translated == translations.end()) continue;
    auto match = std::find_if(why.translations.begin(), why.translations.end(),
                              [&](const auto& m) { return m.query_word == translated->source; });
    if (match == why.translations.end()) {
      if (why.translations.size() == kMaxExplainedWords) return;
      why.translations.push_back({translated->source, {}});
      match = why.translations.end() - 1;
    }
    auto& words = match->listing_words;
    auto same = [&](const std::string& listed) {
      return analyzer.Terms(listed) == analyzer.Terms(word);
    };
    if (std::any_of(words.begin(), words.end(), same)) return;  // "Syngas" and "syngas" once
    bool whole = analyzer.Terms(translated->rendering) == std::vector<std::string>{term};
    words.insert(whole ? words.begin() : words.end(), word);
    return;
  }
}

const std::vector<std::pair<std::string, unsigned>>& FacetSlots() {
  static const std::vector<std::pair<std::string, unsigned>> kSlots = {
      {"kind", slots::kKind},           {"organization", slots::kOwner}, {"region", slots::kRegion},
      {"discipline", slots::kDiscipline}, {"tag", slots::kTags}};
  return kSlots;
}

}  // namespace

Result<SearchPage> ExchangeService::RunSearch(db::Connection& c, const matching::Analyzer& analyzer,
                                              const Viewer& viewer, const SearchRequest& request,
                                              const Ranking& ranking) {
  IndexQuery query;
  if (ranking.terms.empty()) {
    query.terms = analyzer.Terms(request.query, &query.fragment_terms);
  } else {
    query.terms = ranking.terms;
    query.fragment_terms = ranking.fragment_terms;
  }
  // In the other language too: a Chinese need meets an English result.
  std::vector<matching::TranslatedTerm> translations;
  std::shared_ptr<const matching::BilingualLexicon> park;  // held while translating
  std::vector<const matching::BilingualLexicon*> lexicons;
  if (vocabulary_ != nullptr && (park = vocabulary_->Current()) != nullptr)
    lexicons.push_back(park.get());
  if (lexicon_ != nullptr) lexicons.push_back(lexicon_);
  if (!lexicons.empty()) {
    matching::QueryTranslator translator(lexicons, analyzer, folder_);
    translations = translator.Translate(ranking.terms.empty() ? request.query : ranking.translate);
    for (const auto& t : translations)
      query.weighted_terms.push_back({t.term, t.weight, t.fragment});
  }
  SearchPage page;
  page.offset = request.offset;
  page.limit = request.limit;
  bool asked_words = !ranking.terms.empty() ||
                     request.query.find_first_not_of(" \t\r\n") != std::string::npos;
  if (asked_words && query.terms.empty()) return page;  // only punctuation or symbols: nothing
  const SearchFilters& f = request.filters;
  std::vector<std::string> kinds;
  for (const auto& kind : f.kinds) kinds.push_back("K" + kind);
  if (!kinds.empty()) query.filter_groups.push_back(kinds);
  if (!f.organization.empty()) query.filter_groups.push_back({"O" + f.organization});
  if (!f.region.empty()) query.filter_groups.push_back({"R" + f.region});
  if (!f.discipline.empty()) query.filter_groups.push_back({"D" + FilterValue(folder_, f.discipline)});
  if (!f.tag.empty()) query.filter_groups.push_back({"G" + FilterValue(folder_, f.tag)});
  if (!viewer.platform_admin()) query.filter_groups.push_back(viewer.AudienceTerms());
  if (f.trl_min > 0 || f.trl_max > 0) {
    query.ranges.push_back({slots::kTrl, static_cast<double>(std::max<int64_t>(f.trl_min, 1)),
                            static_cast<double>(f.trl_max > 0 ? f.trl_max : 9)});
  }
  TimePoint now = clock_.Now();
  SignalContext context = ranking.asker;
  context.now = now;
  query.ranges.push_back({slots::kExpiresAt, static_cast<double>(ToUnixSeconds(now)), 1e300});
  query.exclude_ids = ranking.exclude_ids;
  query.max_terms = ranking.max_terms;
  query.weak_terms = &matching::WeakQueryTerms();
  if (request.facets) {
    for (const auto& [name, slot] : FacetSlots()) query.facet_slots.push_back(slot);
    query.examine_at_least = kFacetSample;
  }
  query.return_slots = {slots::kKind, slots::kTrl, slots::kRegion, slots::kPublishedAt};
  query.offset = static_cast<size_t>(request.offset);
  query.limit = static_cast<size_t>(request.limit);
  if (query.terms.empty()) {  // browsing: newest first
    query.browse_sort_slot = slots::kPublishedAt;
  } else {  // the match signals multiply the text scores as the index ranks
    query.boost = [&context](const matching::SlotValues& values) { return SignalFactor(values, context); };
    query.highest_boost = HighestFactor(context);
  }
  ASSIGN_OR_RETURN(matching::IndexResult found, index_.Search(query));
  page.total = found.total;
  page.total_exact = found.total_exact;
  std::vector<std::string> page_ids;
  for (const auto& hit : found.hits) page_ids.push_back(hit.id);
  ASSIGN_OR_RETURN(auto rows, LoadListingRowsByPublicIds(c, page_ids));
  std::map<std::string, const ListingRow*> by_id;
  for (const auto& row : rows) by_id[row.listing.id] = &row;
  matching::MatchTerms query_terms(found.telling_terms);
  for (const auto& found_hit : found.hits) {
    auto row = by_id.find(found_hit.id);
    if (row == by_id.end()) continue;  // deleted since the index saw it
    SearchHit hit = Explain(*row->second, viewer, analyzer, query_terms, translations);
    hit.score = query.terms.empty() ? 0.0 : found_hit.score;  // browsing orders by date alone
    hit.why.text_score = found_hit.text_score;
    hit.why.signals = SignalsFor(found_hit, context);
    page.items.push_back(std::move(hit));
  }

  if (!request.facets) return page;
  for (const auto& [name, slot] : FacetSlots()) {
    std::vector<FacetValue> values;
    for (const auto& [value, count] : found.facets[slot]) values.push_back({value, {}, count});
    std::stable_sort(values.begin(), values.end(),
                     [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
    if (values.size() > 20) values.resize(20);
    if (name == "organization") {
      ASSIGN_OR_RETURN(values, LabelOrganizations(c, std::move(values)));
    }
    page.facets.emplace_back(name, std::move(values));
  }
  return page;
}

SearchHit ExchangeService::Explain(
    const ListingRow& row, const Viewer& viewer, const matching::Analyzer& analyzer,
    const matching::MatchTerms& query_terms,
    const std::vector<matching::TranslatedTerm>& translations) const {
  SearchHit hit;
  hit.listing = row.listing;
  hit.listing.created_at.clear();  // a hit, not the full record
  bool insider = viewer.ActsFor(row.owner_row_id);
  if (row.confidential() && !insider) {
    hit.listing.owner_id.clear();
    hit.listing.owner_names = {};
    hit.listing.author.clear();
  }
  auto title = matching::HighlightSnippet(analyzer, row.listing.title, query_terms, 1000);
  hit.title_html = title.html;
  auto keywords = matching::HighlightSnippet(analyzer, JoinWith(row.listing.keywords, ','), query_terms, 1000);
  std::string body = row.listing.summary + "\n" + DetailsText(row.listing.details);
  auto snippet = matching::HighlightSnippet(analyzer, body, query_terms, kSnippetCharacters);
  hit.snippet_html = snippet.html;
  std::vector<std::string> people;
  for (const auto& name : row.listing.people) {
    if (query_terms.Has(matching::PersonTerm(folder_, name))) people.push_back(name);
  }
  for (auto& [field, words] : {std::pair{"title", &title.matched}, {"keywords", &keywords.matched},
                               {"summary", &snippet.matched}, {"people", &people}}) {
    for (const auto& word : *words) AddTranslationBehind(analyzer, word, translations, hit.why);
    if (words->size() > kMaxExplainedWords) words->resize(kMaxExplainedWords);
    if (!words->empty()) hit.why.matched.emplace_back(field, *words);
  }
  return hit;
}

Result<std::vector<FacetValue>> ExchangeService::LabelOrganizations(db::Connection& c,
                                                                    std::vector<FacetValue> values) {
  if (values.empty()) return values;
  std::vector<std::string> ids;
  for (const auto& value : values) ids.push_back(value.value);
  ASSIGN_OR_RETURN(auto orgs, registry::Directory::OrganizationsByPublicId(c, ids));
  for (auto& value : values) {
    auto org = orgs.find(value.value);
    if (org != orgs.end()) value.names = org->second.names;
  }
  return values;
}

namespace {

// How many of a saved search's distinct terms a listing must hold: all of one or two, three
// quarters of more.
int64_t TermsNeeded(size_t distinct) {
  return static_cast<int64_t>(distinct <= 2 ? distinct : (3 * distinct + 3) / 4);
}

// Writes a saved search's distinct terms and how many a listing needs (in one transaction, so a
// search has either both or, saved before migration 0006, neither).
Status StoreSavedSearchTerms(db::Connection& c, const matching::Analyzer& analyzer,
                             int64_t saved_search_id, const std::string& query) {
  auto terms = analyzer.Terms(query);
  std::set<std::string> distinct(terms.begin(), terms.end());
  for (const auto& term : distinct) {
    RETURN_IF_ERROR(c.Execute("INSERT INTO saved_search_terms (term, saved_search_id) VALUES (?, ?)",
                              {term, saved_search_id})
                        .status());
  }
  return c.Execute("UPDATE saved_searches SET terms_needed = ? WHERE id = ?",
                   {TermsNeeded(distinct.size()), saved_search_id})
      .status();
}

}  // namespace

// A saved search matches a new listing when its filters pass and the listing holds at least
// TermsNeeded() of the search's distinct terms. The candidates come from one indexed query over
// saved_search_terms; only they have their filters and the owner's right to see checked.
Status ExchangeService::NotifySavedSearches(db::Connection& c, const ListingRow& row) {
  const Listing& l = row.listing;
  ASSIGN_OR_RETURN(auto analyzer, analyzers_.Borrow());
  ASSIGN_OR_RETURN(auto unprepared, c.Query("SELECT id, query FROM saved_searches WHERE terms_needed < 0"));
  for (const auto& s : unprepared) RETURN_IF_ERROR(StoreSavedSearchTerms(c, *analyzer, s.Int(0), s.Text(1)));
  std::set<std::string> listing_terms;
  for (const std::string& text : {l.title, l.summary, DetailsText(l.details), JoinWith(l.keywords, ' ')}) {
    for (auto& term : analyzer->Terms(text)) listing_terms.insert(std::move(term));
  }
  db::Params params;
  std::string placeholders = db::InList(listing_terms, params);
  std::string columns = "s.id, s.public_id, s.user_id, s.name, s.filters";
  std::string sql = "SELECT " + columns + " FROM saved_searches s WHERE s.terms_needed = 0";
  if (!placeholders.empty()) {
    sql += " UNION ALL SELECT " + columns + " FROM (SELECT saved_search_id, COUNT(*) AS held FROM "
           "saved_search_terms WHERE term IN (" + placeholders + ") GROUP BY saved_search_id) h "
           "JOIN saved_searches s ON s.id = h.saved_search_id WHERE s.terms_needed > 0 AND "
           "h.held >= s.terms_needed";
  }
  ASSIGN_OR_RETURN(auto searches, c.Query(sql, params));
  std::set<std::string> tags;
  for (const auto& tag : l.tags) tags.insert(FilterValue(folder_, tag));
  for (const auto& s : searches) {
    int64_t user_id = s.Int(2);
    if (user_id == row.author_row_id) continue;
    json filters = json::parse(s.Text(4), nullptr, false);
    if (!filters.is_object()) continue;
    auto kinds = filters.value("kinds", std::vector<std::string>{});
    if (!kinds.empty() && !IsOneOf(kinds, l.kind)) continue;
    std::string org = filters.value("organization", "");
    if (!org.empty() && (org != l.owner_id || row.confidential())) continue;
    std::string region = filters.value("region", "");
    if (!region.empty() && region != l.owner_region) continue;
    std::string discipline = filters.value("discipline", "");
    if (!discipline.empty() && FilterValue(folder_, discipline) != FilterValue(folder_, l.discipline)) continue;
    std::string tag = filters.value("tag", "");
    if (!tag.empty() && tags.count(FilterValue(folder_, tag)) == 0) continue;
    int64_t trl_min = filters.value("trl_min", int64_t{0}), trl_max = filters.value("trl_max", int64_t{0});
    if ((trl_min > 0 && l.trl < trl_min) || (trl_max > 0 && l.trl > trl_max)) continue;
    Principal owner;
    owner.user_id = user_id;
    ASSIGN_OR_RETURN(owner.roles, identity::IdentityService::RolesOf(c, user_id));
    ASSIGN_OR_RETURN(Viewer viewer, Viewer::Load(c, owner));
    bool visible = viewer.CanSee(row);
    if (!visible) continue;
    RETURN_IF_ERROR(notifier_.Notify(c, user_id, "listing_match",
                                     {{"listing_id", l.id},
                                      {"listing_kind", l.kind},
                                      {"listing_title", l.title},
                                      {"search_name", s.Text(3)}},
                                     "match:" + s.Text(1) + ":" + l.id));
  }
  return Status::Ok();
}

Result<SavedSearch> ExchangeService::SaveSearch(const Principal& p, const std::string& name,
                                                const SearchRequest& request) {
  if (!p.authenticated()) return Status::Unauthenticated();
  RETURN_IF_ERROR(ValidateSearchRequest(request));
  RETURN_IF_ERROR(CheckTextField("name", name, 200));
  if (name.empty()) {
    return Status::Invalid("name", "1 to 200 characters", "out_of_range",
                           {{"min", 1}, {"max", 200}});
  }
  const SearchFilters& f = request.filters;
  SavedSearch saved{NewPublicId("ss"), name, request.query, json::object(), FormatUtc(clock_.Now())};
  if (!f.kinds.empty()) saved.filters["kinds"] = f.kinds;
  for (const auto& [key, value] : {std::pair<const char*, std::string>{"organization", f.organization},
                                   {"region", f.region}, {"discipline", f.discipline}, {"tag", f.tag}}) {
    if (!value.empty()) saved.filters[key] = value;
  }
  if (f.trl_min > 0) saved.filters["trl_min"] = f.trl_min;
  if (f.trl_max > 0) saved.filters["trl_max"] = f.trl_max;
  ASSIGN_OR_RETURN(auto analyzer, analyzers_.Borrow());
  auto stored = db::InTransaction<bool>(database_, db::TxMode::kWrite, [&](db::Connection& c)
                                            -> Result<bool> {
    ASSIGN_OR_RETURN(int64_t count, c.QueryInt("SELECT COUNT(*) FROM saved_searches WHERE user_id = ?",
                                               {p.user_id}));
    if (count >= 50) return Status::Conflict("too_many", "at most 50 saved searches per person");
    ASSIGN_OR_RETURN(auto inserted,
                     c.QueryOne("INSERT INTO saved_searches (public_id, user_id, name, query, filters, "
                                "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                                {saved.id, p.user_id, name, request.query, saved.filters.dump(),
                                 saved.created_at},
                                "saved search"));
    RETURN_IF_ERROR(StoreSavedSearchTerms(c, *analyzer, inserted.Int(0), request.query));
    return true;
  });
  if (!stored.ok()) return stored.status();
  return saved;
}

Result<std::vector<SavedSearch>> ExchangeService::ListSavedSearches(const Principal& p) {
  if (!p.authenticated()) return Status::Unauthenticated();
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto rows, c->Query("SELECT public_id, name, query, filters, created_at FROM "
                                       "saved_searches WHERE user_id = ? ORDER BY id",
                                       {p.user_id}));
  std::vector<SavedSearch> out;
  for (const auto& r : rows) {
    db::RowReader read(r);
    SavedSearch saved;
    saved.id = read.Text();
    saved.name = read.Text();
    saved.query = read.Text();
    json filters = json::parse(read.Text(), nullptr, false);
    saved.filters = filters.is_object() ? filters : json::object();
    saved.created_at = read.Text();
    RETURN_IF_ERROR(read.Done());
    out.push_back(std::move(saved));
  }
  return out;
}

Status ExchangeService::DeleteSavedSearch(const Principal& p, const std::string& id) {
  if (!p.authenticated()) return Status::Unauthenticated();
  auto deleted = db::InTransaction<int64_t>(database_, db::TxMode::kWrite, [&](db::Connection& c) {
    return c.Execute("DELETE FROM saved_searches WHERE public_id = ? AND user_id = ?", {id, p.user_id});
  });
  if (!deleted.ok()) return deleted.status();
  return *deleted == 0 ? Status::NotFound("saved search") : Status::Ok();
}

}  // namespace parkhub::exchange
