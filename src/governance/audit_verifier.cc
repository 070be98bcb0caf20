#include "governance/audit_verifier.h"

#include <nlohmann/json.hpp>
#include <vector>

#include "governance/merkle.h"

namespace parkhub::governance {
namespace {

constexpr int64_t kChunk = 20000;

// The auditor's own running root: perfect subtrees' roots by level, merged as leaves arrive.
class RunningRoot {
 public:
  void Add(const Hash& leaf) {
    Hash carry = leaf;
    int level = 0;
    while (!stack_.empty() && stack_.back().first == level) {
      carry = NodeHash(stack_.back().second, carry);
      stack_.pop_back();
      ++level;
    }
    stack_.emplace_back(level, carry);
  }
  Hash Root() const {
    if (stack_.empty()) return EmptyRoot();
    Hash root = stack_.back().second;
    for (size_t i = stack_.size() - 1; i-- > 0;) root = NodeHash(stack_[i].second, root);
    return root;
  }

 private:
  std::vector<std::pair<int, Hash>> stack_;
};

AuditProblem Problem(std::string code, std::optional<uint64_t> entry,
                     std::optional<uint64_t> checkpoint, std::string message) {
  return {std::move(code), entry, checkpoint, std::move(message)};
}

std::string Entry(uint64_t index) { return "entry #" + std::to_string(index); }

struct SignedSize {
  uint64_t size;
  Hash root;
  std::string origin;
};

// Every checkpoint, oldest first, each checked against its signature; the first bad one is a
// problem.
Result<std::vector<SignedSize>> ReadCheckpoints(db::Connection& c, const NoteVerifier& verifier,
                                                std::optional<AuditProblem>& problem) {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT tree_size, root, note FROM ledger_checkpoints "
                                      "ORDER BY tree_size"));
  std::vector<SignedSize> sizes;
  for (const db::Row& row : rows) {
    uint64_t size = static_cast<uint64_t>(row.Int(0));
    Result<OpenedNote> opened = OpenCheckpoint(row.Text(2));
    std::optional<Hash> root = FromHex(row.Text(1));
    if (!opened.ok() || !root || opened->checkpoint.size != size ||
        opened->checkpoint.root != *root) {
      problem = Problem("bad_checkpoint", std::nullopt, size,
                        "the checkpoint of " + std::to_string(size) +
                            " entries does not agree with its own note");
      return sizes;
    }
    if (!SignedBy(*opened, verifier)) {
      problem = Problem("bad_signature", std::nullopt, size,
                        "the checkpoint of " + std::to_string(size) + " entries is not signed by " +
                            verifier.name());
      return sizes;
    }
    sizes.push_back({size, *root, opened->checkpoint.origin});
  }
  return sizes;
}

// Why an entry row is bad, or nothing. The writer's leaves are canonical JSON (sorted keys), so
// kind and subject are its last two members: their columns must spell its end exactly.
std::optional<std::string> EntryFault(const db::Row& row, const Hash& recomputed,
                                      const std::optional<Hash>& tree_leaf) {
  std::optional<Hash> stored = FromHex(row.Text(4));
  if (!stored || *stored != recomputed) return "its text no longer matches its hash";
  if (!tree_leaf || *tree_leaf != recomputed) return "its hash is not the tree's leaf at its place";
  std::string ending = ",\"kind\":" + nlohmann::json(row.Text(1)).dump() +
                       ",\"subject\":" + nlohmann::json(row.Text(2)).dump() + "}";
  std::string leaf = row.Text(3);
  if (!leaf.ends_with(ending)) return "its kind or subject was changed beside its text";
  return std::nullopt;
}

}  // namespace

Result<AuditReport> VerifyLedger(db::Database& database, const NoteVerifier& verifier) {
  ASSIGN_OR_RETURN(auto c, database.Acquire());
  AuditReport report;
  ASSIGN_OR_RETURN(std::vector<SignedSize> checkpoints,
                   ReadCheckpoints(*c, verifier, report.problem));
  if (report.problem) return report;
  report.checkpoints = checkpoints.size();
  ASSIGN_OR_RETURN(int64_t pending,
                   c->QueryInt("SELECT COUNT(*) FROM ledger_entries WHERE leaf_index IS NULL"));
  report.pending = static_cast<uint64_t>(pending);
  uint64_t signed_size = checkpoints.empty() ? 0 : checkpoints.back().size;

  RunningRoot running;
  size_t next_checkpoint = 0;
  uint64_t last_good = 0;
  auto check_roots = [&]() -> bool {
    while (next_checkpoint < checkpoints.size() &&
           checkpoints[next_checkpoint].size == report.entries) {
      if (running.Root() != checkpoints[next_checkpoint].root) {
        report.problem =
            Problem("root_mismatch", last_good, report.entries,
                    "the entries do not make the signed tree of " + std::to_string(report.entries) +
                        "; the first bad one is between " + Entry(last_good) + " and " +
                        Entry(report.entries - 1));
        return false;
      }
      last_good = report.entries;
      ++next_checkpoint;
    }
    return true;
  };
  if (!check_roots()) return report;
  for (uint64_t start = 0; start < signed_size; start += kChunk) {
    int64_t end = static_cast<int64_t>(std::min<uint64_t>(signed_size, start + kChunk));
    ASSIGN_OR_RETURN(auto rows, c->Query("SELECT leaf_index, kind, subject, leaf, leaf_hash "
                                         "FROM ledger_entries WHERE leaf_index >= ? AND "
                                         "leaf_index < ? ORDER BY leaf_index",
                                         {static_cast<int64_t>(start), end}));
    // The tree's first level: node keys of level 0 are the leaves' positions.
    ASSIGN_OR_RETURN(auto nodes, c->Query("SELECT node_key, hash FROM ledger_nodes WHERE "
                                          "node_key >= ? AND node_key < ? ORDER BY node_key",
                                          {static_cast<int64_t>(start), end}));
    size_t node = 0;
    for (const db::Row& row : rows) {
      uint64_t index = static_cast<uint64_t>(row.Int(0));
      if (index != report.entries) {
        report.problem = Problem("missing_entry", report.entries, std::nullopt,
                                 Entry(report.entries) + " is missing");
        return report;
      }
      while (node < nodes.size() && nodes[node].Int(0) < static_cast<int64_t>(index)) ++node;
      std::optional<Hash> tree_leaf;
      if (node < nodes.size() && nodes[node].Int(0) == static_cast<int64_t>(index)) {
        tree_leaf = FromHex(nodes[node].Text(1));
      }
      Hash recomputed = LeafHash(row.Text(3));
      if (std::optional<std::string> fault = EntryFault(row, recomputed, tree_leaf)) {
        report.problem =
            Problem("edited_entry", index, std::nullopt, Entry(index) + " was edited: " + *fault);
        return report;
      }
      running.Add(recomputed);
      ++report.entries;
      if (!check_roots()) return report;
    }
    if (report.entries < static_cast<uint64_t>(end)) {
      report.problem = Problem("missing_entry", report.entries, std::nullopt,
                               Entry(report.entries) + " is missing");
      return report;
    }
  }
  ASSIGN_OR_RETURN(auto beyond,
                   c->Query("SELECT leaf_index FROM ledger_entries WHERE leaf_index >= ? "
                            "ORDER BY leaf_index LIMIT 1",
                            {static_cast<int64_t>(signed_size)}));
  if (!beyond.empty()) {
    uint64_t index = static_cast<uint64_t>(beyond[0].Int(0));
    report.problem = Problem("inserted_entry", index, std::nullopt,
                             Entry(index) + " is in no signed checkpoint: it was inserted");
    return report;
  }
  if (!checkpoints.empty()) {
    report.latest = Checkpoint{checkpoints.back().origin, signed_size, checkpoints.back().root};
  }
  return report;
}

}  // namespace parkhub::governance
