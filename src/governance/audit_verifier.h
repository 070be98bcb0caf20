// VerifyLedger: the auditor's check of the whole ledger, `parkhub audit verify`. It trusts
// nothing the writer computed: it reads every entry's text, hashes it afresh, rebuilds the tree
// with its own fold (not Ledger's CompactRange), and compares the root at every checkpoint's
// size with the signed one, checking each checkpoint's signature with the verifier key given.
//
// It names the first bad entry: an entry missing from the sequence (deleted), an entry whose
// text no longer hashes to the hash stored with it or in the tree's first level (edited,
// reordered), an entry beyond the last signed checkpoint (inserted), or, when every stored
// hash was rewritten consistently, the range between the last good and the first bad checkpoint.
// Reads the ledger's tables directly, a chunk at a time, on one connection. Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/status.h"
#include "db/database.h"
#include "governance/signed_note.h"

namespace parkhub::governance {

struct AuditProblem {
  // missing_entry, edited_entry, inserted_entry, root_mismatch, bad_signature, bad_checkpoint
  std::string code;
  std::optional<uint64_t> entry;       // the first bad entry's position, when known
  std::optional<uint64_t> checkpoint;  // the tree size of the checkpoint concerned, if any
  std::string message;                 // English, for the command line
};

struct AuditReport {
  uint64_t entries = 0;      // integrated entries checked
  uint64_t checkpoints = 0;  // signed checkpoints checked
  uint64_t pending = 0;      // appended, not yet integrated (not a problem)
  std::optional<Checkpoint> latest;
  std::optional<AuditProblem> problem;  // the first one found; none when the ledger is intact
  bool intact() const { return !problem.has_value(); }
};

// Errors only when the database cannot be read; a tampered ledger is a report with a problem.
Result<AuditReport> VerifyLedger(db::Database& database, const NoteVerifier& verifier);

}  // namespace parkhub::governance
