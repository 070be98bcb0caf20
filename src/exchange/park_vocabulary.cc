#include "exchange/park_vocabulary.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/csv.h"
#include "core/random.h"
#include "core/strings.h"
#include "core/text_rules.h"
#include "core/utf8.h"
#include "matching/query_translator.h"

namespace parkhub::exchange {
namespace {

constexpr size_t kMaxTermCharacters = 100;
constexpr int kMaxPageSize = 200;
constexpr int kMaxRows = 20000;

// Whether any character of `text` is Han, any a Latin letter.
struct Scripts {
  bool han = false;
  bool latin = false;
};

Scripts ScriptsOf(std::string_view text) {
  Scripts out;
  ForEachCodePoint(text, [&](UChar32 c, size_t, size_t) {
    UErrorCode status = U_ZERO_ERROR;
    UScriptCode script = c < 0 ? USCRIPT_INVALID_CODE : uscript_getScript(c, &status);
    if (script == USCRIPT_HAN) out.han = true;
    if (script == USCRIPT_LATIN && u_isalpha(c)) out.latin = true;
  });
  return out;
}

// One term of a row, checked: field errors name the row's line and the column.
void CheckTerm(const std::string& field, const std::string& term, bool chinese,
               FieldErrors& errors) {
  if (term.empty()) return errors.Add(field, "required", "required");
  if (!CheckText(field, term, kMaxTermCharacters, errors)) return;
  Scripts scripts = ScriptsOf(term);
  if (chinese && !scripts.han) {
    errors.Add(field, "a Chinese term has Chinese characters", "bad_format",
               {{"format", "chinese"}});
  } else if (!chinese && (scripts.han || !scripts.latin)) {
    errors.Add(field, "an English term has Latin letters and no Chinese characters", "bad_format",
               {{"format", "english"}});
  }
}

struct Row {
  std::string chinese;
  std::string english;
};

// The CSV's term rows, or field errors for every problem in it.
Result<std::vector<Row>> ParseGlossary(std::string_view csv) {
  auto records = ParseCsv(csv);
  if (!records.ok())
    return Status::Invalid("body", records.status().message(), "bad_format", {{"format", "csv"}});
  if (records->empty()) return Status::Invalid("body", "the file is empty", "required");
  std::map<std::string, size_t> columns;
  FieldErrors errors;
  const auto& header = records->front().fields;
  for (size_t i = 0; i < header.size(); ++i) {
    std::string name(Trim(header[i]));
    if (name == "chinese" || name == "english") {
      columns[name] = i;
    } else {
      errors.Add("header", "unknown column " + name + "; the columns are chinese and english",
                 "unknown_field", {{"allowed", std::vector<std::string>{"chinese", "english"}}});
    }
  }
  if (columns.size() != 2) {
    errors.Add("header", "the header names the columns chinese and english", "required");
  }
  if (records->size() - 1 > static_cast<size_t>(kMaxRows)) {
    errors.Add("body", "at most 20000 rows at a time", "too_long", {{"max", kMaxRows}});
  }
  RETURN_IF_ERROR(errors.ToStatus());
  std::vector<Row> rows;
  for (size_t r = 1; r < records->size(); ++r) {
    const auto& record = (*records)[r];
    bool blank = std::all_of(record.fields.begin(), record.fields.end(),
                             [](const std::string& f) { return Trim(f).empty(); });
    if (blank) continue;
    auto field = [&](const std::string& column) {
      size_t at = columns[column];
      return at < record.fields.size() ? std::string(Trim(record.fields[at])) : std::string();
    };
    Row row{field("chinese"), field("english")};
    std::string prefix = "rows[" + std::to_string(record.line) + "].";
    CheckTerm(prefix + "chinese", row.chinese, true, errors);
    CheckTerm(prefix + "english", row.english, false, errors);
    rows.push_back(std::move(row));
  }
  RETURN_IF_ERROR(errors.ToStatus());
  return rows;
}

Status RequirePlatformAdmin(const identity::Principal& p) {
  if (!p.authenticated()) return Status::Unauthenticated();
  if (!p.IsPlatformAdmin())
    return Status::PermissionDenied("only a platform administrator keeps the glossary");
  return Status::Ok();
}

// `text` split in two at its one separator: a slash, or a closing parenthesis that ends it
// (its opening one the last of either width before it).
std::optional<std::pair<std::string_view, std::string_view>> TwoParts(std::string_view text) {
  for (std::string_view close : {")", "）"}) {
    if (!text.ends_with(close)) continue;
    std::string_view inside = text.substr(0, text.size() - close.size());
    std::string_view open;
    size_t at = std::string_view::npos;
    for (std::string_view candidate : {"(", "（"}) {
      size_t found = inside.rfind(candidate);
      if (found != std::string_view::npos && (at == std::string_view::npos || found > at)) {
        at = found;
        open = candidate;
      }
    }
    if (at == std::string_view::npos) return std::nullopt;
    return std::pair{inside.substr(0, at), inside.substr(at + open.size())};
  }
  for (std::string_view slash : {"/", "／"}) {
    size_t at = text.find(slash);
    if (at == std::string_view::npos) continue;
    if (text.find(slash, at + slash.size()) != std::string_view::npos) return std::nullopt;
    return std::pair{text.substr(0, at), text.substr(at + slash.size())};
  }
  return std::nullopt;
}

}  // namespace

std::optional<matching::BilingualLexicon::TermPair> BilingualTerm(std::string_view text) {
  auto parts = TwoParts(Trim(text));
  if (!parts) return std::nullopt;
  std::string first(Trim(parts->first)), second(Trim(parts->second));
  if (first.empty() || second.empty() || CountCharacters(first) > kMaxTermCharacters ||
      CountCharacters(second) > kMaxTermCharacters) {
    return std::nullopt;
  }
  // Each side in one script: Han without Latin letters, or Latin letters without Han.
  Scripts a = ScriptsOf(first), b = ScriptsOf(second);
  bool a_chinese = a.han && !a.latin, a_english = a.latin && !a.han;
  bool b_chinese = b.han && !b.latin, b_english = b.latin && !b.han;
  if (a_chinese && b_english) return matching::BilingualLexicon::TermPair{first, second};
  if (a_english && b_chinese) return matching::BilingualLexicon::TermPair{second, first};
  return std::nullopt;
}

std::shared_ptr<const matching::BilingualLexicon> ParkVocabulary::Current() const {
  MutexLock lock(mutex_);
  return current_;
}

Status ParkVocabulary::Refresh() {
  std::vector<matching::BilingualLexicon::TermPair> pairs;
  {
    ASSIGN_OR_RETURN(auto c, database_.Acquire());
    ASSIGN_OR_RETURN(auto rows,
                     c->Query("SELECT chinese, english FROM glossary_terms ORDER BY id"));
    for (const auto& row : rows) pairs.push_back({row.Text(0), row.Text(1)});
    for (const auto& source : name_sources_) {
      ASSIGN_OR_RETURN(auto names, source(*c));
      for (const auto& name : names) {
        if (!name.zh_hans.empty()) pairs.push_back({name.zh_hans, name.en});
        if (!name.zh_hant.empty() && name.zh_hant != name.zh_hans) {
          pairs.push_back({name.zh_hant, name.en});
        }
      }
    }
    ASSIGN_OR_RETURN(auto listed,
                     c->Query("SELECT DISTINCT p.chinese, p.english FROM listing_term_pairs p "
                              "JOIN listings l ON l.id = p.listing_id WHERE l.state = 'published' "
                              "AND l.visibility = 'public' ORDER BY p.chinese, p.english"));
    for (const auto& row : listed) pairs.push_back({row.Text(0), row.Text(1)});
  }
  ASSIGN_OR_RETURN(auto analyzer, matching::Analyzer::Create(folder_));
  std::shared_ptr<const matching::BilingualLexicon> built = matching::BilingualLexicon::FromPairs(
      pairs, folder_,
      [&](std::string_view phrase) { return matching::EnglishKey(*analyzer, phrase); });
  MutexLock lock(mutex_);
  current_ = std::move(built);
  return Status::Ok();
}

Result<GlossaryUpload> ParkVocabulary::Upload(const identity::Principal& p, std::string_view csv,
                                              bool dry_run) {
  RETURN_IF_ERROR(RequirePlatformAdmin(p));
  ASSIGN_OR_RETURN(auto rows, ParseGlossary(csv));
  GlossaryUpload report;
  report.rows = static_cast<int>(rows.size());
  report.dry_run = dry_run;
  auto written = db::InTransaction<GlossaryUpload>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<GlossaryUpload> {
        std::string now = FormatUtc(clock_.Now());
        std::set<std::pair<std::string, std::string>> seen;  // a dry run's rows so far
        for (const auto& row : rows) {
          int64_t added = 0;
          if (dry_run) {
            ASSIGN_OR_RETURN(int64_t present,
                             c.QueryInt("SELECT COUNT(*) FROM glossary_terms WHERE chinese = ? "
                                        "AND english = ?",
                                        {row.chinese, row.english}));
            added = present == 0 && seen.insert({row.chinese, row.english}).second ? 1 : 0;
          } else {  // a term the glossary has, or an earlier row added, changes nothing
            ASSIGN_OR_RETURN(
                added, c.Execute("INSERT INTO glossary_terms (public_id, chinese, "
                                 "english, created_by, created_at) VALUES (?, ?, ?, "
                                 "?, ?) ON CONFLICT (chinese, english) DO NOTHING",
                                 {NewPublicId("gls"), row.chinese, row.english, p.user_id, now}));
          }
          if (added == 0) {
            ++report.known;
          } else if (!dry_run) {
            ++report.added;
          }
        }
        return report;
      });
  if (!written.ok()) return written.status();
  if (!dry_run && written->added > 0) RETURN_IF_ERROR(Refresh());
  return written;
}

Result<db::Page<GlossaryTerm>> ParkVocabulary::List(const identity::Principal& p,
                                                    const GlossaryQuery& query) {
  if (!p.authenticated()) return Status::Unauthenticated();
  FieldErrors errors;
  db::CheckPaging(query.limit, query.offset, kMaxPageSize, errors);
  CheckText("q", query.q, 200, errors);
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  db::Params params;
  std::string where = "WHERE 1 = 1";
  if (!query.q.empty()) {
    where += " AND (chinese LIKE ? ESCAPE '\\' OR LOWER(english) LIKE LOWER(?) ESCAPE '\\')";
    params.push_back("%" + EscapeLike(query.q) + "%");
    params.push_back("%" + EscapeLike(query.q) + "%");
  }
  return db::CountThenPage<GlossaryTerm>(
      *c, "FROM glossary_terms " + where, params, query.limit, query.offset,
      [&](const db::Params& paged) -> Result<std::vector<GlossaryTerm>> {
        ASSIGN_OR_RETURN(auto rows,
                         c->Query("SELECT public_id, chinese, english, created_at "
                                  "FROM glossary_terms " +
                                      where + " ORDER BY chinese, english LIMIT ? OFFSET ?",
                                  paged));
        std::vector<GlossaryTerm> out;
        for (const auto& row : rows) {
          db::RowReader read(row);
          GlossaryTerm term;
          term.id = read.Text();
          term.chinese = read.Text();
          term.english = read.Text();
          term.created_at = read.Text();
          RETURN_IF_ERROR(read.Done());
          out.push_back(std::move(term));
        }
        return out;
      });
}

Status ParkVocabulary::Remove(const identity::Principal& p, const std::string& id) {
  RETURN_IF_ERROR(RequirePlatformAdmin(p));
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(int64_t removed,
                   c->Execute("DELETE FROM glossary_terms WHERE public_id = ?", {id}));
  if (removed == 0) return Status::NotFound("glossary term");
  return Refresh();
}

}  // namespace parkhub::exchange
