// Random tokens and opaque public ids, drawn from libsodium's CSPRNG.
//
// Public ids look like "org_5k2m9x..." : a kind prefix and 16 lowercase base32 characters
// (80 bits), so row numbers are never exposed. Thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace parkhub {

// Initialises libsodium; call once at start (idempotent, thread-safe).
void InitCrypto();
std::string NewPublicId(std::string_view prefix);
// The same with the creation time (milliseconds, 10 characters that sort in time order) before
// 80 random bits: rows created one after another land side by side in the id's unique index
// instead of on random pages, which keeps each commit of a busy table small.
std::string NewTimeOrderedPublicId(std::string_view prefix,
                                   std::chrono::system_clock::time_point now);
// `bytes` random bytes, base32-encoded lowercase (no padding).
std::string RandomToken(size_t bytes);
// Hex of a 32-byte BLAKE2b hash: how secrets (session and API tokens) are stored.
std::string HashSecret(std::string_view secret);
// Constant-time string comparison.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace parkhub
