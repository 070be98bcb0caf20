// A prize certificate's PDF: one page that says, in Chinese and in English, who won which prize
// of which edition, with the verification code — read back with pdftotext (poppler-utils), so the
// text is really in the file and not only drawn.
#include "competitions/certificate_pdf.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "support/test_app.h"

namespace parkhub::competitions {
namespace {

Certificate Sample() {
  Certificate c;
  c.code = "MJBW-73JZ-GFRC-GXU7";
  c.year = 2025;
  c.edition_names = {"2025 深圳虚拟大学园创新创业大赛", "2025 深圳虛擬大學園創新創業大賽",
                     "2025 Shenzhen Virtual University Park Innovation Competition"};
  c.group = "team";
  c.group_names = {"团队组", "團隊組", "Team group"};
  c.tier = "first";
  c.title = "可降解镁合金心血管支架";
  c.organisation_names = {"上海交通大学", "上海交通大學", "Shanghai Jiao Tong University"};
  c.issued_at = "2025-07-10T08:00:00Z";
  return c;
}

std::string TextOf(const std::string& pdf) {
  std::string dir = testing::MakeTempDir();
  std::ofstream(dir + "/c.pdf", std::ios::binary) << pdf;
  std::string command = "pdftotext -layout " + dir + "/c.pdf -";
  std::string text;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::array<char, 4096> buffer{};
  size_t read = 0;
  while ((read = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    text.append(buffer.data(), read);
  pclose(pipe);
  std::filesystem::remove_all(dir);
  return text;
}

TEST(CertificatePdfTest, OnePageInBothLanguagesWithTheCode) {
  auto pdf = CertificatePdf(Sample(), "parkhub.example/#/certificates/MJBW-73JZ-GFRC-GXU7");
  ASSERT_TRUE(pdf.ok()) << pdf.status().ToString();
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  std::string text = TextOf(*pdf);
  for (const char* expected :
       {"荣誉证书", "上海交通大学", "Shanghai Jiao Tong University", "可降解镁合金心血管支架",
        "一等奖", "First Prize", "团队组", "Team group", "MJBW-73JZ-GFRC-GXU7", "2025-07-10",
        "parkhub.example/#/certificates/MJBW-73JZ-GFRC-GXU7"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " missing from:\n" << text;
  }
  EXPECT_EQ(std::count(text.begin(), text.end(), '\f'), 1) << "one page";
}

TEST(CertificatePdfTest, ALongTitleWrapsInsteadOfLeavingThePage) {
  Certificate c = Sample();
  c.title = std::string(40, 'x') + "面向柔性电子的低温烧结纳米银浆及其在可穿戴设备中的规模化应用";
  auto pdf = CertificatePdf(c, "parkhub.example");
  ASSERT_TRUE(pdf.ok());
  std::string text = TextOf(*pdf);
  EXPECT_NE(text.find("规模化应用"), std::string::npos) << text;
  EXPECT_NE(text.find("MJBW-73JZ-GFRC-GXU7"), std::string::npos);
}

}  // namespace
}  // namespace parkhub::competitions
