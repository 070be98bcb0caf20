#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace parkhub::http {
namespace fs = std::filesystem;
namespace {

std::string ContentType(const std::string& extension) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".json", "application/json"},
      {".svg", "image/svg+xml"},             {".png", "image/png"},
      {".ico", "image/x-icon"},              {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"}};
  auto it = kTypes.find(extension);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

StaticFiles::StaticFiles(std::string root) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(fs::path(root), ec);
  root_ = ec ? root : canonical.string();
}

std::optional<HttpResponse> StaticFiles::Serve(const HttpRequest& request) const {
  if (root_.empty() || (request.method != "GET" && request.method != "HEAD")) return std::nullopt;
  const std::string& path = request.path;
  if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos ||
      path.find("..") != std::string::npos || path.find('\\') != std::string::npos) {
    return std::nullopt;
  }
  fs::path candidate = fs::path(root_) / path.substr(1);
  std::error_code ec;
  if (path == "/" || fs::is_directory(candidate, ec)) candidate /= "index.html";
  fs::path resolved = fs::weakly_canonical(candidate, ec);
  bool inside = !ec && resolved.string().rfind(root_ + "/", 0) == 0;
  if (!inside || !fs::is_regular_file(resolved, ec)) {
    // The app's own routes (no extension) load the app; a missing asset is a 404.
    if (fs::path(path).has_extension()) return std::nullopt;
    resolved = fs::path(root_) / "index.html";
  }
  auto content = ReadFile(resolved);
  if (!content) return std::nullopt;
  HttpResponse response =
      HttpResponse::Text(200, std::move(*content), ContentType(resolved.extension().string()));
  bool hashed_asset = path.rfind("/assets/", 0) == 0;
  response.SetHeader("Cache-Control", hashed_asset ? "public, max-age=31536000, immutable"
                                                   : "no-cache");
  response.SetHeader("X-Content-Type-Options", "nosniff");
  return response;
}

}  // namespace parkhub::http
