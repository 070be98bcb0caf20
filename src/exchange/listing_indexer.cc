#include "exchange/listing_indexer.h"

#include <map>
#include <thread>

#include "core/strings.h"
#include "db/domain_events.h"
#include "exchange/model.h"
#include "exchange/listing_rows.h"
#include "matching/people.h"

namespace parkhub::exchange {
namespace {

using matching::IndexChange;
using matching::IndexDocument;
using matching::SearchIndex;

constexpr double kNeverExpires = 9.0e15;
constexpr size_t kParallelBatch = 256;
// The events the index follows.
constexpr char kListingChanged[] = "listing.changed";

std::vector<std::string> Concat(const matching::Analyzer& analyzer,
                                const std::vector<std::string>& texts) {
  std::vector<std::string> terms;
  for (const auto& text : texts) {
    auto more = analyzer.Terms(text);
    terms.insert(terms.end(), more.begin(), more.end());
  }
  return terms;
}

double ExpiryValue(const std::string& expires_on) {
  auto start = ParseUtc(expires_on + "T00:00:00Z");
  return start ? static_cast<double>(ToUnixSeconds(*start) + 86400) : kNeverExpires;
}

IndexDocument ToDocument(const ListingRow& row, const matching::Analyzer& analyzer,
                         const text::TextFolder& folder) {
  const Listing& l = row.listing;
  IndexDocument d;
  d.id = l.id;
  d.fields = {{analyzer.Terms(l.title), matching::kTitleWeight},
              {Concat(analyzer, l.keywords), matching::kKeywordsWeight},
              {analyzer.Terms(l.summary + "\n" + DetailsText(l.details) + "\n" + JoinWith(l.people, '\n')),
               matching::kTextWeight},
              {matching::PersonTerms(folder, l.people), matching::kPeopleWeight, false}};
  bool hide_owner = row.confidential();
  // Who may see it: everyone or the park's members, and always its owner and named audience.
  d.filter_terms = {"K" + l.kind, "R" + l.owner_region, "Vorg" + std::to_string(row.owner_row_id)};
  if (l.visibility != "named") d.filter_terms.push_back("V" + l.visibility);
  for (int64_t org : row.audience_row_ids) d.filter_terms.push_back("Vorg" + std::to_string(org));
  if (!hide_owner) d.filter_terms.push_back("O" + l.owner_id);
  std::string discipline = FilterValue(folder, l.discipline);
  if (!discipline.empty()) d.filter_terms.push_back("D" + discipline);
  std::vector<std::string> tags;
  for (const auto& tag : l.tags) {
    tags.push_back(FilterValue(folder, tag));
    d.filter_terms.push_back("G" + tags.back());
  }
  d.values = {{slots::kKind, l.kind},
              {slots::kOwner, hide_owner ? "" : l.owner_id},
              {slots::kRegion, l.owner_region},
              {slots::kDiscipline, discipline},
              {slots::kTags, JoinWith(tags)},
              {slots::kTrl, SearchIndex::NumericValue(static_cast<double>(l.trl))},
              {slots::kPublishedAt, SearchIndex::NumericValue(static_cast<double>(
                                        ToUnixSeconds(ParseUtc(l.published_at).value_or(TimePoint{}))))},
              {slots::kExpiresAt, SearchIndex::NumericValue(ExpiryValue(l.expires_at))}};
  return d;
}

}  // namespace

std::string FilterValue(const text::TextFolder& folder, const std::string& text) {
  std::string folded = folder.Fold(text);
  // '|' separates values inside one facet slot.
  for (char& c : folded) {
    if (c == '|') c = '/';
  }
  return folded;
}

Result<std::vector<IndexChange>> ListingIndexer::ChangesFor(db::Connection& c,
                                                            const std::vector<int64_t>& listing_ids) {
  ASSIGN_OR_RETURN(auto rows, LoadListingRows(c, listing_ids));
  std::map<int64_t, const ListingRow*> by_id;
  for (const auto& row : rows) by_id[row.row_id] = &row;
  std::string today = FormatUtc(clock_.Now()).substr(0, 10);
  std::vector<IndexChange> changes;
  std::vector<const ListingRow*> sources;  // per change: the row to analyse, or null to remove
  for (int64_t id : listing_ids) {
    auto it = by_id.find(id);
    if (it == by_id.end()) continue;  // never existed: nothing to remove either
    const ListingRow& row = *it->second;
    bool searchable = row.listing.state == "published" &&
                      (row.listing.expires_at.empty() || row.listing.expires_at >= today);
    changes.push_back({row.listing.id, std::nullopt});
    sources.push_back(searchable ? &row : nullptr);
  }
  // Analysis is most of the work: a large batch is shared with a second thread.
  ASSIGN_OR_RETURN(auto first, analyzers_.Borrow());
  auto analyse = [&](const matching::Analyzer& analyzer, size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      if (sources[i] != nullptr) changes[i].document = ToDocument(*sources[i], analyzer, folder_);
    }
  };
  size_t half = sources.size() >= kParallelBatch ? sources.size() / 2 : sources.size();
  if (half < sources.size()) {
    ASSIGN_OR_RETURN(auto second, analyzers_.Borrow());
    std::thread helper(analyse, std::cref(*second), half, sources.size());
    analyse(*first, 0, half);
    helper.join();
  } else {
    analyse(*first, 0, half);
  }
  return changes;
}

Result<int> ListingIndexer::CatchUp() {
  MutexLock lock(mutex_);
  int applied = 0;
  while (true) {
    int64_t last = index_.LastAppliedSeq();
    ASSIGN_OR_RETURN(auto c, database_.Acquire());
    ASSIGN_OR_RETURN(auto tx, db::Transaction::Begin(*c, db::TxMode::kRead));
    ASSIGN_OR_RETURN(int64_t pruned, db::DomainEvents::PrunedThrough(*c));
    ASSIGN_OR_RETURN(int64_t horizon, db::DomainEvents::Horizon(*c));
    // Behind what was pruned, it missed events; ahead of the outbox, its snapshot was taken on
    // another database (before `parkhub copy-data`): either way every listing is applied again.
    if (last < pruned || last > horizon) return Resync();
    ASSIGN_OR_RETURN(auto events, db::DomainEvents::ReadAfter(*c, last, {kListingChanged}, 2000));
    if (events.empty()) {
      ASSIGN_OR_RETURN(int early, ApplyUnsettled(*c));
      return applied + early;
    }
    std::vector<int64_t> ids;
    for (const auto& event : events) {
      if (applied_early_.erase(event.seq) == 0) ids.push_back(event.subject_row);
    }
    std::vector<matching::IndexChange> changes;
    if (!ids.empty()) {
      ASSIGN_OR_RETURN(changes, ChangesFor(*c, ids));
    }
    RETURN_IF_ERROR(index_.Apply(changes, events.back().position));
    applied += static_cast<int>(ids.size());
  }
}

Result<int> ListingIndexer::ApplyUnsettled(db::Connection& c) {
  ASSIGN_OR_RETURN(auto events, db::DomainEvents::ReadUnsettled(c, {kListingChanged}, 2000));
  std::vector<int64_t> ids, seqs;
  for (const auto& event : events) {
    if (applied_early_.contains(event.seq)) continue;
    ids.push_back(event.subject_row);
    seqs.push_back(event.seq);
  }
  if (ids.empty()) return 0;
  ASSIGN_OR_RETURN(auto changes, ChangesFor(c, ids));
  RETURN_IF_ERROR(index_.Apply(changes, index_.LastAppliedSeq()));
  applied_early_.insert(seqs.begin(), seqs.end());
  return static_cast<int>(ids.size());
}

Result<int> ListingIndexer::Rebuild(SearchIndex& target, const Progress& progress) {
  MutexLock lock(mutex_);
  ASSIGN_OR_RETURN(int done, ApplyListings(target, /*published_only=*/true, progress));
  RETURN_IF_ERROR(target.Checkpoint());
  return done;
}

Result<int> ListingIndexer::Resync() {
  applied_early_.clear();  // whatever they applied is applied again, at the new position
  return ApplyListings(index_, /*published_only=*/false, {});
}

Result<int> ListingIndexer::ApplyListings(SearchIndex& target, bool published_only,
                                          const Progress& progress) {
  db::Database& source = following_.bulk_reads != nullptr ? *following_.bulk_reads : database_;
  ASSIGN_OR_RETURN(auto c, source.Acquire());
  ASSIGN_OR_RETURN(auto tx, db::Transaction::Begin(*c, db::TxMode::kRead));
  ASSIGN_OR_RETURN(int64_t horizon, db::DomainEvents::Horizon(*c));
  const std::string which = published_only ? "state = 'published' AND " : "";
  ASSIGN_OR_RETURN(
      int64_t total,
      c->QueryInt(published_only ? "SELECT COUNT(*) FROM listings WHERE state = 'published'"
                                 : "SELECT COUNT(*) FROM listings"));
  int done = 0;
  int64_t after = 0;
  if (progress) progress(0, static_cast<int>(total));
  while (true) {
    ASSIGN_OR_RETURN(auto rows, c->Query("SELECT id FROM listings WHERE " + which +
                                             "id > ? ORDER BY id LIMIT 5000",
                                         {after}));
    if (rows.empty()) break;
    std::vector<int64_t> ids;
    for (const auto& row : rows) ids.push_back(row.Int(0));
    after = ids.back();
    ASSIGN_OR_RETURN(auto changes, ChangesFor(*c, ids));
    RETURN_IF_ERROR(target.Apply(changes, horizon));
    done += static_cast<int>(ids.size());
    if (progress) progress(done, static_cast<int>(total));
  }
  RETURN_IF_ERROR(target.Apply({}, horizon));
  return done;
}

Status ListingIndexer::Checkpoint() {
  RETURN_IF_ERROR(index_.Checkpoint());
  int64_t durable = index_.DurableSeq();
  std::string retained_since = FormatUtc(clock_.Now() - following_.retention);
  auto pruned = db::InTransaction<int64_t>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<int64_t> {
        RETURN_IF_ERROR(db::DomainEvents::SaveCursor(c, following_.consumer, durable));
        return db::DomainEvents::Prune(c, retained_since);
      });
  return pruned.ok() ? Status::Ok() : pruned.status();
}

Status ListingIndexer::Open() {
  if (index_.LastAppliedSeq() == 0 && index_.DocumentCount() == 0) {
    // No snapshot: the index is new or was lost. Build it whole from the database (or its
    // standby, which may lag: the catch-up below reads the rest from the primary's outbox).
    RETURN_IF_ERROR(Rebuild(index_).status());
  }
  RETURN_IF_ERROR(CatchUp().status());
  // From now on the outbox keeps what this index has not snapshotted (within the retention).
  auto saved = db::InTransaction<bool>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<bool> {
        RETURN_IF_ERROR(db::DomainEvents::SaveCursor(c, following_.consumer, index_.DurableSeq()));
        return true;
      });
  return saved.status();
}

}  // namespace parkhub::exchange
