#include "competitions/certificate_pdf.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include <memory>

namespace parkhub::competitions {
namespace {

// A4 landscape in PostScript points.
constexpr double kWidth = 841.89;
constexpr double kHeight = 595.28;
constexpr double kMargin = 56;

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct LayoutDeleter {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Draws `text` centred across the page with its top at `y`; returns the y below it.
double Centred(cairo_t* cairo, const std::string& text, const char* font, double y) {
  std::unique_ptr<PangoLayout, LayoutDeleter> layout(pango_cairo_create_layout(cairo));
  PangoFontDescription* description = pango_font_description_from_string(font);
  pango_layout_set_font_description(layout.get(), description);
  pango_font_description_free(description);
  pango_layout_set_width(layout.get(), static_cast<int>((kWidth - 2 * kMargin) * PANGO_SCALE));
  pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text(layout.get(), text.c_str(), static_cast<int>(text.size()));
  cairo_move_to(cairo, kMargin, y);
  pango_cairo_show_layout(cairo, layout.get());
  int width = 0, height = 0;
  pango_layout_get_size(layout.get(), &width, &height);
  return y + static_cast<double>(height) / PANGO_SCALE;
}

struct TierWords {
  const char* zh;
  const char* en;
};
TierWords WordsOf(const std::string& tier) {
  if (tier == "first") return {"一等奖", "First Prize"};
  if (tier == "second") return {"二等奖", "Second Prize"};
  if (tier == "third") return {"三等奖", "Third Prize"};
  return {"奖项", "Prize"};
}

void Border(cairo_t* cairo) {
  cairo_set_source_rgb(cairo, 0.04, 0.31, 0.54);
  cairo_set_line_width(cairo, 6);
  cairo_rectangle(cairo, 20, 20, kWidth - 40, kHeight - 40);
  cairo_stroke(cairo);
  cairo_set_line_width(cairo, 1.5);
  cairo_rectangle(cairo, 30, 30, kWidth - 60, kHeight - 60);
  cairo_stroke(cairo);
}

}  // namespace

Result<std::string> CertificatePdf(const Certificate& c, const std::string& verify_url) {
  std::string pdf;
  std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(
      cairo_pdf_surface_create_for_stream(Append, &pdf, kWidth, kHeight));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::Internal("cannot start a PDF");
  }
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE,
                                 ("Certificate " + c.code).c_str());
  {
    std::unique_ptr<cairo_t, ContextDeleter> cairo(cairo_create(surface.get()));
    Border(cairo.get());
    TierWords tier = WordsOf(c.tier);
    cairo_set_source_rgb(cairo.get(), 0.04, 0.31, 0.54);
    double y = Centred(cairo.get(), "荣誉证书", "Noto Serif CJK SC Bold 34", 60);
    y = Centred(cairo.get(), "CERTIFICATE OF AWARD", "Noto Serif CJK SC 14", y + 2);
    cairo_set_source_rgb(cairo.get(), 0.11, 0.15, 0.2);
    y = Centred(cairo.get(), c.organisation_names.zh_hans, "Noto Sans CJK SC Bold 20", y + 28);
    if (!c.organisation_names.en.empty()) {
      y = Centred(cairo.get(), c.organisation_names.en, "Noto Sans CJK SC 12", y + 2);
    }
    y = Centred(cairo.get(), "参赛项目「" + c.title + "」", "Noto Sans CJK SC 15", y + 18);
    y = Centred(cairo.get(),
                "在" + c.edition_names.zh_hans + "（" + c.group_names.zh_hans + "）中荣获",
                "Noto Sans CJK SC 13", y + 10);
    cairo_set_source_rgb(cairo.get(), 0.7, 0.13, 0.13);
    y = Centred(cairo.get(), std::string(tier.zh) + "  " + tier.en, "Noto Serif CJK SC Bold 30",
                y + 10);
    cairo_set_source_rgb(cairo.get(), 0.11, 0.15, 0.2);
    Centred(cairo.get(), "awarded in the " + c.group_names.en + " of the " + c.edition_names.en,
            "Noto Sans CJK SC 11", y + 10);
    double bottom = kHeight - 120;
    cairo_set_source_rgb(cairo.get(), 0.35, 0.42, 0.49);
    bottom = Centred(cairo.get(), "颁发日期 Issued " + c.issued_at.substr(0, 10),
                     "Noto Sans CJK SC 10", bottom);
    bottom = Centred(cairo.get(), "验证码 Verification code  " + c.code, "Noto Sans CJK SC Bold 12",
                     bottom + 6);
    Centred(cairo.get(), "查验 Verify at " + verify_url, "Noto Sans CJK SC 9", bottom + 4);
  }
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::Internal("cannot write the PDF");
  }
  surface.reset();
  return pdf;
}

}  // namespace parkhub::competitions
