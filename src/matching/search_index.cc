#include "matching/search_index.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "core/mutex.h"
#include "core/strings.h"
#include "matching/analyzer.h"
#include "matching/index_store.h"
#include "matching/ranking_parts.h"

namespace parkhub::matching {
namespace {

using ranking::Boosting;
using ranking::Cursor;
using ranking::Offer;
using ranking::QueryTerm;
using ranking::Scored;
using ranking::TopK;
using ranking::WorseFirst;

// Impacts are recomputed when the average document length has moved this much since they were.
constexpr double kImpactDrift = 0.1;
constexpr size_t kMaxTermBytes = 200;
constexpr double kCompactWhenDeadShare = 0.2;
constexpr double kWeakTermWeight = 1.0 / 3.0;
constexpr size_t kCountingSortFrom = 100000;  // pending occurrences; below, a comparison sort
// Seeding a search's threshold (SeedFloor): how many of the strongest and of the rarest terms
// are sources of candidates.
constexpr size_t kSeedTerms = 3;
constexpr size_t kSeedRareTerms = 1;
// A filtered search seeds from up to this many times k documents per source.
constexpr double kSeedFilterSpread = 64;

Status InUse(const std::string& path) {
  return Status(ErrorCode::kUnavailable, "search_index",
                "the search index " + path + " is open in another process (is a server running?)");
}

double QueryWeight(unsigned count) { return 2.0 * count / (count + 1.0); }

}  // namespace

struct SearchIndex::Impl {
  std::string dir;
  int lock_fd = -1;
  mutable SharedMutex mutex;
  IndexStore store GUARDED_BY(mutex);
  std::unordered_map<std::string, uint32_t> live_by_id GUARDED_BY(mutex);
  int64_t last_seq GUARDED_BY(mutex) = 0;
  int64_t durable_seq GUARDED_BY(mutex) = 0;
  bool dirty GUARDED_BY(mutex) = false;
  struct PendingPosting {
    uint32_t term;
    uint32_t doc;
    unsigned weight;
  };
  std::vector<PendingPosting> pending GUARDED_BY(mutex);  // Add()ed, not yet in posting lists

  ~Impl() {
    if (lock_fd >= 0) close(lock_fd);
  }

  std::string SnapshotPath() const { return dir + "/snapshot"; }

  void IndexLive() REQUIRES(mutex) {
    live_by_id.clear();
    for (uint32_t d = 0; d < store.ids.size(); ++d) {
      if (store.alive[d]) live_by_id[store.ids[d]] = d;
    }
  }

  void Remove(const std::string& id) REQUIRES(mutex) {
    auto it = live_by_id.find(id);
    if (it == live_by_id.end()) return;
    store.alive[it->second] = 0;
    live_by_id.erase(it);
  }

  // Numbers the document and records its terms in `pending`; FlushPending() posts them.
  void Add(const IndexDocument& source) REQUIRES(mutex) {
    uint32_t doc = static_cast<uint32_t>(store.ids.size());
    double length = 0;
    for (const auto& field : source.fields) {
      for (const auto& term : field.terms) {
        if (term.empty() || term.size() > kMaxTermBytes) continue;
        pending.push_back({store.TermId(term, TermDictionary::Hash(term)), doc, field.weight});
        if (field.in_length) length += field.weight;
      }
    }
    std::vector<uint32_t> filters;
    for (const auto& term : source.filter_terms) filters.push_back(store.FilterId(term));
    std::sort(filters.begin(), filters.end());
    filters.erase(std::unique(filters.begin(), filters.end()), filters.end());
    for (uint32_t id : filters) store.filter_docs[id].Add(doc, doc + 1);
    std::array<uint32_t, kValueSlots> values{};
    for (const auto& [slot, value] : source.values) {
      if (slot < kValueSlots) values[slot] = store.slots[slot].Intern(value);
    }
    store.ids.push_back(source.id);
    store.lengths.push_back(static_cast<float>(length));
    store.alive.push_back(1);
    store.filters.push_back(std::move(filters));
    store.values.push_back(values);
    store.total_length += length;
    live_by_id[source.id] = doc;
  }

  // Appends the pending occurrences to their posting lists. Grouping them by term first makes
  // a batch touch each posting list once instead of once per document that has the term.
  // Within a term the documents stay in the order they were added, which is ascending.
  void FlushPending() REQUIRES(mutex) {
    if (pending.empty()) return;
    bool older_postings = pending.front().doc > 0;  // documents are numbered as they are added
    std::vector<PendingPosting> by_term;
    if (pending.size() < kCountingSortFrom) {
      by_term = std::move(pending);
      std::stable_sort(by_term.begin(), by_term.end(),
                       [](const PendingPosting& a, const PendingPosting& b) { return a.term < b.term; });
    } else {
      by_term.resize(pending.size());
      std::vector<uint32_t> next(store.terms.size() + 1, 0);
      for (const auto& p : pending) ++next[p.term + 1];
      for (size_t t = 1; t < next.size(); ++t) next[t] += next[t - 1];
      for (const auto& p : pending) by_term[next[p.term]++] = p;
    }
    pending.clear();
    double average = store.AverageLength();
    bool drifted = std::abs(average - store.impact_average) > kImpactDrift * store.impact_average;
    if (drifted) store.impact_average = average;
    for (size_t i = 0; i < by_term.size();) {
      PostingList& list = store.postings[by_term[i].term];
      for (uint32_t term = by_term[i].term; i < by_term.size() && by_term[i].term == term;) {
        uint32_t doc = by_term[i].doc;
        unsigned frequency = 0;
        for (; i < by_term.size() && by_term[i].term == term && by_term[i].doc == doc; ++i) {
          frequency += by_term[i].weight;
        }
        store.AddPosting(list, doc, static_cast<uint8_t>(std::min(frequency, 255u)));
      }
    }
    if (drifted && older_postings) store.IndexImpacts();  // those from before, at the new average
  }

  double Idf(uint32_t term) const REQUIRES_SHARED(mutex) {
    double n = static_cast<double>(store.postings[term].docs.size());
    double documents = static_cast<double>(store.ids.size());
    return std::log(1.0 + (documents - n + 0.5) / (n + 0.5));
  }

  // Distinct known query terms with their weights, strongest `max_terms` when limited. Terms
  // are fragments only when some known term is not one.
  std::vector<QueryTerm> QueryTerms(const IndexQuery& query, std::vector<std::string>& names) const
      REQUIRES_SHARED(mutex) {
    std::map<std::string, unsigned> counts;
    for (const auto& term : query.terms) {
      if (!term.empty() && term.size() <= kMaxTermBytes) ++counts[term];
    }
    std::map<std::string, double> weights;
    for (const auto& [term, count] : counts) weights[term] = QueryWeight(count);
    for (const auto& weighted : query.weighted_terms) {
      const std::string& term = weighted.term;
      if (!term.empty() && term.size() <= kMaxTermBytes && weighted.weight > 0) {
        weights[term] += weighted.weight;
      }
    }
    std::vector<std::tuple<double, uint32_t, double, std::string>> known;
    for (auto [term, weight] : weights) {
      uint32_t id = store.terms.Find(term);
      if (id == TermDictionary::kNotFound) continue;
      if (query.weak_terms != nullptr && query.weak_terms->count(term) != 0)
        weight *= kWeakTermWeight;
      known.emplace_back(-weight * Idf(id), id, weight, term);
    }
    std::sort(known.begin(), known.end());
    if (query.max_terms > 0 && known.size() > query.max_terms) known.resize(query.max_terms);
    std::map<std::string_view, unsigned> fragment_counts;
    for (const auto& term : query.fragment_terms) ++fragment_counts[term];
    std::set<std::string_view> weighted_words;  // weighted terms that are not fragments
    for (const auto& weighted : query.weighted_terms) {
      if (!weighted.fragment) weighted_words.insert(weighted.term);
    }
    auto is_fragment = [&](const std::string& term) {  // every occurrence was one
      auto said = counts.find(term);
      auto fragment = fragment_counts.find(term);
      unsigned as_fragment = fragment == fragment_counts.end() ? 0 : fragment->second;
      bool said_as_word = said != counts.end() && said->second > as_fragment;
      return !said_as_word && weighted_words.count(term) == 0;
    };
    bool words = std::any_of(known.begin(), known.end(),
                             [&](const auto& k) { return !is_fragment(std::get<3>(k)); });
    std::vector<QueryTerm> out;
    for (const auto& [strength, id, weight, term] : known) {
      out.push_back({id, weight, words && is_fragment(term)});
      names.push_back(term);
    }
    return out;
  }

  struct Filter {
    std::vector<std::vector<uint32_t>> groups;
    std::vector<ValueRange> ranges;
    std::unordered_set<uint32_t> excluded;
    bool impossible = false;
    // An estimate of the share of documents that pass (the groups as if independent).
    double passing_share = 1.0;

    bool Passes(const IndexStore& s, uint32_t doc) const { return PassesTerms(s, doc) && PassesRanges(s, doc); }

    bool any_dead = true;  // the index holds removed documents not yet compacted away

    // Liveness and exclusions.
    bool Live(const IndexStore& s, uint32_t doc) const {
      return (!any_dead || s.alive[doc]) && (excluded.empty() || excluded.count(doc) == 0);
    }

    // Liveness, exclusions and filter terms: bitmaps and short lists, cheap.
    bool PassesTerms(const IndexStore& s, uint32_t doc) const {
      if (!Live(s, doc)) return false;
      for (const auto& group : groups) {
        bool any = false;
        for (uint32_t term : group) {
          if (s.filter_docs[term].Has(doc)) {
            any = true;
            break;
          }
        }
        if (!any) return false;
      }
      return true;
    }

    // The documents of [first, first + 64 × mask.size()) that pass the filter terms, as bits
    // (first a multiple of 64); false, leaving `mask` as it is, when there are no filter terms.
    bool WindowMask(const IndexStore& s, uint32_t first, std::vector<uint64_t>& mask,
                    std::vector<uint64_t>& group_mask) const {
      if (groups.empty()) return false;
      std::fill(mask.begin(), mask.end(), ~uint64_t{0});
      for (const auto& group : groups) {
        std::fill(group_mask.begin(), group_mask.end(), 0);
        for (uint32_t term : group) s.filter_docs[term].MarkRange(first, group_mask);
        for (size_t word = 0; word < mask.size(); ++word) mask[word] &= group_mask[word];
      }
      return true;
    }

    // Value ranges: a read of the document's values, likely a cache miss.
    bool PassesRanges(const IndexStore& s, uint32_t doc) const {
      for (const auto& range : ranges) {
        uint32_t value = s.values[doc][range.slot];
        if (value == 0) return false;
        double number = s.slots[range.slot].numbers[value];
        if (number < range.low || number > range.high) return false;
      }
      return true;
    }
  };

  Filter MakeFilter(const IndexQuery& query) const REQUIRES_SHARED(mutex) {
    Filter filter;
    for (const auto& group : query.filter_groups) {
      std::vector<uint32_t> ids;
      for (const auto& term : group) {
        auto it = store.filter_ids.find(term);
        if (it != store.filter_ids.end()) ids.push_back(it->second);
      }
      if (ids.empty()) filter.impossible = true;
      filter.groups.push_back(std::move(ids));
    }
    double passing = 1.0;  // an estimate: the groups as if independent, ranges as if passed
    double documents = std::max<double>(1, static_cast<double>(store.ids.size()));
    for (const auto& group : filter.groups) {
      double in_group = 0;
      for (uint32_t id : group) in_group += static_cast<double>(store.filter_docs[id].count());
      passing *= std::min(1.0, in_group / documents);
    }
    filter.passing_share = passing;
    filter.any_dead = live_by_id.size() != store.ids.size();
    for (const auto& range : query.ranges) {
      if (range.slot < kValueSlots) filter.ranges.push_back(range);
    }
    for (const auto& id : query.exclude_ids) {
      auto it = live_by_id.find(id);
      if (it != live_by_id.end()) filter.excluded.insert(it->second);
    }
    return filter;
  }

  // A (boosted) score that the k-th best document is sure to reach, found before ranking
  // starts: the documents where each of SeedSources() weighs most are scored in full, and the
  // k-th best of those that pass the filter is a real document's score. Ranking from it prunes
  // at once, instead of raising its threshold slowly as good documents turn up in document
  // order. 0 when fewer than k pass.
  double SeedFloor(const std::vector<Cursor>& by_bound, const Filter& filter,
                   const Boosting& boosting, size_t k) const REQUIRES_SHARED(mutex) {
    // Enough from each source that about k of them pass the filter.
    const double share = std::max(filter.passing_share, 1.0 / kSeedFilterSpread);
    const size_t wanted = static_cast<size_t>(std::ceil(static_cast<double>(k) / share));
    std::vector<uint32_t> candidates;
    for (const PostingList* list : SeedSources(by_bound)) AppendStrongest(*list, wanted, candidates);
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    const IndexStore* indexed = &store;  // for the lambda, which runs with the lock held
    std::erase_if(candidates, [&](uint32_t doc) { return !filter.Passes(*indexed, doc); });
    if (candidates.size() < k) return 0;
    std::vector<double> scores(candidates.size(), 0.0);
    for (Cursor cursor : by_bound) {  // a term at a time: its list is read forward once
      for (size_t i = 0; i < candidates.size(); ++i) {
        cursor.Advance(candidates[i]);
        if (cursor.Doc() == candidates[i]) scores[i] += cursor.Score();
      }
    }
    for (size_t i = 0; i < candidates.size(); ++i)
      scores[i] *= boosting.Factor(store, candidates[i]);
    std::nth_element(scores.begin(), scores.begin() + static_cast<std::ptrdiff_t>(k - 1), scores.end(),
                     std::greater<>());
    return scores[k - 1] * (1.0 - 1e-12);  // a document scoring exactly this stays in
  }

  // The posting lists seeding draws from: the strongest terms', and the rarest term's (a title's
  // telling word: a document that holds it in its title likely holds the rest of the query
  // too).
  static std::vector<const PostingList*> SeedSources(const std::vector<Cursor>& by_bound) {
    std::vector<const PostingList*> sources;
    for (size_t c = by_bound.size(); c-- > 0 && sources.size() < kSeedTerms;) {
      if (!by_bound[c].fragment) sources.push_back(by_bound[c].list);
    }
    std::vector<const PostingList*> by_length;
    for (const auto& cursor : by_bound) {
      if (!cursor.fragment) by_length.push_back(cursor.list);
    }
    std::sort(by_length.begin(), by_length.end(),
              [](const PostingList* a, const PostingList* b) { return a->docs.size() < b->docs.size(); });
    for (size_t i = 0; i < by_length.size() && i < kSeedRareTerms; ++i) sources.push_back(by_length[i]);
    std::sort(sources.begin(), sources.end());
    sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
    return sources;
  }

  // About the `wanted` documents of `list` with the highest impacts, appended to `out` in
  // document order: the strongest postings of the `wanted` blocks whose highest impacts are
  // highest (the first in document order among equals), so a long list costs a read of its
  // block maxima, not of every impact.
  static void AppendStrongest(const PostingList& list, size_t wanted, std::vector<uint32_t>& out) {
    if (list.docs.size() <= wanted) {
      out.insert(out.end(), list.docs.begin(), list.docs.end());
      return;
    }
    auto [cut, at_cut] = Cut(list.block_max, wanted);
    std::vector<size_t> blocks;
    for (size_t b = 0; b < list.block_max.size(); ++b) {
      uint8_t most = list.block_max[b];
      if (most > cut || (most == cut && at_cut-- > 0)) blocks.push_back(b);
    }
    auto for_each_posting = [&](auto&& visit) {  // of those blocks, in document order
      for (size_t b : blocks) {
        for (size_t i = b * kSkipStep; i < std::min(list.docs.size(), (b + 1) * kSkipStep); ++i)
          visit(i);
      }
    };
    std::array<size_t, 256> histogram{};
    for_each_posting([&](size_t i) { ++histogram[list.impacts[i]]; });
    const auto strongest = Cut(histogram, wanted);  // no structured bindings: clang 14's lambdas
    const unsigned impact_cut = strongest.first;
    size_t left_at_cut = strongest.second;
    for_each_posting([&](size_t i) {
      uint8_t impact = list.impacts[i];
      if (impact > impact_cut || (impact == impact_cut && left_at_cut-- > 0))
        out.push_back(list.docs[i]);
    });
  }

  // For the `wanted` highest impacts (counted in a histogram, or listed): the lowest taken, and
  // how many of those equal to it are taken.
  static std::pair<unsigned, size_t> Cut(const std::array<size_t, 256>& histogram, size_t wanted) {
    unsigned cut = 255;
    size_t above_cut = 0;
    while (cut > 0 && above_cut + histogram[cut] < wanted) above_cut += histogram[cut--];
    return {cut, wanted - above_cut};
  }
  static std::pair<unsigned, size_t> Cut(const std::vector<uint8_t>& impacts, size_t wanted) {
    std::array<size_t, 256> histogram{};
    for (uint8_t impact : impacts) ++histogram[impact];
    return Cut(histogram, wanted);
  }

  // MaxScore over windows of documents (ranking_parts.h WindowScores), as Lucene's
  // MaxScoreBulkScorer. In each window, the terms whose block-max bounds there together cannot
  // lift a document above the threshold (the floor, then the k-th best so far) are not
  // essential: they only score documents that the others found. The essential terms' postings
  // in the window are summed a term at a time; the documents found that pass the filter and
  // could still make it are then completed from the other terms, strongest first, and dropped
  // as soon as they cannot. A window whose terms cannot reach the threshold at all costs only
  // its partition. Thresholds are of boosted scores; a text bound can reach a boosted one of at
  // most itself times the highest boost.
  // A fragment may be essential, but a document only a fragment holds is not a match: one
  // that a fragment found is kept only once a word turns up among the other terms. (Making
  // every word essential instead, since the fragments' bounds together often pass the
  // threshold, made nearly every document a candidate.)
  void Rank(const std::vector<QueryTerm>& terms, const Filter& filter, const Boosting& boosting,
            size_t k, double floor, TopK& top, size_t& matched, bool& exact) const
      REQUIRES_SHARED(mutex) {
    std::vector<Cursor> cursors;
    for (const auto& term : terms) {
      const PostingList& list = store.postings[term.id];
      double weight = term.weight * Idf(term.id);
      cursors.push_back(
          {&list, 0, weight * kImpactStep, weight * kImpactStep * list.max_impact, term.fragment});
    }
    std::sort(cursors.begin(), cursors.end(), [](const Cursor& a, const Cursor& b) { return a.bound < b.bound; });
    double threshold = 0;       // a document's boosted score must be above it
    double text_threshold = 0;  // ... so its text score must be above this
    auto raise_threshold = [&](double to) {
      threshold = to;
      text_threshold = to / boosting.highest;
    };
    if (floor <= 0) floor = SeedFloor(cursors, filter, boosting, k);
    if (floor > 0) {
      exact = false;  // documents below the floor are not counted
      raise_threshold(floor);
    }
    auto pruning = [&] { return threshold > 0 || top.size() >= k; };

    // Per window: the cursors by their bound there, below[i] the bounds of order[0, i).
    std::vector<Cursor*> order;
    for (auto& cursor : cursors) order.push_back(&cursor);
    std::vector<double> below(cursors.size() + 1, 0.0);
    const IndexStore* indexed = &store;  // for the lambdas, which run with the lock held
    ranking::WindowScores window(store.ids.size());
    std::vector<uint64_t> passing, group_passing;  // the window's documents that pass the filter terms
    std::vector<Cursor*> probing;  // the window's non-essential terms, strongest first
    std::vector<double> after;     // after[i]: the bounds of probing[i + 1, ...)
    auto complete = [&](size_t essential) {
      probing.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(essential));
      std::sort(probing.begin(), probing.end(), [](const Cursor* a, const Cursor* b) { return a->bound > b->bound; });
      after.assign(probing.size(), 0.0);
      for (size_t i = probing.size(); i-- > 1;) after[i - 1] = after[i] + probing[i]->bound;
      for (size_t i = 0; i < probing.size() && !window.Empty(); ++i) {
        window.Complete(*probing[i]);
        if (pruning() && window.Prune(after[i], text_threshold)) exact = false;
      }
      window.Finish([&](uint32_t doc, double score, bool found_by_word) {
        if (!found_by_word) return;  // fragments alone
        // The boost and the ranges read the document's values, likely a cache miss: once
        // pruning has begun (and the total is a lower bound), only for a document that could enter.
        double boosted = score * boosting.Factor(*indexed, doc);
        bool enters = boosted > floor && (top.size() < k || WorseFirst()({boosted, doc, score}, top.top()));
        if (!exact && !enters) return;
        if (!filter.PassesRanges(*indexed, doc)) return;
        ++matched;
        Offer(top, k, {boosted, doc, score});
        if (top.size() >= k && top.top().score > threshold) raise_threshold(top.top().score);
      });
    };
    for (uint32_t next = NextWindowStart(cursors, 0); next != UINT32_MAX;) {
      const uint32_t first = next & ~63u;  // filter masks are read a 64-bit word at a time
      window.Start(first);
      const uint32_t end = window.End();
      const size_t essential = PartitionWindow(first, end, text_threshold, order, below);
      if (below[essential] > 0) exact = false;  // documents only the others hold are passed over
      for (size_t i = essential; i < order.size(); ++i) window.Add(*order[i]);
      passing.resize(window.Width() / 64);
      group_passing.resize(passing.size());
      bool masked = filter.WindowMask(store, first, passing, group_passing);
      window.Select(masked ? passing.data() : nullptr, [&](uint32_t doc, double score) {
        if (!filter.Live(*indexed, doc)) return false;
        if (pruning() && score + below[essential] <= text_threshold) {  // cannot make it
          exact = false;
          return false;
        }
        return true;
      });
      complete(essential);
      next = end == UINT32_MAX ? UINT32_MAX : NextWindowStart(cursors, end);
    }
  }

  // Moves every cursor to `first`, sets its bound to its most in [first, end), and orders the
  // cursors for the window: by bound per posting, so the long lists of common words are the
  // first to be set aside (as Lucene orders its clauses by score over cost). Returns how many
  // of `order` are not essential: those whose bounds together, below[i] for the first i, do not
  // pass `text_threshold`.
  static size_t PartitionWindow(uint32_t first, uint32_t end, double text_threshold,
                                std::vector<Cursor*>& order, std::vector<double>& below) {
    for (Cursor* cursor : order) {
      cursor->Advance(first);
      cursor->bound = cursor->BoundBefore(end);
    }
    std::sort(order.begin(), order.end(), [](const Cursor* a, const Cursor* b) {
      return a->bound * static_cast<double>(b->list->docs.size()) <
             b->bound * static_cast<double>(a->list->docs.size());
    });
    for (size_t i = 0; i < order.size(); ++i) below[i + 1] = below[i] + order[i]->bound;
    size_t essential = 0;
    while (essential < order.size() && below[essential + 1] <= text_threshold) ++essential;
    return essential;
  }

  // The first document at or after `from` that a term other than a fragment holds.
  static uint32_t NextWindowStart(std::vector<Cursor>& cursors, uint32_t from) {
    uint32_t next = UINT32_MAX;
    for (auto& cursor : cursors) {
      if (cursor.fragment) continue;
      cursor.Advance(from);
      next = std::min(next, cursor.Doc());
    }
    return next;
  }

  // No terms: every document that passes, ordered by a slot's number (highest first).
  void Browse(const IndexQuery& query, const Filter& filter, size_t k, TopK& top,
              size_t& matched) const REQUIRES_SHARED(mutex) {
    for (uint32_t doc = 0; doc < store.ids.size(); ++doc) {
      if (!filter.Passes(store, doc)) continue;
      ++matched;
      double key = 0;
      if (query.browse_sort_slot && *query.browse_sort_slot < kValueSlots) {
        unsigned slot = *query.browse_sort_slot;
        key = store.slots[slot].numbers[store.values[doc][slot]];
      }
      Offer(top, k, {key, doc, 0.0});
    }
  }

  IndexResult SearchLocked(const IndexQuery& query) const REQUIRES_SHARED(mutex) {
    IndexResult result;
    std::vector<std::string> names;
    auto terms = QueryTerms(query, names);
    double half = static_cast<double>(store.ids.size()) / 2.0;
    for (size_t i = 0; i < terms.size(); ++i) {
      bool weak = query.weak_terms != nullptr && query.weak_terms->count(names[i]) != 0;
      if (static_cast<double>(store.postings[terms[i].id].docs.size()) <= half &&
          !terms[i].fragment && !weak) {
        result.telling_terms.push_back(names[i]);
      }
    }
    if (result.telling_terms.empty()) result.telling_terms = names;
    Filter filter = MakeFilter(query);
    bool words_given = !query.terms.empty() || !query.weighted_terms.empty();
    if (filter.impossible || (words_given && terms.empty())) return result;
    size_t k = std::max(query.examine_at_least, query.offset + query.limit);
    if (k == 0) return result;
    TopK top;
    size_t matched = 0;
    if (words_given) {
      Boosting boosting;
      if (query.boost) boosting = {&query.boost, std::max(query.highest_boost, 1e-9)};
      Rank(terms, filter, boosting, k, std::max(0.0, query.min_score), top, matched,
           result.total_exact);
    } else {
      Browse(query, filter, k, top, matched);
    }
    std::vector<Scored> best;
    while (!top.empty()) {
      best.push_back(top.top());
      top.pop();
    }
    std::reverse(best.begin(), best.end());
    result.total = matched;
    for (unsigned slot : query.facet_slots) {
      if (slot >= kValueSlots) continue;
      auto& counts = result.facets[slot];
      for (const auto& s : best) {
        const std::string& value = store.slots[slot].strings[store.values[s.doc][slot]];
        if (value.empty()) continue;
        for (const auto& item : SplitJoined(value)) ++counts[item];
      }
    }
    for (size_t i = query.offset; i < best.size() && i < query.offset + query.limit; ++i) {
      IndexHit hit{store.ids[best[i].doc], best[i].score, best[i].text_score, {}};
      for (unsigned slot : query.return_slots) {
        if (slot >= kValueSlots) continue;
        const std::string& value = store.slots[slot].strings[store.values[best[i].doc][slot]];
        if (!value.empty()) hit.values[slot] = value;
      }
      result.hits.push_back(std::move(hit));
    }
    return result;
  }
};

const std::set<std::string>& WeakQueryTerms() {
  static const std::set<std::string> kStems = [] {
    std::set<std::string> stems = {
        "method",  "system",  "apparatus", "devic",  "thereof", "therefor", "therein",
        "wherein", "wherebi", "compris",   "said",   "plural",  "configur", "embodi",
        "invent",  "use",     "have",      "includ", "provid",  "associ",   "relat"};
    stems.insert(EnglishFunctionWords().begin(), EnglishFunctionWords().end());
    return stems;
  }();
  return kStems;
}

SearchIndex::SearchIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SearchIndex::~SearchIndex() = default;

Result<std::unique_ptr<SearchIndex>> SearchIndex::Open(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) return Status::Internal("cannot create the search index at " + path + ": " + error.message());
  auto impl = std::make_unique<Impl>();
  impl->dir = path;
  impl->lock_fd = open((path + "/LOCK").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (impl->lock_fd < 0 || flock(impl->lock_fd, LOCK_EX | LOCK_NB) != 0) return InUse(path);
  if (std::filesystem::exists(impl->SnapshotPath())) {
    WriterLock lock(impl->mutex);  // no other thread sees it yet; the analysis asks all the same
    ASSIGN_OR_RETURN(impl->last_seq, ReadSnapshot(impl->SnapshotPath(), impl->store));
    impl->durable_seq = impl->last_seq;
    impl->IndexLive();
  }
  return std::unique_ptr<SearchIndex>(new SearchIndex(std::move(impl)));
}

Status SearchIndex::EnsureNotInUse(const std::string& path) {
  int fd = open((path + "/LOCK").c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return Status::Ok();  // no index there yet
  bool free = flock(fd, LOCK_EX | LOCK_NB) == 0;
  close(fd);
  return free ? Status::Ok() : InUse(path);
}

Status SearchIndex::Apply(const std::vector<IndexChange>& changes, int64_t last_seq) {
  WriterLock lock(impl_->mutex);
  for (const auto& change : changes) {
    impl_->Remove(change.id);
    if (change.document) impl_->Add(*change.document);
  }
  impl_->FlushPending();
  if (changes.empty() && last_seq == impl_->last_seq) return Status::Ok();  // nothing new to save
  impl_->last_seq = last_seq;
  impl_->dirty = true;
  return Status::Ok();
}

Status SearchIndex::Checkpoint() {
  WriterLock lock(impl_->mutex);
  if (!impl_->dirty) return Status::Ok();
  size_t live = impl_->live_by_id.size();
  size_t all = impl_->store.ids.size();
  if (all > 0 && static_cast<double>(all - live) / static_cast<double>(all) > kCompactWhenDeadShare) {
    impl_->store.Compact();
    impl_->IndexLive();
  }
  RETURN_IF_ERROR(WriteSnapshot(impl_->SnapshotPath(), impl_->store, impl_->last_seq));
  impl_->durable_seq = impl_->last_seq;
  impl_->dirty = false;
  return Status::Ok();
}

int64_t SearchIndex::LastAppliedSeq() const {
  ReaderLock lock(impl_->mutex);
  return impl_->last_seq;
}

int64_t SearchIndex::DurableSeq() const {
  ReaderLock lock(impl_->mutex);
  return impl_->durable_seq;
}

size_t SearchIndex::DocumentCount() const {
  ReaderLock lock(impl_->mutex);
  return impl_->live_by_id.size();
}

Result<IndexResult> SearchIndex::Search(const IndexQuery& query) const {
  ReaderLock lock(impl_->mutex);
  return impl_->SearchLocked(query);
}

std::string SearchIndex::NumericValue(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

double SearchIndex::ParseNumericValue(const std::string& value) {
  return value.empty() ? 0 : std::strtod(value.c_str(), nullptr);
}

}  // namespace parkhub::matching
