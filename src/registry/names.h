// A registered thing's name in the three languages the park works in. Organisations keep all
// three; people and resources keep one Chinese name (in whichever script their owner wrote it)
// and an English one. Every API answer that mentions a named thing carries its Names, and the
// reader's client picks the one in the reader's language (web/src/i18n.ts displayName).
#pragma once

#include <map>
#include <string>

namespace parkhub::registry {

struct Names {
  std::string zh_hans;
  std::string zh_hant;
  std::string en;

  // A name kept as one Chinese name and an English one: the Chinese name under either script.
  static Names ChineseAndEnglish(const std::string& zh, const std::string& english) {
    return Names{zh, zh, english};
  }
  // The one name for places where one fits and no reader's language is known (a file name, a
  // log line): English when there is one, else Simplified, else Traditional Chinese.
  const std::string& EnglishFirst() const {
    if (!en.empty()) return en;
    return zh_hans.empty() ? zh_hant : zh_hans;
  }
  bool empty() const { return zh_hans.empty() && zh_hant.empty() && en.empty(); }
};

// Puts `names` into a notification's (or any string map's) parameters as `key` (EnglishFirst, for
// readers that know no language) and `key`_zh_hans, `key`_zh_hant and `key`_en.
inline void PutNames(std::map<std::string, std::string>& params, const std::string& key,
                     const Names& names) {
  params[key] = names.EnglishFirst();
  params[key + "_zh_hans"] = names.zh_hans;
  params[key + "_zh_hant"] = names.zh_hant;
  params[key + "_en"] = names.en;
}

}  // namespace parkhub::registry
