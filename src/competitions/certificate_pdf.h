// A prize certificate as a PDF: one A4 landscape page in Chinese and English (the edition, the
// group, the prize, the entry and its entrant), with the verification code and where to check it.
// Laid out by Pango and drawn by Cairo with the Noto CJK fonts (fonts-noto-cjk), which the PDF
// embeds, so it prints the same anywhere. Pure: no database, no clock. Thread-safe.
#pragma once

#include <string>

#include "competitions/competition_service.h"
#include "core/status.h"

namespace parkhub::competitions {

// `verify_url` is printed beneath the code: the public page that checks it.
Result<std::string> CertificatePdf(const Certificate& certificate, const std::string& verify_url);

}  // namespace parkhub::competitions
