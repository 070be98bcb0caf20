#include "core/csv.h"

namespace parkhub {
namespace {

bool StartsLikeAFormula(std::string_view field) {
  return !field.empty() && std::string_view("=+-@\t\r").find(field.front()) != std::string_view::npos;
}

// The writer's apostrophe comes off again, so an export imports as it was.
void Unneutralise(std::string& field) {
  if (field.size() >= 2 && field.front() == '\'' && StartsLikeAFormula(std::string_view(field).substr(1))) {
    field.erase(0, 1);
  }
}

}  // namespace

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string field;
  bool in_quotes = false;
  bool field_was_quoted = false;
  int line = 1;
  record.line = 1;
  auto end_field = [&] {
    Unneutralise(field);
    record.fields.push_back(std::move(field));
    field.clear();
    field_was_quoted = false;
  };
  auto end_record = [&] {
    end_field();
    bool blank = record.fields.size() == 1 && record.fields[0].empty();
    if (!blank) records.push_back(std::move(record));
    record = CsvRecord{};
    record.line = line;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty() || field_was_quoted) {
        return Status::Invalid("line " + std::to_string(line), "stray quote inside a field",
                               "bad_csv");
      }
      in_quotes = true;
      field_was_quoted = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r') {
      continue;
    } else if (c == '\n') {
      ++line;
      end_record();
    } else {
      if (field_was_quoted) {
        return Status::Invalid("line " + std::to_string(line), "text after a closing quote",
                               "bad_csv");
      }
      field.push_back(c);
    }
  }
  if (in_quotes)
    return Status::Invalid("line " + std::to_string(record.line), "unterminated quote", "bad_csv");
  if (!field.empty() || !record.fields.empty() || field_was_quoted) end_record();
  return records;
}

std::string CsvEscape(std::string_view field) {
  bool formula = StartsLikeAFormula(field);
  // A leading byte-order mark would be taken for the file's own at the start of the text.
  bool needs_quotes = formula || field.find_first_of(",\"\r\n") != std::string_view::npos ||
                      field.substr(0, 3) == "\xEF\xBB\xBF";
  if (!needs_quotes) return std::string(field);
  std::string out = formula ? "\"'" : "\"";
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line.push_back(',');
    line += CsvEscape(fields[i]);
  }
  line += "\r\n";
  return line;
}

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  while (i < text.size()) {
    unsigned char c = s[i];
    int extra = 0;
    uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      code = (code << 6) | (s[i + k] & 0x3F);
    }
    static const uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (code < kMin[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace parkhub
