#include "governance/regulator_bundle.h"

#include <algorithm>

namespace parkhub::governance {

using nlohmann::json;

namespace {

constexpr std::string_view kFormat = "parkhub-ledger-bundle/1";
constexpr uint64_t kChunk = 10000;

BundleReport Problem(std::string code, std::string message) {
  BundleReport report;
  report.problem = std::move(code);
  report.message = std::move(message);
  return report;
}

}  // namespace

Result<json> ExportLedgerBundle(const Ledger& ledger, std::optional<uint64_t> size) {
  ASSIGN_OR_RETURN(StoredCheckpoint stored, size ? ledger.CheckpointAt(*size) : ledger.Latest());
  json entries = json::array();
  for (uint64_t begin = 0; begin < stored.checkpoint.size; begin += kChunk) {
    uint64_t end = std::min(stored.checkpoint.size, begin + kChunk);
    ASSIGN_OR_RETURN(std::vector<std::string> leaves, ledger.Leaves(begin, end));
    for (std::string& leaf : leaves) entries.push_back(std::move(leaf));
  }
  return json{{"format", kFormat},
              {"origin", stored.checkpoint.origin},
              {"verifier_key", ledger.verifier().Text()},
              {"checkpoint", stored.note},
              {"entries", std::move(entries)}};
}

BundleReport VerifyLedgerBundle(const json& bundle, const NoteVerifier& trusted,
                                const std::vector<NoteVerifier>& witnesses) {
  if (!bundle.is_object() || bundle.value("format", "") != kFormat ||
      !bundle.contains("checkpoint") || !bundle["checkpoint"].is_string() ||
      !bundle.contains("entries") || !bundle["entries"].is_array()) {
    return Problem("bad_bundle", "not a ledger bundle (" + std::string(kFormat) + ")");
  }
  auto opened = OpenCheckpoint(bundle["checkpoint"].get<std::string>());
  if (!opened.ok()) return Problem("bad_bundle", "checkpoint: " + opened.status().message());
  if (!SignedBy(*opened, trusted)) {
    return Problem("bad_signature", "the checkpoint is not signed by " + trusted.name());
  }
  const json& entries = bundle["entries"];
  if (entries.size() != opened->checkpoint.size) {
    return Problem("root_mismatch",
                   "the checkpoint covers " + std::to_string(opened->checkpoint.size) +
                       " entries; the bundle holds " + std::to_string(entries.size()));
  }
  std::vector<Hash> leaf_hashes;
  leaf_hashes.reserve(entries.size());
  for (const json& entry : entries) {
    if (!entry.is_string()) return Problem("bad_bundle", "an entry is not text");
    leaf_hashes.push_back(LeafHash(entry.get<std::string>()));
  }
  Hash root = leaf_hashes.empty() ? EmptyRoot() : RootOf(leaf_hashes, 0, leaf_hashes.size());
  if (root != opened->checkpoint.root) {
    return Problem("root_mismatch",
                   "the entries do not hash to the signed root: one was edited, removed, "
                   "inserted or reordered");
  }
  BundleReport report;
  report.checkpoint = opened->checkpoint;
  for (const NoteVerifier& witness : witnesses) {
    if (SignedBy(*opened, witness)) report.cosigners.push_back(witness.name());
  }
  return report;
}

}  // namespace parkhub::governance
