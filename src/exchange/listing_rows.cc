#include "exchange/listing_rows.h"

#include <algorithm>
#include <map>

#include "core/strings.h"
#include "identity/identity_service.h"
#include "registry/directory.h"

namespace parkhub::exchange {
namespace {

constexpr char kSelect[] =
    "SELECT id, owner_id, author_id, COALESCE(person_id, 0), public_id, kind, state, visibility, "
    "title, summary, keywords, discipline, tags, trl, details, expires_at, "
    "published_at, version, created_at, updated_at, people FROM listings ";

Result<ListingRow> FromRow(const db::Row& r) {
  db::RowReader read(r);
  ListingRow row;
  row.row_id = read.Int();
  row.owner_row_id = read.Int();
  row.author_row_id = read.Int();
  row.person_row_id = read.Int();
  Listing& l = row.listing;
  l.id = read.Text();
  l.kind = read.Text();
  l.state = read.Text();
  l.visibility = read.Text();
  l.title = read.Text();
  l.summary = read.Text();
  l.keywords = SplitJoined(read.Text());
  l.discipline = read.Text();
  l.tags = SplitJoined(read.Text());
  l.trl = read.Int();
  l.details = json::parse(read.Text(), nullptr, false);
  if (!l.details.is_object()) l.details = json::object();
  l.expires_at = read.Text();  // NULL reads as ""
  l.published_at = read.Text();
  l.version = read.Int();
  l.created_at = read.Text();
  l.updated_at = read.Text();
  l.people = SplitJoined(read.Text());
  RETURN_IF_ERROR(read.Done());
  return row;
}

// Fills in what other modules own: the owner's and audience's organisations and the profiled
// person (registry), the author's username (identity). Three queries for the whole batch.
Status NameParties(db::Connection& c, std::vector<ListingRow>& rows) {
  std::vector<int64_t> orgs, users, people;
  for (const ListingRow& row : rows) {
    orgs.push_back(row.owner_row_id);
    orgs.insert(orgs.end(), row.audience_row_ids.begin(), row.audience_row_ids.end());
    users.push_back(row.author_row_id);
    if (row.person_row_id != 0) people.push_back(row.person_row_id);
  }
  ASSIGN_OR_RETURN(auto org_refs, registry::Directory::OrganizationsByRow(c, orgs));
  ASSIGN_OR_RETURN(auto usernames, identity::IdentityService::UsernamesOf(c, users));
  ASSIGN_OR_RETURN(auto person_refs, registry::Directory::PeopleByRow(c, people));
  for (ListingRow& row : rows) {
    Listing& l = row.listing;
    const registry::OrganizationRef& owner = org_refs[row.owner_row_id];
    l.owner_id = owner.public_id;
    l.owner_names = owner.names;
    l.owner_region = owner.region;
    l.author = usernames[row.author_row_id];
    if (row.person_row_id != 0) {
      const registry::PersonRef& person = person_refs[row.person_row_id];
      l.person_id = person.public_id;
      l.person_names = person.names;
    }
    for (int64_t org : row.audience_row_ids) l.audience.push_back(org_refs[org].public_id);
    std::sort(l.audience.begin(), l.audience.end());
  }
  return Status::Ok();
}

// The listings that `column IN (values)` selects, ordered by row id, with their audiences (the
// organisations a named listing is shown to).
template <typename T>
Result<std::vector<ListingRow>> LoadWhereIn(db::Connection& c, const std::string& column,
                                            const std::vector<T>& values) {
  std::vector<ListingRow> out;
  if (values.empty()) return out;
  db::Params params;
  std::string placeholders = db::InList(values, params);
  ASSIGN_OR_RETURN(auto rows, c.Query(std::string(kSelect) + "WHERE " + column + " IN (" + placeholders +
                                          ") ORDER BY id",
                                      params));
  std::map<int64_t, size_t> position;
  std::vector<int64_t> row_ids;  // of named listings: only they have an audience (listings.cc)
  for (const auto& r : rows) {
    position[r.Int(0)] = out.size();
    ASSIGN_OR_RETURN(ListingRow row, FromRow(r));
    out.push_back(std::move(row));
    if (out.back().listing.visibility == "named") row_ids.push_back(r.Int(0));
  }
  if (!row_ids.empty()) {
    db::Params audience_params;
    std::string audience_placeholders = db::InList(row_ids, audience_params);
    ASSIGN_OR_RETURN(auto audience,
                     c.Query("SELECT listing_id, organization_id FROM listing_audience WHERE "
                             "listing_id IN (" + audience_placeholders + ")",
                             audience_params));
    for (const auto& a : audience) out[position.at(a.Int(0))].audience_row_ids.push_back(a.Int(1));
  }
  RETURN_IF_ERROR(NameParties(c, out));
  return out;
}

}  // namespace

Result<std::vector<ListingRow>> LoadListingRows(db::Connection& c, const std::vector<int64_t>& ids) {
  return LoadWhereIn(c, "id", ids);
}

Result<std::vector<ListingRow>> LoadListingRowsByPublicIds(db::Connection& c,
                                                           const std::vector<std::string>& ids) {
  return LoadWhereIn(c, "public_id", ids);
}

Result<ListingRow> LoadListingByPublicId(db::Connection& c, const std::string& public_id) {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT id FROM listings WHERE public_id = ?", {public_id},
                                        "listing"));
  ASSIGN_OR_RETURN(auto rows, LoadListingRows(c, {row.Int(0)}));
  if (rows.empty()) return Status::NotFound("listing");
  return std::move(rows.front());
}

}  // namespace parkhub::exchange
