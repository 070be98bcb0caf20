#include "exchange/listing_rows.h"

#include <map>

#include "core/strings.h"

namespace parkhub::exchange {
namespace {

constexpr char kSelect[] =
    "SELECT l.id, l.owner_id, l.author_id, l.public_id, l.kind, o.public_id, "
    "CASE WHEN o.name_en != '' THEN o.name_en ELSE o.name_zh_hans END, o.region, "
    "COALESCE(u.username, ''), COALESCE(p.public_id, ''), "
    "COALESCE(CASE WHEN p.name_zh != '' THEN p.name_zh ELSE p.name_en END, ''), l.state, "
    "l.visibility, l.title, l.summary, l.keywords, l.discipline, l.tags, l.trl, l.details, "
    "COALESCE(l.expires_at, ''), COALESCE(l.published_at, ''), l.version, l.created_at, "
    "l.updated_at, l.people FROM listings l JOIN organizations o ON o.id = l.owner_id "
    "LEFT JOIN users u ON u.id = l.author_id LEFT JOIN people p ON p.id = l.person_id ";

Result<ListingRow> FromRow(const db::Row& r) {
  db::RowReader read(r);
  ListingRow row;
  row.row_id = read.Int();
  row.owner_row_id = read.Int();
  row.author_row_id = read.Int();
  Listing& l = row.listing;
  l.id = read.Text();
  l.kind = read.Text();
  l.owner_id = read.Text();
  l.owner_name = read.Text();
  l.owner_region = read.Text();
  l.author = read.Text();
  l.person_id = read.Text();
  l.person_name = read.Text();
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
  l.expires_at = read.Text();
  l.published_at = read.Text();
  l.version = read.Int();
  l.created_at = read.Text();
  l.updated_at = read.Text();
  l.people = SplitJoined(read.Text());
  RETURN_IF_ERROR(read.Done());
  return row;
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
                                          ") ORDER BY l.id",
                                      params));
  std::map<int64_t, size_t> position;
  std::vector<int64_t> row_ids;  // of named listings: only they have an audience (listings.cc)
  for (const auto& r : rows) {
    position[r.Int(0)] = out.size();
    ASSIGN_OR_RETURN(ListingRow row, FromRow(r));
    out.push_back(std::move(row));
    if (out.back().listing.visibility == "named") row_ids.push_back(r.Int(0));
  }
  if (row_ids.empty()) return out;
  db::Params audience_params;
  std::string audience_placeholders = db::InList(row_ids, audience_params);
  ASSIGN_OR_RETURN(auto audience,
                   c.Query("SELECT a.listing_id, a.organization_id, o.public_id FROM "
                           "listing_audience a JOIN organizations o ON o.id = a.organization_id "
                           "WHERE a.listing_id IN (" + audience_placeholders + ") ORDER BY o.public_id",
                           audience_params));
  for (const auto& a : audience) {
    ListingRow& row = out[position.at(a.Int(0))];
    row.audience_row_ids.push_back(a.Int(1));
    row.listing.audience.push_back(a.Text(2));
  }
  return out;
}

}  // namespace

Result<std::vector<ListingRow>> LoadListingRows(db::Connection& c, const std::vector<int64_t>& ids) {
  return LoadWhereIn(c, "l.id", ids);
}

Result<std::vector<ListingRow>> LoadListingRowsByPublicIds(db::Connection& c,
                                                           const std::vector<std::string>& ids) {
  return LoadWhereIn(c, "l.public_id", ids);
}

Result<ListingRow> LoadListingByPublicId(db::Connection& c, const std::string& public_id) {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT id FROM listings WHERE public_id = ?", {public_id},
                                        "listing"));
  ASSIGN_OR_RETURN(auto rows, LoadListingRows(c, {row.Int(0)}));
  if (rows.empty()) return Status::NotFound("listing");
  return std::move(rows.front());
}

}  // namespace parkhub::exchange
