#include "governance/signed_note.h"

#include <sodium.h>

namespace parkhub::governance {
namespace {

constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 ";  // an em dash and a space
constexpr uint8_t kEd25519 = 0x01;
constexpr std::string_view kPrivatePrefix = "PRIVATE+KEY+";

bool ValidName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (c <= ' ' || c == '+' || c == 0x7f) return false;
  }
  return true;
}

uint32_t KeyId(std::string_view name, std::string_view public_key) {
  std::string hashed =
      std::string(name) + '\n' + static_cast<char>(kEd25519) + std::string(public_key);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(hashed.data()), hashed.size());
  return (uint32_t{digest[0]} << 24) | (uint32_t{digest[1]} << 16) | (uint32_t{digest[2]} << 8) |
         uint32_t{digest[3]};
}

std::string IdHex(uint32_t id) {
  char out[9];
  snprintf(out, sizeof out, "%08x", id);
  return out;
}

std::string IdBytes(uint32_t id) {
  return {static_cast<char>(id >> 24), static_cast<char>(id >> 16), static_cast<char>(id >> 8),
          static_cast<char>(id)};
}

// "name+hexid+base64(0x01 || key)" into its parts, checking the id against the key.
struct KeyText {
  std::string name;
  uint32_t id = 0;
  std::string key;  // without the algorithm byte
};
Result<KeyText> ParseKeyText(std::string_view text, size_t key_bytes, bool id_from_key) {
  auto bad = [](const std::string& why) { return Status::InvalidArgument("key: " + why); };
  size_t first = text.find('+');
  size_t second = first == std::string_view::npos ? first : text.find('+', first + 1);
  if (second == std::string_view::npos) return bad("expected name+id+key");
  KeyText parsed;
  parsed.name = std::string(text.substr(0, first));
  std::string_view hex = text.substr(first + 1, second - first - 1);
  std::optional<std::string> key = FromBase64(text.substr(second + 1));
  if (!ValidName(parsed.name)) return bad("the name is empty or has spaces or '+'");
  if (hex.size() != 8 || hex.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
    return bad("the id is not 8 hexadecimal digits");
  }
  if (!key || key->size() != key_bytes + 1 || static_cast<uint8_t>((*key)[0]) != kEd25519) {
    return bad("not an Ed25519 key");
  }
  parsed.id = static_cast<uint32_t>(std::stoul(std::string(hex), nullptr, 16));
  parsed.key = key->substr(1);
  if (id_from_key && parsed.id != KeyId(parsed.name, parsed.key)) {
    return bad("the id does not match the key");
  }
  return parsed;
}

}  // namespace

Result<NoteVerifier> NoteVerifier::Parse(std::string_view verifier_key) {
  Result<KeyText> parsed = ParseKeyText(verifier_key, crypto_sign_PUBLICKEYBYTES, true);
  if (!parsed.ok()) return parsed.status();
  NoteVerifier verifier;
  verifier.name_ = parsed->name;
  verifier.key_id_ = parsed->id;
  verifier.public_key_ = parsed->key;
  return verifier;
}

std::string NoteVerifier::Text() const {
  return name_ + "+" + IdHex(key_id_) + "+" +
         ToBase64(std::string(1, static_cast<char>(kEd25519)) + public_key_);
}

bool NoteVerifier::Verifies(std::string_view body, std::string_view signature_line) const {
  std::string expected_start = std::string(kSignaturePrefix) + name_ + " ";
  if (signature_line.substr(0, expected_start.size()) != expected_start) return false;
  std::string_view encoded = signature_line.substr(expected_start.size());
  if (!encoded.empty() && encoded.back() == '\n') encoded.remove_suffix(1);
  std::optional<std::string> decoded = FromBase64(encoded);
  if (!decoded || decoded->size() != 4 + crypto_sign_BYTES) return false;
  if (decoded->substr(0, 4) != IdBytes(key_id_)) return false;
  return crypto_sign_verify_detached(
             reinterpret_cast<const unsigned char*>(decoded->data() + 4),
             reinterpret_cast<const unsigned char*>(body.data()), body.size(),
             reinterpret_cast<const unsigned char*>(public_key_.data())) == 0;
}

Result<NoteSigner> NoteSigner::Generate(std::string_view name) {
  if (!ValidName(name)) {
    return Status::InvalidArgument("key: the name is empty or has spaces or '+'");
  }
  NoteSigner signer;
  signer.secret_key_.resize(crypto_sign_SECRETKEYBYTES);
  std::string public_key(crypto_sign_PUBLICKEYBYTES, '\0');
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                      reinterpret_cast<unsigned char*>(signer.secret_key_.data()));
  signer.verifier_.name_ = std::string(name);
  signer.verifier_.public_key_ = public_key;
  signer.verifier_.key_id_ = KeyId(name, public_key);
  return signer;
}

Result<NoteSigner> NoteSigner::Parse(std::string_view signer_key) {
  if (signer_key.substr(0, kPrivatePrefix.size()) != kPrivatePrefix) {
    return Status::InvalidArgument("key: a signer key starts with PRIVATE+KEY+");
  }
  std::string_view rest = signer_key.substr(kPrivatePrefix.size());
  while (!rest.empty() && (rest.back() == '\n' || rest.back() == '\r')) rest.remove_suffix(1);
  Result<KeyText> parsed = ParseKeyText(rest, crypto_sign_SEEDBYTES, false);
  if (!parsed.ok()) return parsed.status();
  NoteSigner signer;
  signer.secret_key_.resize(crypto_sign_SECRETKEYBYTES);
  std::string public_key(crypto_sign_PUBLICKEYBYTES, '\0');
  crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                           reinterpret_cast<unsigned char*>(signer.secret_key_.data()),
                           reinterpret_cast<const unsigned char*>(parsed->key.data()));
  if (parsed->id != KeyId(parsed->name, public_key)) {
    return Status::InvalidArgument("key: the id does not match the key");
  }
  signer.verifier_.name_ = parsed->name;
  signer.verifier_.public_key_ = public_key;
  signer.verifier_.key_id_ = parsed->id;
  return signer;
}

std::string NoteSigner::Text() const {
  std::string seed = secret_key_.substr(0, crypto_sign_SEEDBYTES);
  return std::string(kPrivatePrefix) + verifier_.name_ + "+" + IdHex(verifier_.key_id_) + "+" +
         ToBase64(std::string(1, static_cast<char>(kEd25519)) + seed);
}

std::string NoteSigner::SignatureLine(std::string_view body) const {
  unsigned char signature[crypto_sign_BYTES];
  crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(body.data()),
                       body.size(), reinterpret_cast<const unsigned char*>(secret_key_.data()));
  std::string payload = IdBytes(verifier_.key_id_);
  payload.append(reinterpret_cast<const char*>(signature), sizeof signature);
  return std::string(kSignaturePrefix) + verifier_.name_ + " " + ToBase64(payload) + "\n";
}

std::string CheckpointBody(const Checkpoint& checkpoint) {
  return checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
         ToBase64(checkpoint.root) + "\n";
}

std::string SignCheckpoint(const Checkpoint& checkpoint, const NoteSigner& signer) {
  std::string body = CheckpointBody(checkpoint);
  return body + "\n" + signer.SignatureLine(body);
}

Result<OpenedNote> OpenCheckpoint(std::string_view note) {
  auto bad = [](const std::string& why) { return Status::InvalidArgument("checkpoint: " + why); };
  size_t split = note.find("\n\n");
  if (split == std::string_view::npos) return bad("no empty line before the signatures");
  OpenedNote opened;
  opened.body = std::string(note.substr(0, split + 1));
  std::string_view signatures = note.substr(split + 2);
  while (!signatures.empty()) {
    size_t end = signatures.find('\n');
    if (end == std::string_view::npos) return bad("a signature line does not end in a newline");
    std::string_view line = signatures.substr(0, end + 1);
    if (line.substr(0, kSignaturePrefix.size()) != kSignaturePrefix) {
      return bad("a signature line does not start with an em dash");
    }
    opened.signature_lines.emplace_back(line);
    signatures.remove_prefix(end + 1);
  }
  if (opened.signature_lines.empty()) return bad("no signature");
  std::vector<std::string_view> lines;
  std::string_view body = opened.body;
  while (!body.empty()) {
    size_t end = body.find('\n');
    lines.push_back(body.substr(0, end));
    body.remove_prefix(end + 1);
  }
  if (lines.size() < 3) return bad("the body has fewer than three lines");
  opened.checkpoint.origin = std::string(lines[0]);
  const std::string size(lines[1]);
  if (size.empty() || size.size() > 19 ||
      size.find_first_not_of("0123456789") != std::string::npos ||
      (size.size() > 1 && size[0] == '0')) {
    return bad("the size is not a decimal number");
  }
  opened.checkpoint.size = std::stoull(size);
  std::optional<std::string> root = FromBase64(lines[2]);
  if (!root || root->size() != opened.checkpoint.root.size())
    return bad("the root is not 32 bytes");
  std::copy(root->begin(), root->end(), opened.checkpoint.root.begin());
  // One spelling per root: libsodium's decoder accepts some text that is not the standard
  // base64 of what it decodes to (bytes outside the alphabet, unused bits set).
  if (ToBase64(opened.checkpoint.root) != lines[2])
    return bad("the root is not in standard base64");
  if (opened.checkpoint.origin.empty()) return bad("no origin");
  return opened;
}

bool SignedBy(const OpenedNote& note, const NoteVerifier& verifier) {
  for (const std::string& line : note.signature_lines) {
    if (verifier.Verifies(note.body, line)) return true;
  }
  return false;
}

}  // namespace parkhub::governance
