#include "api/api.h"

namespace parkhub::api {
const std::vector<std::pair<std::string_view, std::string_view>>& OpenApiFiles();

const std::string& OpenApiDocument() {
  static const std::string kDocument(OpenApiFiles().front().second);
  return kDocument;
}

}  // namespace parkhub::api
