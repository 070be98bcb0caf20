#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/config.h"
#include "core/csv.h"
#include "core/json_writer.h"
#include "core/random.h"

namespace parkhub {
namespace {

TEST(ConfigTest, LayersApplyInOrderFileThenEnvironmentThenFlags) {
  std::string path = ::testing::TempDir() + "/parkhub.toml";
  FILE* f = std::fopen(path.c_str(), "w");
  std::fputs("data_dir = \"/from/file\"\n[http]\nport = 9000\nworkers = 3\n", f);
  std::fclose(f);
  Config config;
  ASSERT_TRUE(ApplyTomlFile(config, path).ok());
  EXPECT_EQ(config.http_port, 9000);
  EXPECT_EQ(config.data_dir, "/from/file");
  auto env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "PARKHUB_HTTP_PORT") return "9100";
    return std::nullopt;
  };
  ASSERT_TRUE(ApplyEnvironment(config, env).ok());
  EXPECT_EQ(config.http_port, 9100);
  EXPECT_EQ(config.http_workers, 3);
  ASSERT_TRUE(ApplySetting(config, "http.port", "9200").ok());
  EXPECT_EQ(config.http_port, 9200);
}

TEST(ConfigTest, UnknownKeysAndBadValuesAreErrors) {
  Config config;
  EXPECT_FALSE(ApplySetting(config, "http.prot", "1").ok());
  EXPECT_FALSE(ApplySetting(config, "http.port", "eighty").ok());
  EXPECT_FALSE(ApplySetting(config, "secure_cookies", "maybe").ok());
  EXPECT_FALSE(ApplySetting(config, "password_cost", "cheap").ok());
  auto env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "PARKHUB_HTTP_PORT") return "-3";
    return std::nullopt;
  };
  Status status = ApplyEnvironment(config, env);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("http_port"), std::string::npos);
}

// What the writer writes parses back to what it was given: nesting, commas, escapes of quotes,
// backslashes and control characters, UTF-8 kept and invalid bytes replaced, numbers.
TEST(JsonWriterTest, WritesWhatParsesBackToTheSameValues) {
  JsonWriter w;
  w.BeginObject()
      .Key("text").String("a \"quoted\" \\ line\nnext\ttab\x01 电池 電池 \xF0\x9F\x94\x8B")
      .Key("bad").String("ok\xC3(\xED\xA0\x80!")
      .Key("numbers").BeginArray().Int(-42).Double(1.15).Double(3.0).Double(std::numeric_limits<double>::infinity()).EndArray()
      .Key("empty").BeginObject().EndObject()
      .Key("list").Strings({"x", "y"})
      .Key("flags").BeginArray().Bool(true).Bool(false).Null().EndArray()
      .Key("raw").Raw(R"({"n":1})")
      .EndObject();
  auto parsed = nlohmann::json::parse(w.Take());
  EXPECT_EQ(parsed["text"], "a \"quoted\" \\ line\nnext\ttab\x01 电池 電池 \xF0\x9F\x94\x8B");
  EXPECT_EQ(parsed["bad"], "ok\xEF\xBF\xBD(\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD!") << "each invalid byte replaced";
  EXPECT_EQ(parsed["numbers"], nlohmann::json::parse("[-42, 1.15, 3.0, null]"));
  EXPECT_TRUE(parsed["numbers"][2].is_number_float());
  EXPECT_EQ(parsed["empty"], nlohmann::json::object());
  EXPECT_EQ(parsed["list"], nlohmann::json::parse(R"(["x","y"])"));
  EXPECT_EQ(parsed["flags"], nlohmann::json::parse("[true,false,null]"));
  EXPECT_EQ(parsed["raw"]["n"], 1);
  EXPECT_EQ(w.Take(), "") << "taken";
}

TEST(CsvTest, ParsesQuotesNewlinesAndKeepsLineNumbers) {
  auto records = ParseCsv("a,b\n\"x, y\",\"multi\nline\"\n3,\"say \"\"hi\"\"\"\n");
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[1].fields[0], "x, y");
  EXPECT_EQ((*records)[1].fields[1], "multi\nline");
  EXPECT_EQ((*records)[2].line, 4);
  EXPECT_EQ((*records)[2].fields[1], "say \"hi\"");
}

TEST(CsvTest, RejectsUnterminatedQuote) {
  EXPECT_FALSE(ParseCsv("a,b\n\"open,1\n").ok());
  EXPECT_FALSE(ParseCsv("a\"b,c\n").ok());
}

TEST(CsvTest, WriterRoundTrips) {
  std::vector<std::string> fields = {"plain", "with,comma", "with \"quote\"", "多行\n文本"};
  auto parsed = ParseCsv(CsvLine(fields));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)[0].fields, fields);
}

// A cell a spreadsheet would run as a formula is written as text, and imported back as it was.
TEST(CsvTest, FormulasAreWrittenAsTextAndReadBackAsTheyWere) {
  std::vector<std::string> fields = {"=HYPERLINK(\"http://evil.example\",\"x\")", "@SUM(A1)",
                                     "+1", "-2", "=cmd|' /C calc'!A0", "\tTAB", "\rCR",
                                     "a=b", "'quoted"};
  std::string line = CsvLine(fields);
  EXPECT_EQ(line.rfind("\"'=HYPERLINK(", 0), 0u);
  auto parsed = ParseCsv(line);
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ((*parsed)[0].fields.size(), fields.size());
  for (size_t i = 0; i < 7; ++i) {
    EXPECT_EQ((*parsed)[0].fields[i], fields[i]);
  }
  for (const char* cell : {"\"'@SUM(A1)\"", "\"'+1\"", "\"'-2\"", "\"'=cmd|' /C calc'!A0\"",
                           "\"'\tTAB\"", "\"'\rCR\"", ",a=b,", ",'quoted\r\n"}) {
    EXPECT_NE(line.find(cell), std::string::npos) << cell;
  }
  EXPECT_EQ((*parsed)[0].fields[7], "a=b");
  EXPECT_EQ((*parsed)[0].fields[8], "'quoted");
}

// Found by the CSV fuzz target: a record whose first cell starts with a byte-order mark lost
// it on the way back, taken for the file's own.
TEST(CsvTest, ACellStartingWithAByteOrderMarkKeepsIt) {
  std::vector<std::string> fields = {"\xEF\xBB\xBFname", "x"};
  auto parsed = ParseCsv(CsvLine(fields));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)[0].fields, fields);
}

TEST(Utf8Test, RejectsMalformedSequences) {
  EXPECT_TRUE(IsValidUtf8("香港 MIT 😀"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("abc\xFF"));
}

TEST(ClockTest, FormatsAndParsesUtc) {
  auto t = ParseUtc("2026-11-21T08:42:00Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatUtc(*t), "2026-11-21T08:42:00Z");
  EXPECT_FALSE(ParseUtc("2026-13-01T00:00:00Z").has_value());
  EXPECT_TRUE(IsValidDate("2024-02-29"));
  EXPECT_FALSE(IsValidDate("2023-02-29"));
  EXPECT_FALSE(IsValidDate("2023-2-1"));
}

TEST(RandomTest, PublicIdsAreOpaqueAndUnique) {
  InitCrypto();
  std::string a = NewPublicId("org");
  std::string b = NewPublicId("org");
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("org_", 0), 0u);
  EXPECT_EQ(a.size(), 4u + 16u);
  EXPECT_NE(HashSecret("x"), HashSecret("y"));
}

}  // namespace
}  // namespace parkhub
