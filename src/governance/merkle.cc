#include "governance/merkle.h"

#include <sodium.h>

#include <bit>

namespace parkhub::governance {
namespace {

Hash HashWithPrefix(uint8_t prefix, std::string_view a, std::string_view b = {}) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, &prefix, 1);
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(a.data()), a.size());
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(b.data()), b.size());
  Hash out;
  crypto_hash_sha256_final(&state, out.data());
  return out;
}

std::string_view View(const Hash& hash) {
  return {reinterpret_cast<const char*>(hash.data()), hash.size()};
}

bool IsPowerOfTwo(uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

// RFC 9162 §2.1.3.1 PATH(m, D[begin:end)), appended deepest first.
Status AppendPath(uint64_t m, uint64_t begin, uint64_t end, const SubtreeHashes& subtree,
                  std::vector<Hash>& proof) {
  uint64_t n = end - begin;
  if (n <= 1) return Status::Ok();
  uint64_t k = SplitPoint(n);
  bool left = m < k;
  Status status = left ? AppendPath(m, begin, begin + k, subtree, proof)
                       : AppendPath(m - k, begin + k, end, subtree, proof);
  if (!status.ok()) return status;
  Result<Hash> sibling = left ? subtree(begin + k, end) : subtree(begin, begin + k);
  if (!sibling.ok()) return sibling.status();
  proof.push_back(*sibling);
  return Status::Ok();
}

// RFC 9162 §2.1.4.1 SUBPROOF(m, D[begin:end), b).
Status AppendSubproof(uint64_t m, uint64_t begin, uint64_t end, bool whole_old_tree,
                      const SubtreeHashes& subtree, std::vector<Hash>& proof) {
  uint64_t n = end - begin;
  if (m == n) {
    if (whole_old_tree) return Status::Ok();
    Result<Hash> hash = subtree(begin, end);
    if (!hash.ok()) return hash.status();
    proof.push_back(*hash);
    return Status::Ok();
  }
  uint64_t k = SplitPoint(n);
  bool left = m <= k;
  Status status = left ? AppendSubproof(m, begin, begin + k, whole_old_tree, subtree, proof)
                       : AppendSubproof(m - k, begin + k, end, false, subtree, proof);
  if (!status.ok()) return status;
  Result<Hash> sibling = left ? subtree(begin + k, end) : subtree(begin, begin + k);
  if (!sibling.ok()) return sibling.status();
  proof.push_back(*sibling);
  return Status::Ok();
}

}  // namespace

Hash LeafHash(std::string_view leaf_bytes) { return HashWithPrefix(0x00, leaf_bytes); }

Hash NodeHash(const Hash& left, const Hash& right) {
  return HashWithPrefix(0x01, View(left), View(right));
}

Hash Sha256(std::string_view bytes) {
  Hash out;
  crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  return out;
}

Hash EmptyRoot() { return Sha256({}); }

std::string ToHex(const Hash& hash) {
  std::string out(hash.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), hash.data(), hash.size());
  out.pop_back();
  return out;
}

std::optional<Hash> FromHex(std::string_view hex) {
  Hash out;
  size_t length = 0;
  if (hex.size() != 64 ||
      sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &length, nullptr) !=
          0 ||
      length != out.size()) {
    return std::nullopt;
  }
  return out;
}

std::string ToBase64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::string ToBase64(const Hash& hash) { return ToBase64(View(hash)); }

std::optional<std::string> FromBase64(std::string_view text) {
  std::string out(text.size(), '\0');
  size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size,
                                         const SubtreeHashes& subtree) {
  if (index >= size) {
    return Status::InvalidArgument("leaf " + std::to_string(index) + " is not in a tree of " +
                                   std::to_string(size));
  }
  std::vector<Hash> proof;
  if (Status s = AppendPath(index, 0, size, subtree, proof); !s.ok()) return s;
  return proof;
}

Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t new_size,
                                           const SubtreeHashes& subtree) {
  if (old_size == 0 || old_size > new_size) {
    return Status::InvalidArgument("no consistency proof from " + std::to_string(old_size) +
                                   " to " + std::to_string(new_size) + " leaves");
  }
  std::vector<Hash> proof;
  if (old_size == new_size) return proof;
  if (Status s = AppendSubproof(old_size, 0, new_size, true, subtree, proof); !s.ok()) return s;
  return proof;
}

bool VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                     const std::vector<Hash>& proof, const Hash& root) {
  if (index >= size) return false;
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      r = NodeHash(p, r);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                       const Hash& new_root, const std::vector<Hash>& proof) {
  if (old_size == 0 || old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (proof.empty()) return false;
  std::vector<Hash> path;
  if (IsPowerOfTwo(old_size)) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = old_size - 1;
  uint64_t sn = new_size - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;
}

Hash RootOf(const std::vector<Hash>& leaf_hashes, uint64_t begin, uint64_t end) {
  if (end == begin) return EmptyRoot();
  if (end - begin == 1) return leaf_hashes[begin];
  uint64_t k = SplitPoint(end - begin);
  return NodeHash(RootOf(leaf_hashes, begin, begin + k), RootOf(leaf_hashes, begin + k, end));
}

std::vector<std::pair<int, uint64_t>> CompactRange::BorderOf(uint64_t size) {
  std::vector<std::pair<int, uint64_t>> nodes;
  uint64_t start = 0;
  for (int level = 63; level >= 0; --level) {
    uint64_t width = uint64_t{1} << level;
    if (!(size & width)) continue;
    nodes.emplace_back(level, start >> level);
    start += width;
  }
  return nodes;
}

Result<CompactRange> CompactRange::FromBorder(uint64_t size, std::vector<Node> nodes) {
  auto expected = BorderOf(size);
  if (expected.size() != nodes.size()) {
    return Status::InvalidArgument("a border of " + std::to_string(size) + " leaves has " +
                                   std::to_string(expected.size()) + " nodes");
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].level != expected[i].first || nodes[i].index != expected[i].second) {
      return Status::InvalidArgument("the border's nodes are not those of its size");
    }
  }
  CompactRange range;
  range.size_ = size;
  range.border_ = std::move(nodes);
  return range;
}

void CompactRange::Append(const Hash& leaf_hash, const NodeSink& on_node) {
  Node node{0, size_, leaf_hash};
  on_node(node);
  while (!border_.empty() && border_.back().level == node.level) {
    node = Node{node.level + 1, node.index >> 1, NodeHash(border_.back().hash, node.hash)};
    border_.pop_back();
    on_node(node);
  }
  border_.push_back(node);
  ++size_;
}

Hash CompactRange::Root() const {
  if (border_.empty()) return EmptyRoot();
  Hash root = border_.back().hash;
  for (size_t i = border_.size() - 1; i-- > 0;) root = NodeHash(border_[i].hash, root);
  return root;
}

}  // namespace parkhub::governance
