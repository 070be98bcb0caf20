// Listings: create, edit, publish, close, expire, read and list, with visibility checks.
#include <algorithm>
#include <set>

#include "core/random.h"
#include "core/strings.h"
#include "core/text_rules.h"
#include "db/domain_events.h"
#include "exchange/exchange_service.h"
#include "exchange/park_vocabulary.h"
#include "exchange/viewer.h"
#include "identity/identity_service.h"
#include "matching/people.h"
#include "registry/directory.h"
#include "registry/registry_service.h"

namespace parkhub::exchange {
namespace {

using identity::Role;

constexpr size_t kMaxTitle = 300;
constexpr size_t kMaxSummary = 20000;
constexpr size_t kMaxListItems = 30;
constexpr size_t kMaxListItem = 100;

void CheckList(const std::string& field, const std::vector<std::string>& items, FieldErrors& errors) {
  if (items.size() > kMaxListItems) {
    errors.Add(field, "at most 30 items", "too_many", {{"max", 30}});
  }
  for (const auto& item : items) {
    if (!CheckText(field, item, kMaxListItem, errors)) return;
    if (item.empty() || item.find('|') != std::string::npos) {
      return errors.Add(field, "each item: 1 to 100 characters, without '|'", "out_of_range",
                        {{"min", 1}, {"max", 100}});
    }
  }
}

// Queues the listing for the search index (a listing.changed event), in the caller's transaction.
Status QueueForIndex(db::Connection& c, int64_t row_id, const std::string& now) {
  db::DomainEvent changed;
  changed.kind = "listing.changed";
  changed.subject_row = row_id;
  changed.at = now;
  changed.wakes_followers = true;  // every other instance's search index follows listings
  return db::DomainEvents::Append(c, changed);
}

// The listing as a full input, with `patch`'s fields over `current`'s.
ListingInput Merge(const Listing& current, const ListingInput& patch) {
  ListingInput merged;
  merged.kind = current.kind;
  merged.owner_id = current.owner_id;
  merged.visibility = patch.visibility.value_or(current.visibility);
  merged.audience = patch.audience.value_or(current.audience);
  merged.title = patch.title.value_or(current.title);
  merged.summary = patch.summary.value_or(current.summary);
  merged.keywords = patch.keywords.value_or(current.keywords);
  merged.people = patch.people.value_or(current.people);
  merged.discipline = patch.discipline.value_or(current.discipline);
  merged.tags = patch.tags.value_or(current.tags);
  merged.trl = patch.trl.value_or(current.trl);
  merged.person_id = patch.person_id.value_or(current.person_id);
  merged.details = patch.details.value_or(current.details);
  merged.expires_at = patch.expires_at.value_or(current.expires_at);
  return merged;
}

}  // namespace

Result<ExchangeService::Resolved> ExchangeService::ValidateListing(db::Connection& c,
                                                                   const ListingInput& in,
                                                                   int64_t owner_row_id) {
  FieldErrors errors;
  Resolved resolved;
  const std::string kind = in.kind.value_or("");
  std::string title = in.title.value_or("");
  if (CheckText("title", title, kMaxTitle, errors) && title.empty()) {
    errors.Add("title", "1 to 300 characters", "out_of_range", {{"min", 1}, {"max", 300}});
  }
  CheckText("summary", in.summary.value_or(""), kMaxSummary, errors);
  CheckText("discipline", in.discipline.value_or(""), kMaxListItem, errors);
  CheckList("keywords", in.keywords.value_or(std::vector<std::string>{}), errors);
  CheckList("people", in.people.value_or(std::vector<std::string>{}), errors);
  for (const auto& name : in.people.value_or(std::vector<std::string>{})) {
    if (matching::PersonTerm(folder_, name).empty()) {
      errors.Add("people", "each name needs a letter: '" + name + "' has none", "bad_format",
                 {{"format", "name"}});
      break;
    }
  }
  CheckList("tags", in.tags.value_or(std::vector<std::string>{}), errors);
  int64_t trl = in.trl.value_or(0);
  if (trl < 0 || trl > 9) {
    errors.Add("trl", "a technology readiness level from 1 to 9 (0: none)", "out_of_range",
               {{"min", 0}, {"max", 9}});
  }
  std::string visibility = in.visibility.value_or("public");
  if (!IsOneOf(Visibilities(), visibility)) {
    errors.Add("visibility", "one of public, members, named", "not_one_of",
               {{"allowed", Visibilities()}});
  }
  const auto audience = in.audience.value_or(std::vector<std::string>{});
  if (visibility == "named" && audience.empty()) {
    errors.Add("audience", "name at least one organisation for a listing shown to named ones",
               "required");
  }
  if (audience.size() > 100) {
    errors.Add("audience", "at most 100 organisations", "too_many", {{"max", 100}});
  }
  ASSIGN_OR_RETURN(auto audience_refs, registry::Directory::OrganizationsByPublicId(c, audience));
  for (const auto& org : audience) {
    auto found = audience_refs.find(org);
    if (found == audience_refs.end()) {
      errors.Add("audience", "no organisation " + org, "unknown_reference",
                 {{"kind", "organization"}, {"id", org}});
    } else if (found->second.row_id != owner_row_id &&
               std::find(resolved.audience.begin(), resolved.audience.end(), found->second.row_id) ==
                   resolved.audience.end()) {
      resolved.audience.push_back(found->second.row_id);
    }
  }
  std::string expires = in.expires_at.value_or("");
  if (!expires.empty() && !IsValidDate(expires)) {
    errors.Add("expires_at", "a date, YYYY-MM-DD", "bad_format", {{"format", "date"}});
  }
  ValidateDetails(kind, in.details.value_or(json::object()), errors);
  std::string person = in.person_id.value_or("");
  if (kind == "expertise") {
    ASSIGN_OR_RETURN(auto profiled, registry::Directory::FindPerson(c, person));
    bool affiliated = false;
    if (profiled) {
      ASSIGN_OR_RETURN(affiliated, registry::Directory::IsAffiliated(c, profiled->row_id, owner_row_id));
    }
    if (person.empty() || !profiled) {
      errors.Add("person_id", "an expertise listing profiles a person of the registry", "required");
    } else if (!affiliated) {
      errors.Add("person_id", "the person is not affiliated with the owner organisation",
                 "not_affiliated");
    } else {
      resolved.person = profiled->row_id;
    }
  } else if (!person.empty()) {
    errors.Add("person_id", "only expertise listings profile a person", "not_allowed_for_kind");
  }
  RETURN_IF_ERROR(errors.ToStatus());
  return resolved;
}

namespace {

// The terms the listing writes in both languages, for the park's vocabulary (BilingualTerm).
Status WriteTermPairs(db::Connection& c, int64_t row_id, const std::string& title,
                      const std::vector<std::string>& keywords) {
  RETURN_IF_ERROR(
      c.Execute("DELETE FROM listing_term_pairs WHERE listing_id = ?", {row_id}).status());
  std::set<std::pair<std::string, std::string>> pairs;
  for (std::string_view text : keywords) {
    if (auto pair = BilingualTerm(text)) pairs.insert({pair->chinese, pair->english});
  }
  if (auto pair = BilingualTerm(title)) pairs.insert({pair->chinese, pair->english});
  for (const auto& [chinese, english] : pairs) {
    RETURN_IF_ERROR(c.Execute("INSERT INTO listing_term_pairs (listing_id, chinese, english) "
                              "VALUES (?, ?, ?)",
                              {row_id, chinese, english})
                        .status());
  }
  return Status::Ok();
}

}  // namespace

Status ExchangeService::WriteListingFields(db::Connection& c, int64_t row_id, const ListingInput& in,
                                           const Resolved& resolved) {
  std::string now = FormatUtc(clock_.Now());
  RETURN_IF_ERROR(c.Execute("UPDATE listings SET visibility = ?, title = ?, summary = ?, keywords = ?, "
                            "people = ?, discipline = ?, tags = ?, trl = ?, person_id = ?, details = ?, "
                            "expires_at = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                            {in.visibility.value_or("public"), *in.title, in.summary.value_or(""),
                             JoinWith(in.keywords.value_or(std::vector<std::string>{})),
                             JoinWith(in.people.value_or(std::vector<std::string>{})),
                             in.discipline.value_or(""),
                             JoinWith(in.tags.value_or(std::vector<std::string>{})), in.trl.value_or(0),
                             resolved.person ? db::Value(*resolved.person) : db::Value(nullptr),
                             in.details.value_or(json::object()).dump(),
                             db::NullIfEmpty(in.expires_at.value_or("")), now, row_id})
                      .status());
  RETURN_IF_ERROR(
      WriteTermPairs(c, row_id, *in.title, in.keywords.value_or(std::vector<std::string>{})));
  RETURN_IF_ERROR(c.Execute("DELETE FROM listing_audience WHERE listing_id = ?", {row_id}).status());
  if (in.visibility.value_or("public") == "named") {
    for (int64_t org : resolved.audience) {
      RETURN_IF_ERROR(c.Execute("INSERT INTO listing_audience (listing_id, organization_id) "
                                "VALUES (?, ?) ON CONFLICT DO NOTHING",
                                {row_id, org})
                          .status());
    }
  }
  return QueueForIndex(c, row_id, now);
}

Status ExchangeService::RecordListingEvent(db::Connection& c, int64_t row_id, const std::string& from,
                                           const std::string& to, const Principal* actor,
                                           const std::string& note) {
  std::string now = FormatUtc(clock_.Now());
  RETURN_IF_ERROR(c.Execute("INSERT INTO listing_events (listing_id, from_state, to_state, actor_id, "
                            "at, note) VALUES (?, ?, ?, ?, ?, ?)",
                            {row_id, db::NullIfEmpty(from), to,
                             actor != nullptr ? db::Value(actor->user_id) : db::Value(nullptr), now,
                             note})
                      .status());
  return db::DomainEvents::Append(c, db::TransitionEvent("listing", row_id, "", from, to,
                                                     actor != nullptr ? actor->user_id : 0, now));
}

Result<Listing> ExchangeService::CreateListing(const Principal& p, const ListingInput& input) {
  if (!p.authenticated()) return Status::Unauthenticated();
  FieldErrors errors;
  if (!IsOneOf(ListingKinds(), input.kind.value_or(""))) {
    errors.Add("kind", "one of result, need, expertise, service", "not_one_of",
               {{"allowed", ListingKinds()}});
  }
  if (input.owner_id.value_or("").empty()) {
    errors.Add("owner_id", "the organisation that offers or seeks it", "required");
  }
  RETURN_IF_ERROR(errors.ToStatus());
  auto created = db::InTransaction<std::string>(database_, db::TxMode::kWrite, [&](db::Connection& c)
                                                    -> Result<std::string> {
    ASSIGN_OR_RETURN(auto owner, registry::Directory::FindOrganization(c, *input.owner_id));
    if (!owner) {
      return Status::Invalid("owner_id", "no such organisation", "unknown_reference",
                             {{"kind", "organization"}});
    }
    int64_t owner_row_id = owner->row_id;
    ASSIGN_OR_RETURN(Viewer viewer, Viewer::Load(c, p));
    bool acts = viewer.ActsFor(owner_row_id);
    if (!acts) return Status::PermissionDenied("you do not act for this organisation");
    ASSIGN_OR_RETURN(Resolved resolved, ValidateListing(c, input, owner_row_id));
    std::string public_id = NewPublicId("lst");
    std::string now = FormatUtc(clock_.Now());
    ASSIGN_OR_RETURN(int64_t row_id,
                     c.QueryInt("INSERT INTO listings (public_id, kind, owner_id, author_id, state, "
                                "visibility, title, version, created_at, updated_at) VALUES (?, ?, ?, ?, "
                                "'draft', 'public', '', 0, ?, ?) RETURNING id",
                                {public_id, *input.kind, owner_row_id, p.user_id, now, now}));
    RETURN_IF_ERROR(WriteListingFields(c, row_id, input, resolved));  // version 0 → 1
    RETURN_IF_ERROR(RecordListingEvent(c, row_id, "", "draft", &p, ""));
    return public_id;
  });
  if (!created.ok()) return created.status();
  return GetListing(p, *created);
}

Result<Listing> ExchangeService::UpdateListing(const Principal& p, const std::string& id,
                                               const ListingInput& input) {
  if (!p.authenticated()) return Status::Unauthenticated();
  auto updated = db::InTransaction<bool>(database_, db::TxMode::kWrite, [&](db::Connection& c)
                                             -> Result<bool> {
    RETURN_IF_ERROR(c.Lock("listing", id));
    ASSIGN_OR_RETURN(Viewer viewer, Viewer::Load(c, p));
    ASSIGN_OR_RETURN(ListingRow row, VisibleListing(c, viewer, id));
    bool acts = viewer.ActsFor(row.owner_row_id);
    if (!acts) return Status::PermissionDenied("only the owner organisation edits its listings");
    const Listing& current = row.listing;
    if (current.state == "closed") return Status::Conflict("closed", "a closed listing stays as it was");
    if (input.kind && *input.kind != current.kind) {
      return Status::Invalid("kind", "a listing keeps its kind", "unchangeable");
    }
    if (input.owner_id && *input.owner_id != current.owner_id) {
      return Status::Invalid("owner_id", "a listing keeps its owner", "unchangeable");
    }
    ListingInput merged = Merge(current, input);
    ASSIGN_OR_RETURN(Resolved resolved, ValidateListing(c, merged, row.owner_row_id));
    RETURN_IF_ERROR(WriteListingFields(c, row.row_id, merged, resolved));
    return true;
  });
  if (!updated.ok()) return updated.status();
  RETURN_IF_ERROR(SyncIndex());
  return GetListing(p, id);
}

Result<Listing> ExchangeService::Transition(const Principal& p, const std::string& id,
                                            const std::string& action, const std::string& note) {
  if (!p.authenticated()) return Status::Unauthenticated();
  RETURN_IF_ERROR(CheckTextField("note", note, 2000));
  auto moved = db::InTransaction<bool>(database_, db::TxMode::kWrite, [&](db::Connection& c)
                                           -> Result<bool> {
    RETURN_IF_ERROR(c.Lock("listing", id));
    ASSIGN_OR_RETURN(Viewer viewer, Viewer::Load(c, p));
    ASSIGN_OR_RETURN(ListingRow row, VisibleListing(c, viewer, id));
    bool acts = viewer.ActsFor(row.owner_row_id);
    if (!acts) return Status::PermissionDenied("only the owner organisation changes its listings");
    const std::string from = row.listing.state;
    ASSIGN_OR_RETURN(WorkflowStep step, ListingWorkflow().Step(from, action));
    const std::string& to = step.to;
    std::string now = FormatUtc(clock_.Now());
    if (to == "published") {
      const std::string& expires = row.listing.expires_at;
      if (!expires.empty() && expires < now.substr(0, 10)) {
        return Status::Invalid("expires_at", "is in the past: set a later date before publishing",
                               "in_the_past");
      }
      RETURN_IF_ERROR(c.Execute("UPDATE listings SET published_at = ? WHERE id = ?", {now, row.row_id}).status());
    }
    RETURN_IF_ERROR(c.Execute("UPDATE listings SET state = ?, updated_at = ?, version = version + 1 "
                              "WHERE id = ?",
                              {to, now, row.row_id})
                        .status());
    RETURN_IF_ERROR(QueueForIndex(c, row.row_id, now));
    RETURN_IF_ERROR(RecordListingEvent(c, row.row_id, from, to, &p, note));
    if (to == "published") {
      row.listing.state = to;
      row.listing.published_at = now;
      RETURN_IF_ERROR(NotifySavedSearches(c, row));
    }
    return true;
  });
  if (!moved.ok()) return moved.status();
  RETURN_IF_ERROR(SyncIndex());
  return GetListing(p, id);
}

Result<Listing> ExchangeService::PublishListing(const Principal& p, const std::string& id,
                                                const std::string& note) {
  return Transition(p, id, "publish", note);
}

Result<Listing> ExchangeService::CloseListing(const Principal& p, const std::string& id,
                                              const std::string& note) {
  return Transition(p, id, "close", note);
}

Result<int> ExchangeService::ExpireDue() {
  std::string today = FormatUtc(clock_.Now()).substr(0, 10);
  auto expired = db::InTransaction<int>(database_, db::TxMode::kWrite, [&](db::Connection& c)
                                            -> Result<int> {
    ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id FROM listings WHERE state = 'published' AND "
                                        "expires_at IS NOT NULL AND expires_at < ?",
                                        {today}));
    std::string now = FormatUtc(clock_.Now());
    for (const auto& row : rows) {
      RETURN_IF_ERROR(c.Execute("UPDATE listings SET state = 'expired', updated_at = ?, version = "
                                "version + 1 WHERE id = ?",
                                {now, row.Int(0)})
                          .status());
      RETURN_IF_ERROR(QueueForIndex(c, row.Int(0), now));
      RETURN_IF_ERROR(RecordListingEvent(c, row.Int(0), "published", "expired", nullptr,
                                         "its expiry date passed"));
    }
    return static_cast<int>(rows.size());
  });
  if (!expired.ok()) return expired.status();
  if (*expired > 0) RETURN_IF_ERROR(SyncIndex());
  return *expired;
}

Result<Listing> ExchangeService::GetListing(const Principal& p, const std::string& id) {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto tx, db::Transaction::Begin(*c, db::TxMode::kRead));
  ASSIGN_OR_RETURN(Viewer viewer, Viewer::Load(*c, p));
  ASSIGN_OR_RETURN(ListingRow row, VisibleListing(*c, viewer, id));
  return Present(*c, viewer, row);
}

Result<db::Page<Listing>> ExchangeService::ListOwnListings(const Principal& p,
                                                           const OwnListingQuery& query) {
  if (!p.authenticated()) return Status::Unauthenticated();
  FieldErrors errors;
  db::CheckPaging(query.limit, query.offset, 200, errors);
  if (!query.state.empty() && !IsOneOf(ListingStates(), query.state)) {
    errors.Add("state", "one of draft, published, closed, expired", "not_one_of",
               {{"allowed", ListingStates()}});
  }
  if (!query.kind.empty() && !IsOneOf(ListingKinds(), query.kind)) {
    errors.Add("kind", "not a listing kind", "not_one_of", {{"allowed", ListingKinds()}});
  }
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto tx, db::Transaction::Begin(*c, db::TxMode::kRead));
  ASSIGN_OR_RETURN(Viewer viewer, Viewer::Load(*c, p));
  db::Params params;
  std::string where = "WHERE owner_id IN (" + db::InList(viewer.acting_for(), params) + ")";
  if (!query.state.empty()) {
    where += " AND state = ?";
    params.push_back(query.state);
  }
  if (!query.kind.empty()) {
    where += " AND kind = ?";
    params.push_back(query.kind);
  }
  return db::CountThenPage<Listing>(
      *c, "FROM listings " + where, params, query.limit, query.offset,
      [&](const db::Params& paged) -> Result<std::vector<Listing>> {
        ASSIGN_OR_RETURN(auto ids, c->Query("SELECT id FROM listings " + where +
                                                " ORDER BY id DESC LIMIT ? OFFSET ?",
                                            paged));
        std::vector<int64_t> row_ids;
        for (const auto& r : ids) row_ids.push_back(r.Int(0));
        ASSIGN_OR_RETURN(auto rows, LoadListingRows(*c, row_ids));  // in id order
        std::vector<Listing> out;
        for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
          ASSIGN_OR_RETURN(Listing listing, Present(*c, viewer, *it, /*with_history=*/false));
          out.push_back(std::move(listing));
        }
        return out;
      });
}

Result<ListingRow> ExchangeService::VisibleListing(db::Connection& c, const Viewer& viewer,
                                                   const std::string& id) {
  auto row = LoadListingByPublicId(c, id);
  if (!row.ok()) return row.status();
  bool visible = viewer.CanSee(*row);
  if (!visible) return Status::NotFound("listing");
  return row;
}

Result<Listing> ExchangeService::Present(db::Connection& c, const Viewer& viewer, const ListingRow& row,
                                         bool with_history) {
  Listing listing = row.listing;
  listing.editable = viewer.ActsFor(row.owner_row_id);
  // A confidential listing names no one on the owner's side to outsiders: not the organisation,
  // not its author, not who moved it through its states.
  bool anonymous = row.confidential() && !listing.editable;
  if (anonymous) {
    listing.owner_id.clear();
    listing.owner_names = {};
    listing.audience.clear();
    listing.author.clear();
  }
  if (!with_history) return listing;
  ASSIGN_OR_RETURN(auto events, c.Query("SELECT COALESCE(from_state, ''), to_state, "
                                        "COALESCE(actor_id, 0), at, note FROM listing_events "
                                        "WHERE listing_id = ? ORDER BY id",
                                        {row.row_id}));
  ASSIGN_OR_RETURN(listing.history, identity::IdentityService::NameHistory(c, events));
  if (anonymous) {
    for (auto& step : listing.history) step.actor.clear();
  }
  return listing;
}

Status ExchangeService::SyncIndex() {
  auto applied = indexer_.CatchUp();
  return applied.ok() ? Status::Ok() : applied.status();
}

Result<std::optional<ExchangeService::ListingOutline>> ExchangeService::ListingOutlineAt(
    db::Connection& c, const std::string& id) {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT public_id, title, owner_id, people FROM listings "
                                      "WHERE public_id = ? AND state <> 'draft'",
                                      {id}));
  if (rows.empty()) return std::optional<ListingOutline>();
  db::RowReader read(rows[0]);
  ListingOutline outline;
  outline.id = read.Text();
  outline.title = read.Text();
  int64_t owner_row = read.Int();
  outline.people = SplitJoined(read.Text());
  RETURN_IF_ERROR(read.Done());
  ASSIGN_OR_RETURN(auto owners, registry::Directory::OrganizationsByRow(c, {owner_row}));
  if (owners.count(owner_row)) outline.owner = owners.at(owner_row).public_id;
  return std::optional<ListingOutline>(std::move(outline));
}

}  // namespace parkhub::exchange
