// Merkle tree hashing of RFC 6962 / RFC 9162 §2.1: the audit ledger's tree, its proofs and
// their verification. Pure functions over hashes; no storage, no clock.
//
// A leaf hashes as SHA-256(0x00 || bytes), an inner node as SHA-256(0x01 || left || right), and
// the tree of n leaves splits at the largest power of two below n. Proofs are produced from a
// `SubtreeHashes` source that answers MTH(D[begin:end)) for the ranges the RFC's recursion asks
// for (a whole aligned power-of-two range, or the ragged right edge); the ledger answers from the
// nodes it stores, tests from a vector of leaves. Verification follows RFC 9162's algorithms
// literally, and shares nothing with production of proofs, so a bug in one is caught by the other.
// Thread-safe (no state).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace parkhub::governance {

using Hash = std::array<uint8_t, 32>;

Hash LeafHash(std::string_view leaf_bytes);
Hash NodeHash(const Hash& left, const Hash& right);
// The root of the empty tree: SHA-256 of nothing.
Hash EmptyRoot();
// Plain SHA-256 of `bytes` (content and policy hashes, key ids).
Hash Sha256(std::string_view bytes);

std::string ToHex(const Hash& hash);
std::optional<Hash> FromHex(std::string_view hex);
std::string ToBase64(std::string_view bytes);
std::string ToBase64(const Hash& hash);
std::optional<std::string> FromBase64(std::string_view text);

// The largest power of two strictly below n (n >= 2).
uint64_t SplitPoint(uint64_t n);

// MTH(D[begin:end)), end > begin. Errors (a node missing from storage) pass through.
using SubtreeHashes = std::function<Result<Hash>(uint64_t begin, uint64_t end)>;

// RFC 9162 §2.1.3.1: the audit path of leaf `index` in the tree of `size` leaves, deepest
// sibling first. kInvalidArgument unless index < size.
Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size,
                                         const SubtreeHashes& subtree);
// RFC 9162 §2.1.4.1: the proof that the tree of `old_size` leaves is a prefix of the tree of
// `new_size`. kInvalidArgument unless 0 < old_size <= new_size; empty when they are equal.
Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t new_size,
                                           const SubtreeHashes& subtree);

// RFC 9162 §2.1.3.2.
bool VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                     const std::vector<Hash>& proof, const Hash& root);
// RFC 9162 §2.1.4.2.
bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                       const Hash& new_root, const std::vector<Hash>& proof);

// The RFC's recursive definition over leaf hashes held in memory (tests, small trees).
Hash RootOf(const std::vector<Hash>& leaf_hashes, uint64_t begin, uint64_t end);

// The right border of a tree as it grows one leaf at a time (a "compact range" from 0): the
// roots of its perfect subtrees, largest first. Appending costs O(log n) amortised one; each
// completed node is reported to `on_node` (level, index, hash) so a store can keep it.
class CompactRange {
 public:
  struct Node {
    int level;
    uint64_t index;  // the node's position among the nodes of its level
    Hash hash;
  };
  using NodeSink = std::function<void(const Node&)>;

  CompactRange() = default;
  // The border of a tree of `size` leaves: `nodes` must be its perfect subtrees' roots, largest
  // first (BorderOf(size) names them); kInvalidArgument otherwise.
  static Result<CompactRange> FromBorder(uint64_t size, std::vector<Node> nodes);
  // The (level, index) of the roots a tree of `size` leaves' border holds, largest first.
  static std::vector<std::pair<int, uint64_t>> BorderOf(uint64_t size);

  void Append(const Hash& leaf_hash, const NodeSink& on_node);
  uint64_t size() const { return size_; }
  Hash Root() const;

 private:
  uint64_t size_ = 0;
  std::vector<Node> border_;
};

}  // namespace parkhub::governance
