#include "core/random.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace parkhub {
namespace {

std::string Base32(const unsigned char* data, size_t size) {
  static constexpr char kAlphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < size; ++i) {
    buffer = (buffer << 8) | data[i];
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

}  // namespace

void InitCrypto() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string RandomToken(size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  randombytes_buf(buffer.data(), buffer.size());
  return Base32(buffer.data(), buffer.size());
}

std::string NewPublicId(std::string_view prefix) {
  return std::string(prefix) + "_" + RandomToken(10);
}

std::string NewTimeOrderedPublicId(std::string_view prefix,
                                   std::chrono::system_clock::time_point now) {
  static constexpr char kSortedAlphabet[] = "23456789abcdefghijkmnpqrstuvwxyz";  // ASCII order
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  uint64_t value = static_cast<uint64_t>(std::max<int64_t>(0, millis.count()));
  std::string time(10, '2');
  for (int i = 9; i >= 0; --i, value >>= 5) time[i] = kSortedAlphabet[value & 31];
  return std::string(prefix) + "_" + time + RandomToken(10);
}

std::string HashSecret(std::string_view secret) {
  unsigned char hash[32];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace parkhub
