// Fuzz target: a signed checkpoint and a verifier key, as a witness or regulator sends them.
// What opens must restate its own body, and no signature may verify against a random key.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/random.h"
#include "governance/signed_note.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  parkhub::InitCrypto();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parkhub::governance;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)NoteVerifier::Parse(text);
  (void)NoteSigner::Parse(text);
  auto opened = OpenCheckpoint(text);
  if (!opened.ok()) return 0;
  if (opened->body.rfind(CheckpointBody(opened->checkpoint), 0) != 0) std::abort();
  static const NoteVerifier kStranger = NoteSigner::Generate("stranger")->Verifier();
  if (SignedBy(*opened, kStranger)) std::abort();
  return 0;
}
