#include "matching/bilingual_lexicon.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <fstream>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "core/strings.h"
#include "core/utf8.h"

namespace parkhub::matching {
namespace {

constexpr size_t kMaxRenderingWords = 4;

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Removes "(...)" notes and "[...]" pinyin; "個|个" forms keep their Simplified half.
std::string WithoutNotes(std::string_view sense) {
  std::string out;
  int depth = 0;
  for (char ch : sense) {
    if (ch == '(' || ch == '[') {
      ++depth;
    } else if ((ch == ')' || ch == ']') && depth > 0) {
      --depth;
    } else if (depth == 0) {
      out += ch;
    }
  }
  return out;
}

bool HasNonAscii(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char ch) { return static_cast<unsigned char>(ch) >= 0x80; });
}

size_t WordCount(std::string_view text) {
  size_t words = 0;
  bool in_word = false;
  for (char ch : text) {
    bool space = std::isspace(static_cast<unsigned char>(ch));
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}


}  // namespace

std::vector<std::string> CleanSense(std::string_view sense) {
  sense = Trim(sense);
  static constexpr std::string_view kNotRenderings[] = {"surname ",
                                                        "variant of ",
                                                        "old variant of ",
                                                        "archaic variant of ",
                                                        "erhua variant of ",
                                                        "Japanese variant of ",
                                                        "see ",
                                                        "see also ",
                                                        "used in ",
                                                        "CL:",
                                                        "classifier for ",
                                                        "abbr. for ",
                                                        "abbr. of ",
                                                        "Taiwan pr. ",
                                                        "also pr. ",
                                                        "pr. ",
                                                        "also written ",
                                                        "(classifier",
                                                        "(Internet slang)",
                                                        "(slang)"};
  for (std::string_view prefix : kNotRenderings) {
    if (StartsWith(sense, prefix)) return {};
  }
  std::vector<std::string> out;
  std::string plain = WithoutNotes(sense);
  std::string_view rest = plain;
  while (!rest.empty()) {
    size_t end = rest.find(';');
    std::string_view part = Trim(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    for (std::string_view article : {"to ", "a ", "an ", "the "}) {
      if (StartsWith(part, article)) part = Trim(part.substr(article.size()));
    }
    while (!part.empty() && (part.back() == '.' || part.back() == ',')) part.remove_suffix(1);
    if (part.empty() || HasNonAscii(part) || WordCount(part) > kMaxRenderingWords) continue;
    std::string rendering(part);
    if (std::find(out.begin(), out.end(), rendering) == out.end())
      out.push_back(std::move(rendering));
  }
  return out;
}

struct BilingualLexicon::Impl {
  std::deque<std::string> arena;                  // every distinct string, at a stable address
  std::unordered_set<std::string_view> interned;  // views into the arena
  std::unordered_map<std::string_view, std::vector<std::string_view>> to_english;
  std::unordered_map<std::string_view, std::vector<std::string_view>> to_chinese;
  size_t longest_word_chars = 1;
  size_t longest_phrase_words = 1;
  size_t arena_bytes = 0;

  std::string_view Intern(std::string_view text) {
    auto found = interned.find(text);
    if (found != interned.end()) return *found;
    arena.emplace_back(text);
    arena_bytes += arena.back().capacity() + sizeof(std::string);
    return *interned.insert(arena.back()).first;
  }

  static void AddOnce(std::vector<std::string_view>& list, std::string_view value) {
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
  }
};

namespace {

struct Entry {
  std::string simplified;
  bool proper = false;  // pinyin capitalised: a name
  std::vector<std::string> senses;
};

// "Traditional Simplified [pin1 yin1] /sense/sense/"; nothing for a comment or a bad line.
std::optional<Entry> ParseLine(std::string_view line) {
  if (line.empty() || line.front() == '#') return std::nullopt;
  size_t first_space = line.find(' ');
  if (first_space == std::string_view::npos) return std::nullopt;
  size_t second_space = line.find(' ', first_space + 1);
  size_t open = line.find('[', second_space);
  size_t close = line.find(']', open);
  size_t slash = line.find('/', close);
  if (second_space == std::string_view::npos || open == std::string_view::npos ||
      close == std::string_view::npos || slash == std::string_view::npos) {
    return std::nullopt;
  }
  Entry entry;
  entry.simplified = std::string(line.substr(first_space + 1, second_space - first_space - 1));
  entry.proper = open + 1 < close && std::isupper(static_cast<unsigned char>(line[open + 1]));
  std::string_view senses = line.substr(slash + 1);
  while (!senses.empty()) {
    size_t end = senses.find('/');
    if (end == std::string_view::npos) break;
    if (end > 0) entry.senses.emplace_back(senses.substr(0, end));
    senses.remove_prefix(end + 1);
  }
  return entry;
}

}  // namespace

std::unique_ptr<BilingualLexicon> BilingualLexicon::Build(const std::vector<WordSenses>& words,
                                                          const text::TextFolder& folder,
                                                          const EnglishKey& english_key) {
  auto impl = std::make_unique<Impl>();
  // English key → (Chinese word, where the rendering stands among the word's renderings).
  std::unordered_map<std::string_view, std::vector<std::pair<std::string_view, size_t>>> ranked;
  for (const auto& word : words) {
    if (word.renderings.empty()) continue;
    std::string_view chinese = impl->Intern(folder.Fold(word.chinese));
    size_t chars = 0;
    ForEachCodePoint(chinese, [&](UChar32, size_t, size_t) { ++chars; });
    impl->longest_word_chars = std::max(impl->longest_word_chars, chars);
    auto& english = impl->to_english[chinese];
    for (const auto& rendering : word.renderings) {
      std::string_view interned = impl->Intern(rendering);
      Impl::AddOnce(english, interned);
      size_t position = std::find(english.begin(), english.end(), interned) - english.begin();
      std::string key = english_key(rendering);
      if (key.empty()) continue;
      impl->longest_phrase_words = std::max(impl->longest_phrase_words, WordCount(key));
      ranked[impl->Intern(key)].emplace_back(chinese, position);
    }
  }
  // An English phrase's Chinese words, those it renders first (their main sense) before those
  // it renders among others, then those with fewer senses.
  for (auto& [key, ranked_words] : ranked) {
    std::stable_sort(ranked_words.begin(), ranked_words.end(), [&](const auto& a, const auto& b) {
      if (a.second != b.second) return a.second < b.second;
      return impl->to_english[a.first].size() < impl->to_english[b.first].size();
    });
    auto& chinese = impl->to_chinese[key];
    for (const auto& [word, position] : ranked_words) Impl::AddOnce(chinese, word);
  }
  return std::unique_ptr<BilingualLexicon>(new BilingualLexicon(std::move(impl)));
}

std::unique_ptr<BilingualLexicon> BilingualLexicon::FromText(std::string_view dictionary,
                                                             const text::TextFolder& folder,
                                                             EnglishKey english_key) {
  std::vector<WordSenses> common, names;  // proper nouns' renderings come after common words'
  size_t start = 0;
  while (start < dictionary.size()) {
    size_t end = dictionary.find('\n', start);
    if (end == std::string_view::npos) end = dictionary.size();
    std::string_view line = dictionary.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    start = end + 1;
    auto entry = ParseLine(line);
    if (!entry) continue;
    WordSenses word{std::move(entry->simplified), {}};
    for (const auto& sense : entry->senses) {
      for (auto& rendering : CleanSense(sense)) word.renderings.push_back(std::move(rendering));
    }
    (entry->proper ? names : common).push_back(std::move(word));
  }
  common.insert(common.end(), std::make_move_iterator(names.begin()),
                std::make_move_iterator(names.end()));
  return Build(common, folder, english_key);
}

std::unique_ptr<BilingualLexicon> BilingualLexicon::FromPairs(const std::vector<TermPair>& pairs,
                                                              const text::TextFolder& folder,
                                                              EnglishKey english_key) {
  std::vector<WordSenses> words;
  std::unordered_map<std::string, size_t> at;  // Chinese as given → its place in `words`
  for (const auto& pair : pairs) {
    std::string_view trimmed = Trim(pair.english);
    for (std::string_view article : {"the ", "The ", "a ", "A ", "an ", "An "}) {
      if (StartsWith(trimmed, article)) trimmed = Trim(trimmed.substr(article.size()));
    }
    std::string english(trimmed), chinese(Trim(pair.chinese));  // "The University" as "University"
    if (english.empty() || chinese.empty()) continue;
    auto [found, added] = at.emplace(chinese, words.size());
    if (added) words.push_back({chinese, {}});
    words[found->second].renderings.push_back(std::move(english));
  }
  return Build(words, folder, english_key);
}

Result<std::unique_ptr<BilingualLexicon>> BilingualLexicon::Load(const std::string& path,
                                                                 const text::TextFolder& folder,
                                                                 EnglishKey english_key) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status(ErrorCode::kUnavailable, "lexicon", "cannot read the dictionary at " + path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto lexicon = FromText(text.str(), folder, std::move(english_key));
  if (lexicon->words() == 0) {
    return Status(ErrorCode::kUnavailable, "lexicon", "no dictionary entries in " + path);
  }
  return lexicon;
}

BilingualLexicon::BilingualLexicon(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BilingualLexicon::~BilingualLexicon() = default;

const std::vector<std::string_view>& BilingualLexicon::ToEnglish(
    std::string_view folded_chinese) const {
  static const std::vector<std::string_view> kNone;
  auto found = impl_->to_english.find(folded_chinese);
  return found == impl_->to_english.end() ? kNone : found->second;
}

const std::vector<std::string_view>& BilingualLexicon::ToChinese(
    std::string_view english_key) const {
  static const std::vector<std::string_view> kNone;
  auto found = impl_->to_chinese.find(english_key);
  return found == impl_->to_chinese.end() ? kNone : found->second;
}

size_t BilingualLexicon::longest_word_chars() const { return impl_->longest_word_chars; }
size_t BilingualLexicon::longest_phrase_words() const { return impl_->longest_phrase_words; }

std::vector<std::string_view> LongestWords(const std::vector<const BilingualLexicon*>& lexicons,
                                           std::string_view folded_han) {
  std::vector<size_t> starts;  // each character's first byte, and the end
  ForEachCodePoint(folded_han, [&](UChar32, size_t begin, size_t) { starts.push_back(begin); });
  starts.push_back(folded_han.size());
  size_t longest = 1;
  for (const auto* lexicon : lexicons) longest = std::max(longest, lexicon->longest_word_chars());
  auto known = [&](std::string_view word) {
    return std::any_of(lexicons.begin(), lexicons.end(),
                       [&](const auto* lexicon) { return !lexicon->ToEnglish(word).empty(); });
  };
  std::vector<std::string_view> words;
  size_t chars = starts.size() - 1;
  for (size_t i = 0; i < chars;) {
    size_t taken = 1;
    for (size_t length = std::min(longest, chars - i); length > 1; --length) {
      if (known(folded_han.substr(starts[i], starts[i + length] - starts[i]))) {
        taken = length;
        break;
      }
    }
    words.push_back(folded_han.substr(starts[i], starts[i + taken] - starts[i]));
    i += taken;
  }
  return words;
}

size_t BilingualLexicon::words() const { return impl_->to_english.size(); }

size_t BilingualLexicon::memory_bytes() const {
  size_t bytes = impl_->arena_bytes;
  auto map_bytes = [](const auto& map) {
    size_t total = map.bucket_count() * sizeof(void*);
    for (const auto& [key, values] : map) {
      total += sizeof(key) + sizeof(values) + 2 * sizeof(void*) +
               values.capacity() * sizeof(std::string_view);
    }
    return total;
  };
  bytes += impl_->interned.bucket_count() * sizeof(void*) +
           impl_->interned.size() * (sizeof(std::string_view) + 2 * sizeof(void*));
  return bytes + map_bytes(impl_->to_english) + map_bytes(impl_->to_chinese);
}

}  // namespace parkhub::matching
