// A regulator's copy of the audit ledger: every entry up to a signed checkpoint, the checkpoint
// with its cosignatures (the Hong Kong side's, say), and the ledger's verifier key, in one JSON
// document a regulator checks with no access to ParkHub: `parkhub audit verify-bundle`, or any
// RFC 6962 and C2SP tool (the leaves are the entries' text; the checkpoint is a C2SP signed note).
//
//   {"format": "parkhub-ledger-bundle/1", "origin": ..., "verifier_key": ...,
//    "checkpoint": "<signed note>", "entries": ["<leaf>", ...]}
//
// Checking one recomputes the tree from the entries and compares its size and root with the
// checkpoint's, whose signature must be by the key the regulator holds (not the one the bundle
// carries, which only says which key signed). A later bundle proves the earlier one a prefix by
// the same recomputation.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "governance/ledger.h"
#include "governance/signed_note.h"

namespace parkhub::governance {

// The bundle up to the checkpoint of `size` (the latest when absent); NotFound when no
// checkpoint has that size.
Result<nlohmann::json> ExportLedgerBundle(const Ledger& ledger, std::optional<uint64_t> size);

struct BundleReport {
  Checkpoint checkpoint;
  std::vector<std::string> cosigners;  // the names of `witnesses` that signed it
  // bad_bundle, bad_signature, root_mismatch; empty when the bundle holds
  std::string problem;
  std::string message;  // English, for the command line
  bool intact() const { return problem.empty(); }
};

BundleReport VerifyLedgerBundle(const nlohmann::json& bundle, const NoteVerifier& trusted,
                                const std::vector<NoteVerifier>& witnesses);

}  // namespace parkhub::governance
