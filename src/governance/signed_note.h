// Signed notes and checkpoints in the formats of C2SP (c2sp.org/signed-note,
// c2sp.org/tlog-checkpoint), so any tool of the transparency-log ecosystem can read what the
// ledger publishes and a regulator can check it without ParkHub's code.
//
// A checkpoint's body is three lines, "origin\nsize\nbase64(root)\n"; a signed note is the body,
// an empty line, then one line per signature, "— name base64(key id || Ed25519 signature)". The
// key id is the first four bytes of SHA-256(name || "\n" || 0x01 || public key). Keys travel as
// text: the verifier key "name+hex(id)+base64(0x01 || public key)" and the signer key
// "PRIVATE+KEY+name+hex(id)+base64(0x01 || seed)", as Go's golang.org/x/mod/sumdb/note writes
// them. A second party (the Hong Kong side, a regulator) cosigns by adding its own line.
// Values; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "governance/merkle.h"

namespace parkhub::governance {

// An Ed25519 public key with its note name; checks signature lines.
class NoteVerifier {
 public:
  // kInvalidArgument on anything but a well-formed verifier key.
  static Result<NoteVerifier> Parse(std::string_view verifier_key);
  const std::string& name() const { return name_; }
  std::string Text() const;
  // Whether `signature_line` ("— name base64") is this key's valid signature of `body`.
  bool Verifies(std::string_view body, std::string_view signature_line) const;

 private:
  friend class NoteSigner;
  std::string name_;
  uint32_t key_id_ = 0;
  std::string public_key_;  // 32 bytes
};

// An Ed25519 private key with its note name.
class NoteSigner {
 public:
  // A fresh key named `name` (no spaces, no "+"): kInvalidArgument on a bad name.
  static Result<NoteSigner> Generate(std::string_view name);
  static Result<NoteSigner> Parse(std::string_view signer_key);
  std::string Text() const;  // the signer key; keep it secret
  NoteVerifier Verifier() const { return verifier_; }
  // The signature line of `body`, ending in "\n".
  std::string SignatureLine(std::string_view body) const;

 private:
  NoteVerifier verifier_;
  std::string secret_key_;  // libsodium's 64 bytes: seed then public key
};

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
};

std::string CheckpointBody(const Checkpoint& checkpoint);
// The body, the empty line, the signer's line.
std::string SignCheckpoint(const Checkpoint& checkpoint, const NoteSigner& signer);

struct OpenedNote {
  Checkpoint checkpoint;
  std::string body;                          // the signed text, ending in "\n"
  std::vector<std::string> signature_lines;  // each ending in "\n"
};
// Splits a signed checkpoint and parses its body; kInvalidArgument naming what is malformed.
// Checks no signature.
Result<OpenedNote> OpenCheckpoint(std::string_view note);
// Whether `verifier` signed the note (one of its lines).
bool SignedBy(const OpenedNote& note, const NoteVerifier& verifier);

}  // namespace parkhub::governance
