// Ledger: the append-only audit log of cross-border governance. Every decision, approval,
// whitelist change and policy activation is appended to it, and nobody can later edit, delete,
// reorder or insert an entry without `parkhub audit verify` (governance/audit_verifier.h)
// noticing.
//
// The log is a Merkle tree of RFC 6962 (governance/merkle.h), integrated as Trillian and Tessera
// do it: Append writes an entry on the caller's connection, inside the caller's transaction, so
// an entry exists exactly when the change it records was committed; Integrate, run by one
// process at a time (the integrator, woken by the "ledger" notification), gives the pending
// entries their positions in commit order, stores the tree's completed nodes and signs a
// checkpoint (C2SP tlog-checkpoint, Ed25519). Proofs of inclusion and consistency are computed
// from the stored nodes: O(log n) node reads, one query.
//
// A leaf is the entry's canonical JSON with the time inside it, so the time cannot change
// unseen (Rekor's integratedTime lives outside its leaves and can). The columns beside it (kind,
// subject) only serve lookups; the verifier checks them against the leaf.
//
// Owns the tables ledger_entries, ledger_nodes and ledger_checkpoints. Thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "db/database.h"
#include "db/migrator.h"
#include "governance/merkle.h"
#include "governance/signed_note.h"
#include "identity/principal.h"

namespace parkhub::governance {

// What a caller appends. `kind` names the change (decision, approval, whitelist_change,
// policy_activation, ...), `subject` the public id of what it is about, `actor` who made it.
struct LedgerRecord {
  std::string kind;
  std::string subject;
  std::string actor;
  nlohmann::json details = nlohmann::json::object();
};

struct LedgerEntry {
  std::optional<uint64_t> leaf_index;  // nullopt until integrated
  std::string kind;
  std::string subject;
  std::string actor;
  std::string recorded_at;  // RFC 3339 UTC, part of the leaf
  nlohmann::json details;
  std::string leaf;  // the exact bytes hashed
  Hash leaf_hash{};
};

struct StoredCheckpoint {
  Checkpoint checkpoint;
  std::string note;  // the signed note, with every cosignature
  std::string created_at;
};

struct LedgerPage {
  std::vector<LedgerEntry> entries;  // newest first
  uint64_t integrated = 0;           // entries in the tree
  uint64_t pending = 0;              // appended, not yet integrated
};

// The canonical leaf of a record appended at `recorded_at`: JSON with sorted keys and no spaces.
std::string LeafOf(const LedgerRecord& record, const std::string& recorded_at);

class Ledger {
 public:
  // The channel Append notifies, which the integrator waits on.
  static constexpr std::string_view kChannel = "ledger";

  // `origin` is the checkpoints' first line (a schema-less URL naming this log).
  Ledger(db::Database& database, const Clock& clock, NoteSigner signer, std::string origin);

  const std::string& origin() const { return origin_; }
  NoteVerifier verifier() const { return signer_.Verifier(); }

  // Appends on `c`, inside the caller's write transaction. kInvalidArgument on an empty kind.
  Status Append(db::Connection& c, const LedgerRecord& record) const;

  // Integrates up to `max_entries` pending entries and signs a checkpoint of the new size; with
  // nothing pending, returns the latest checkpoint (signing the empty tree the first time).
  Result<StoredCheckpoint> Integrate(int max_entries = 100000);

  // The newest checkpoint; NotFound before the first integration.
  Result<StoredCheckpoint> Latest() const;
  Result<StoredCheckpoint> CheckpointAt(uint64_t size) const;

  // The audit path of leaf `index` in the tree of `size` leaves (a signed size); 422 on a leaf
  // outside the tree or a size no checkpoint has.
  Result<std::vector<Hash>> ProveInclusion(uint64_t index, uint64_t size) const;
  // The proof that the tree of `old_size` is a prefix of that of `new_size`; 422 likewise.
  Result<std::vector<Hash>> ProveConsistency(uint64_t old_size, uint64_t new_size) const;

  Result<LedgerEntry> EntryAt(uint64_t index) const;
  // The leaves (entries' text) at positions [begin, end), in order, in one query; kInternal
  // when one of them is not integrated.
  Result<std::vector<std::string>> Leaves(uint64_t begin, uint64_t end) const;
  // Newest first; `subject` empty for every entry. limit 1..200.
  Result<LedgerPage> Entries(const std::string& subject, int limit, int offset) const;

  // Adds a cosignature line to the checkpoint of `size`, after checking it is a valid signature
  // of that checkpoint by one of `witnesses`. 422 otherwise; a line already there is a no-op.
  Result<StoredCheckpoint> Cosign(uint64_t size, const std::string& signature_line,
                                  const std::vector<NoteVerifier>& witnesses);

 private:
  Result<Hash> SubtreeHash(db::Connection& c, uint64_t begin, uint64_t end) const;
  // On one connection: checks that a signed tree has `size` leaves, then `arguments`, then runs
  // `prove` twice, once to learn which nodes it reads and once over them, read in one query.
  Result<std::vector<Hash>> Prove(
      uint64_t size, const Status& arguments,
      const std::function<Result<std::vector<Hash>>(const SubtreeHashes&)>& prove) const;
  Status CheckSigned(db::Connection& c, uint64_t size) const;

  db::Database& database_;
  const Clock& clock_;
  const NoteSigner signer_;
  const std::string origin_;
};

// The signer key in `path`, or a new key named `name` written there (mode 0600) when the file
// does not exist. kUnavailable when it cannot be read or written, kInvalidArgument when it
// holds no signer key.
Result<NoteSigner> LoadOrCreateSignerKey(const std::string& path, const std::string& name);

// Who may read the ledger's entries (what was requested and decided): platform admins, park
// operators and compliance officers. Its checkpoints and proofs hold only hashes: anyone signed
// in may check that an entry is in the log.
bool MayReadLedgerEntries(const identity::Principal& principal);
// Who may add a witness's cosignature: platform admins and compliance officers (the signature
// itself must still verify with a configured witness key).
bool MayCosignLedger(const identity::Principal& principal);

// This module's tables: its migrations/<dialect>/*.sql, embedded at build time.
std::vector<db::Migration> SchemaMigrations(std::string_view dialect);

}  // namespace parkhub::governance
