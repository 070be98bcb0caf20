#include "matching/search_index.h"

#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/strings.h"

namespace parkhub::matching {
namespace {

constexpr char kIdPrefix[] = "Q";
constexpr char kLastSeqKey[] = "last_seq";
// Xapian refuses terms longer than about 245 bytes; nothing that long is a word anyway.
constexpr size_t kMaxTermBytes = 200;

Xapian::BM25Weight Bm25() { return Xapian::BM25Weight(1.2, 0.0, 1.0, 0.75, 0.5); }

Status IndexError(const Xapian::Error& error) {
  return Status::Internal("search index: " + error.get_description());
}

// Counts the values of chosen slots over the documents the matcher examines; a value holding
// several '|'-separated items counts once for each.
class FacetSpy : public Xapian::MatchSpy {
 public:
  explicit FacetSpy(std::vector<unsigned> slots) : slots_(std::move(slots)) {}
  void operator()(const Xapian::Document& document, double) override {
    for (unsigned slot : slots_) {
      std::string value = document.get_value(slot);
      if (value.empty()) continue;
      for (const auto& item : SplitJoined(value)) ++counts_[slot][item];
    }
  }
  std::map<unsigned, std::map<std::string, size_t>>& counts() { return counts_; }

 private:
  std::vector<unsigned> slots_;
  std::map<unsigned, std::map<std::string, size_t>> counts_;
};

std::map<std::string, unsigned> CountTerms(const std::vector<std::string>& terms) {
  std::map<std::string, unsigned> counts;
  for (const auto& term : terms) {
    if (!term.empty() && term.size() <= kMaxTermBytes) ++counts[term];
  }
  return counts;
}

Xapian::Query AnyOf(const std::vector<std::string>& terms, const std::string& prefix = "") {
  std::vector<Xapian::Query> parts;
  for (const auto& term : terms) parts.emplace_back(prefix + term.substr(0, kMaxTermBytes));
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

}  // namespace

struct SearchIndex::Impl {
  std::string path;
  mutable std::mutex write_mutex;
  std::unique_ptr<Xapian::WritableDatabase> writer;
  mutable std::mutex readers_mutex;
  mutable std::vector<std::unique_ptr<Xapian::Database>> idle_readers;

  std::unique_ptr<Xapian::Database> BorrowReader() const {
    {
      std::lock_guard lock(readers_mutex);
      if (!idle_readers.empty()) {
        auto reader = std::move(idle_readers.back());
        idle_readers.pop_back();
        reader->reopen();
        return reader;
      }
    }
    return std::make_unique<Xapian::Database>(path);
  }
  void ReturnReader(std::unique_ptr<Xapian::Database> reader) const {
    std::lock_guard lock(readers_mutex);
    idle_readers.push_back(std::move(reader));
  }

  // Keeps the `limit` distinct terms with the largest wqf × idf.
  static std::map<std::string, unsigned> Strongest(const Xapian::Database& db,
                                                   std::map<std::string, unsigned> counts,
                                                   size_t limit) {
    if (limit == 0 || counts.size() <= limit) return counts;
    double documents = std::max(1.0, static_cast<double>(db.get_doccount()));
    std::vector<std::pair<double, std::string>> ranked;
    for (const auto& [term, count] : counts) {
      double frequency = db.get_termfreq(term);
      if (frequency == 0) continue;
      ranked.emplace_back(-(2.0 * count / (count + 1.0)) * std::log(1.0 + documents / frequency),
                          term);
    }
    std::sort(ranked.begin(), ranked.end());
    std::map<std::string, unsigned> kept;
    for (size_t i = 0; i < ranked.size() && i < limit; ++i) kept[ranked[i].second] = counts[ranked[i].second];
    return kept;
  }

  static std::vector<std::string> Telling(const Xapian::Database& db,
                                          const std::map<std::string, unsigned>& counts) {
    std::vector<std::string> all, telling;
    double half = db.get_doccount() / 2.0;
    for (const auto& [term, count] : counts) {
      all.push_back(term);
      if (db.get_termfreq(term) <= half) telling.push_back(term);
    }
    return telling.empty() ? all : telling;
  }

  static Xapian::Query BuildQuery(const Xapian::Database& db, const IndexQuery& query,
                                  std::vector<std::string>& telling) {
    auto counts = Strongest(db, CountTerms(query.terms), query.max_terms);
    telling = Telling(db, counts);
    Xapian::Query result = Xapian::Query::MatchAll;
    if (!counts.empty()) {
      std::vector<Xapian::Query> parts;
      for (const auto& [term, count] : counts) parts.emplace_back(term, count);
      result = Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
    } else if (!query.terms.empty()) {
      return Xapian::Query::MatchNothing;  // words were given, none indexable
    }
    for (const auto& group : query.filter_groups) {
      result = Xapian::Query(Xapian::Query::OP_FILTER, result, AnyOf(group));
    }
    for (const auto& range : query.ranges) {
      result = Xapian::Query(Xapian::Query::OP_FILTER, result,
                             Xapian::Query(Xapian::Query::OP_VALUE_RANGE, range.slot,
                                           Xapian::sortable_serialise(range.low),
                                           Xapian::sortable_serialise(range.high)));
    }
    if (!query.exclude_ids.empty()) {
      result = Xapian::Query(Xapian::Query::OP_AND_NOT, result, AnyOf(query.exclude_ids, kIdPrefix));
    }
    return result;
  }

  Result<IndexResult> SearchOnce(const IndexQuery& query) const {
    auto reader = BorrowReader();
    Xapian::Enquire enquire(*reader);
    IndexResult result;
    enquire.set_query(BuildQuery(*reader, query, result.telling_terms));
    enquire.set_weighting_scheme(Bm25());
    bool has_terms = !query.terms.empty();
    if (!has_terms && query.browse_sort_slot) enquire.set_sort_by_value(*query.browse_sort_slot, true);
    FacetSpy spy(query.facet_slots);
    if (!query.facet_slots.empty()) enquire.add_matchspy(&spy);
    size_t examine = std::max(query.examine_at_least, query.offset + query.limit);
    Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(query.offset),
                                         static_cast<Xapian::doccount>(query.limit),
                                         static_cast<Xapian::doccount>(examine));
    result.total = mset.get_matches_estimated();
    result.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      Xapian::Document document = it.get_document();
      result.hits.push_back({document.get_value(0), it.get_weight(), document.get_data()});
    }
    result.facets = std::move(spy.counts());
    ReturnReader(std::move(reader));
    return result;
  }
};

SearchIndex::SearchIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SearchIndex::~SearchIndex() = default;

Result<std::unique_ptr<SearchIndex>> SearchIndex::Open(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  try {
    impl->writer = std::make_unique<Xapian::WritableDatabase>(path, Xapian::DB_CREATE_OR_OPEN);
  } catch (const Xapian::DatabaseLockError&) {
    return Status(ErrorCode::kUnavailable, "search_index",
                  "the search index " + path + " is open in another process (is a server running?)");
  } catch (const Xapian::Error& error) {
    return IndexError(error);
  }
  return std::unique_ptr<SearchIndex>(new SearchIndex(std::move(impl)));
}

Status SearchIndex::Apply(const std::vector<IndexChange>& changes, int64_t last_seq) {
  std::lock_guard lock(impl_->write_mutex);
  try {
    for (const auto& change : changes) {
      std::string id_term = kIdPrefix + change.id.substr(0, kMaxTermBytes);
      if (!change.document) {
        impl_->writer->delete_document(id_term);
        continue;
      }
      const IndexDocument& source = *change.document;
      Xapian::Document document;
      document.add_boolean_term(id_term);
      for (const auto& field : source.fields) {
        for (const auto& term : field.terms) {
          if (!term.empty() && term.size() <= kMaxTermBytes) document.add_term(term, field.weight);
        }
      }
      for (const auto& term : source.filter_terms) {
        if (!term.empty()) document.add_boolean_term(term.substr(0, kMaxTermBytes));
      }
      document.add_value(0, source.id);
      for (const auto& [slot, value] : source.values) document.add_value(slot, value);
      document.set_data(source.data);
      impl_->writer->replace_document(id_term, document);
    }
    impl_->writer->set_metadata(kLastSeqKey, std::to_string(last_seq));
    impl_->writer->commit();
  } catch (const Xapian::Error& error) {
    return IndexError(error);
  }
  return Status::Ok();
}

int64_t SearchIndex::LastAppliedSeq() const {
  std::lock_guard lock(impl_->write_mutex);
  std::string value = impl_->writer->get_metadata(kLastSeqKey);
  return value.empty() ? 0 : std::stoll(value);
}

size_t SearchIndex::DocumentCount() const {
  std::lock_guard lock(impl_->write_mutex);
  return impl_->writer->get_doccount();
}

Result<IndexResult> SearchIndex::Search(const IndexQuery& query) const {
  try {
    return impl_->SearchOnce(query);
  } catch (const Xapian::DatabaseModifiedError&) {
    // A commit overtook this reader mid-search; the next borrow reopens it.
    try {
      return impl_->SearchOnce(query);
    } catch (const Xapian::Error& error) {
      return IndexError(error);
    }
  } catch (const Xapian::Error& error) {
    return IndexError(error);
  }
}

std::string SearchIndex::NumericValue(double value) { return Xapian::sortable_serialise(value); }
double SearchIndex::ParseNumericValue(const std::string& value) {
  return value.empty() ? 0 : Xapian::sortable_unserialise(value);
}

}  // namespace parkhub::matching
