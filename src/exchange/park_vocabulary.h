// ParkVocabulary: the park's own Chinese–English terms, which query translation prefers to the
// general dictionary (CC-CEDICT knows "partial oxidation" but not 合成气 → "syngas").
//
// Where the terms come from:
//   - the glossary its platform administrators keep: a CSV of `chinese,english` rows uploaded
//     through the API (with a dry run), listed a page at a time, removed one by one;
//   - the bilingual names of other modules, through the NameSources the composition root gives:
//     every organisation and park (香港科技大学 ↔ The Hong Kong University of Science and
//     Technology) and every shared resource (扫描电子显微镜 ↔ Scanning electron microscope);
//   - the terms published, public listings write in both languages: a keyword or title that is
//     one Chinese term and its English (BilingualTerm), kept in `listing_term_pairs` as each
//     listing is written. The glossary comes first, then the names, then the listings'.
// How it is weighed against the dictionary: as the first of QueryTranslator's lexicons. A word
// the vocabulary knows is cut whole from a Chinese query even where the dictionary would cut it
// in pieces, and its renderings come before the dictionary's among the few a word keeps; both
// share the word's one weight, so the vocabulary adds a meaning, never a second vote.
//
// Refresh() rebuilds it from the database (at start, after every glossary change in this
// process, and periodically for changes made through other instances or the registry); a search
// takes the current one with Current(), which stays valid while it is used. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/mutex.h"
#include "core/status.h"
#include "db/database.h"
#include "db/paging.h"
#include "identity/principal.h"
#include "matching/bilingual_lexicon.h"
#include "registry/names.h"
#include "text/text_folder.h"

namespace parkhub::exchange {

struct GlossaryTerm {
  std::string id;
  std::string chinese;
  std::string english;
  std::string created_at;
};

struct GlossaryUpload {
  int rows = 0;   // term rows read (the header not counted)
  int added = 0;  // new terms written (0 on a dry run)
  int known = 0;  // rows the glossary already had
  bool dry_run = true;
};

struct GlossaryQuery {
  std::string q;  // part of either term, any script; empty for all
  int limit = 50;
  int offset = 0;
};

// A Chinese term and its English written as one: "合成气 (syngas)", "合成气（Syngas）",
// "合成气 / syngas", either language first, each side in one script and at most 100
// characters. nullopt for anything else ("CO2 / 二氧化碳" has Latin letters on both sides).
std::optional<matching::BilingualLexicon::TermPair> BilingualTerm(std::string_view text);

// Where a module's bilingual names come from (the registry's organisations, facilities'
// resources): registered by the composition root.
using NameSource = std::function<Result<std::vector<registry::Names>>(db::Connection&)>;

class ParkVocabulary {
 public:
  ParkVocabulary(db::Database& database, const Clock& clock, const text::TextFolder& folder,
                 std::vector<NameSource> name_sources = {})
      : database_(database),
        clock_(clock),
        folder_(folder),
        name_sources_(std::move(name_sources)) {}

  // The vocabulary as last refreshed; empty (no words) before the first Refresh.
  std::shared_ptr<const matching::BilingualLexicon> Current() const;
  Status Refresh();

  // Platform administrators only. The CSV has a header naming the columns `chinese` and
  // `english` (in either order; others are refused); every row needs a Chinese term (with Han
  // characters) and an English one (with Latin letters), each at most 100 characters. A bad row
  // refuses the whole file with one field error per problem (`rows[<line>].<column>`), and
  // nothing is written. Rows the glossary already has are counted, not repeated.
  Result<GlossaryUpload> Upload(const identity::Principal& p, std::string_view csv, bool dry_run);
  // Any signed-in user: the terms in Chinese order, a page at a time.
  Result<db::Page<GlossaryTerm>> List(const identity::Principal& p, const GlossaryQuery& query);
  // Platform administrators only; 404 for an unknown id.
  Status Remove(const identity::Principal& p, const std::string& id);

 private:
  db::Database& database_;
  const Clock& clock_;
  const text::TextFolder& folder_;
  const std::vector<NameSource> name_sources_;
  mutable Mutex mutex_;
  std::shared_ptr<const matching::BilingualLexicon> current_ GUARDED_BY(mutex_);
};

}  // namespace parkhub::exchange
