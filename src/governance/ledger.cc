#include "governance/ledger.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "db/migrator.h"
#include "governance/json_fields.h"

namespace parkhub::governance {
namespace {

constexpr int kLevelShift = 40;  // a node's key: level << 40 | index (2^40 leaves is plenty)

int64_t NodeKey(int level, uint64_t index) {
  return (static_cast<int64_t>(level) << kLevelShift) | static_cast<int64_t>(index);
}

bool IsPerfect(uint64_t begin, uint64_t end, int* level) {
  uint64_t width = end - begin;
  if ((width & (width - 1)) != 0 || begin % width != 0) return false;
  *level = std::countr_zero(width);
  return true;
}

// The stored nodes whose hashes make up MTH(D[begin:end)), in the RFC's split.
void NodesOfRange(uint64_t begin, uint64_t end, std::vector<int64_t>& keys) {
  int level = 0;
  if (IsPerfect(begin, end, &level)) {
    keys.push_back(NodeKey(level, begin >> level));
    return;
  }
  uint64_t k = SplitPoint(end - begin);
  NodesOfRange(begin, begin + k, keys);
  NodesOfRange(begin + k, end, keys);
}

Result<Hash> HashOfRange(uint64_t begin, uint64_t end, const std::map<int64_t, Hash>& nodes) {
  int level = 0;
  if (IsPerfect(begin, end, &level)) {
    auto found = nodes.find(NodeKey(level, begin >> level));
    if (found == nodes.end()) {
      return Status(ErrorCode::kInternal, "ledger_node_missing",
                    "the ledger has no node for leaves " + std::to_string(begin) + " to " +
                        std::to_string(end));
    }
    return found->second;
  }
  uint64_t k = SplitPoint(end - begin);
  ASSIGN_OR_RETURN(Hash left, HashOfRange(begin, begin + k, nodes));
  ASSIGN_OR_RETURN(Hash right, HashOfRange(begin + k, end, nodes));
  return NodeHash(left, right);
}

Result<std::map<int64_t, Hash>> ReadNodes(db::Connection& c, const std::vector<int64_t>& keys) {
  std::map<int64_t, Hash> nodes;
  if (keys.empty()) return nodes;
  db::Params params;
  std::string in = db::InList(keys, params);
  ASSIGN_OR_RETURN(
      auto rows,
      c.Query("SELECT node_key, hash FROM ledger_nodes WHERE node_key IN (" + in + ")", params));
  for (const db::Row& row : rows) {
    std::optional<Hash> hash = FromHex(row.Text(1));
    if (!hash) return Status(ErrorCode::kInternal, "ledger_corrupt", "a ledger node is not a hash");
    nodes.emplace(row.Int(0), *hash);
  }
  return nodes;
}

Result<StoredCheckpoint> CheckpointOfRow(const db::Row& row) {
  db::RowReader read(row);
  StoredCheckpoint stored;
  stored.checkpoint.size = static_cast<uint64_t>(read.Int());
  std::string root = read.Text();
  stored.note = read.Text();
  stored.created_at = read.Text();
  RETURN_IF_ERROR(read.Done());
  std::optional<Hash> hash = FromHex(root);
  ASSIGN_OR_RETURN(OpenedNote opened, OpenCheckpoint(stored.note));
  if (!hash)
    return Status(ErrorCode::kInternal, "ledger_corrupt", "a checkpoint root is not a hash");
  stored.checkpoint.root = *hash;
  stored.checkpoint.origin = opened.checkpoint.origin;
  return stored;
}

constexpr std::string_view kCheckpointColumns = "tree_size, root, note, created_at";

Result<std::optional<StoredCheckpoint>> LatestOn(db::Connection& c) {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT " + std::string(kCheckpointColumns) +
                                      " FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1"));
  if (rows.empty()) return std::optional<StoredCheckpoint>();
  ASSIGN_OR_RETURN(StoredCheckpoint stored, CheckpointOfRow(rows[0]));
  return std::optional<StoredCheckpoint>(std::move(stored));
}

Result<LedgerEntry> EntryOfRow(const db::Row& row) {
  db::RowReader read(row);
  LedgerEntry entry;
  std::optional<int64_t> index = read.OptionalInt();
  if (index) entry.leaf_index = static_cast<uint64_t>(*index);
  entry.leaf = read.Text();
  std::string hash = read.Text();
  RETURN_IF_ERROR(read.Done());
  std::optional<Hash> leaf_hash = FromHex(hash);
  nlohmann::json leaf = nlohmann::json::parse(entry.leaf, nullptr, false);
  if (!leaf_hash || !leaf.is_object()) {
    return Status(ErrorCode::kInternal, "ledger_corrupt", "a ledger entry cannot be read");
  }
  entry.leaf_hash = *leaf_hash;
  entry.kind = TextField(leaf, "kind");
  entry.subject = TextField(leaf, "subject");
  entry.actor = TextField(leaf, "actor");
  entry.recorded_at = TextField(leaf, "at");
  entry.details = leaf.contains("details") ? leaf["details"] : nlohmann::json::object();
  return entry;
}

}  // namespace

std::string LeafOf(const LedgerRecord& record, const std::string& recorded_at) {
  nlohmann::json leaf = {{"kind", record.kind},
                         {"subject", record.subject},
                         {"actor", record.actor},
                         {"at", recorded_at},
                         {"details", record.details}};
  return leaf.dump();
}

Ledger::Ledger(db::Database& database, const Clock& clock, NoteSigner signer, std::string origin)
    : database_(database), clock_(clock), signer_(std::move(signer)), origin_(std::move(origin)) {}

Status Ledger::Append(db::Connection& c, const LedgerRecord& record) const {
  if (record.kind.empty()) return Status::InvalidArgument("a ledger entry needs a kind");
  std::string leaf = LeafOf(record, FormatUtc(clock_.Now()));
  RETURN_IF_ERROR(
      c.Execute("INSERT INTO ledger_entries(kind, subject, leaf, leaf_hash) VALUES(?, ?, ?, ?)",
                {record.kind, record.subject, leaf, ToHex(LeafHash(leaf))})
          .status());
  return c.Notify(kChannel);
}

Result<StoredCheckpoint> Ledger::Integrate(int max_entries) {
  return db::InTransaction<StoredCheckpoint>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<StoredCheckpoint> {
        RETURN_IF_ERROR(c.Lock("ledger", "integrate"));
        ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> latest, LatestOn(c));
        ASSIGN_OR_RETURN(
            auto pending,
            c.Query("SELECT id, leaf_hash FROM ledger_entries WHERE leaf_index IS NULL "
                    "ORDER BY id LIMIT ?",
                    {int64_t{max_entries}}));
        if (pending.empty() && latest) return *latest;
        uint64_t size = latest ? latest->checkpoint.size : 0;
        std::vector<int64_t> border_keys;
        for (auto [level, index] : CompactRange::BorderOf(size)) {
          border_keys.push_back(NodeKey(level, index));
        }
        ASSIGN_OR_RETURN(auto border_hashes, ReadNodes(c, border_keys));
        std::vector<CompactRange::Node> border;
        for (auto [level, index] : CompactRange::BorderOf(size)) {
          auto found = border_hashes.find(NodeKey(level, index));
          if (found == border_hashes.end()) {
            return Status(ErrorCode::kInternal, "ledger_node_missing",
                          "the ledger's right border is incomplete");
          }
          border.push_back({level, index, found->second});
        }
        ASSIGN_OR_RETURN(CompactRange range, CompactRange::FromBorder(size, std::move(border)));
        std::vector<CompactRange::Node> completed;
        auto keep = [&completed](const CompactRange::Node& node) { completed.push_back(node); };
        for (const db::Row& row : pending) {
          std::optional<Hash> leaf_hash = FromHex(row.Text(1));
          if (!leaf_hash) {
            return Status(ErrorCode::kInternal, "ledger_corrupt", "a pending entry has no hash");
          }
          RETURN_IF_ERROR(c.Execute("UPDATE ledger_entries SET leaf_index = ? WHERE id = ?",
                                    {static_cast<int64_t>(range.size()), row.Int(0)})
                              .status());
          range.Append(*leaf_hash, keep);
        }
        constexpr size_t kNodesPerInsert = 400;
        for (size_t start = 0; start < completed.size(); start += kNodesPerInsert) {
          size_t end = std::min(completed.size(), start + kNodesPerInsert);
          std::string sql = "INSERT INTO ledger_nodes(node_key, hash) VALUES ";
          db::Params params;
          for (size_t i = start; i < end; ++i) {
            sql += i == start ? "(?, ?)" : ", (?, ?)";
            params.emplace_back(NodeKey(completed[i].level, completed[i].index));
            params.emplace_back(ToHex(completed[i].hash));
          }
          RETURN_IF_ERROR(c.Execute(sql, params).status());
        }
        StoredCheckpoint stored;
        stored.checkpoint = {origin_, range.size(), range.Root()};
        stored.note = SignCheckpoint(stored.checkpoint, signer_);
        stored.created_at = FormatUtc(clock_.Now());
        RETURN_IF_ERROR(
            c.Execute("INSERT INTO ledger_checkpoints(tree_size, root, note, created_at) "
                      "VALUES(?, ?, ?, ?)",
                      {static_cast<int64_t>(stored.checkpoint.size), ToHex(stored.checkpoint.root),
                       stored.note, stored.created_at})
                .status());
        return stored;
      });
}

Result<StoredCheckpoint> Ledger::Latest() const {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> latest, LatestOn(*c));
  if (!latest) return Status::NotFound("checkpoint");
  return *latest;
}

Result<StoredCheckpoint> Ledger::CheckpointAt(uint64_t size) const {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto rows, c->Query("SELECT " + std::string(kCheckpointColumns) +
                                           " FROM ledger_checkpoints WHERE tree_size = ?",
                                       {static_cast<int64_t>(size)}));
  if (rows.empty()) return Status::NotFound("checkpoint");
  return CheckpointOfRow(rows[0]);
}

Status Ledger::CheckSigned(db::Connection& c, uint64_t size) const {
  ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> latest, LatestOn(c));
  uint64_t signed_size = latest ? latest->checkpoint.size : 0;
  if (size == 0 || size > signed_size) {
    return Status::Invalid(
        "size", "the ledger's signed trees have 1 to " + std::to_string(signed_size) + " entries",
        "out_of_range", {{"min", 1}, {"max", signed_size}});
  }
  return Status::Ok();
}

Result<std::vector<Hash>> Ledger::Prove(
    uint64_t size, const Status& arguments,
    const std::function<Result<std::vector<Hash>>(const SubtreeHashes&)>& prove) const {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  RETURN_IF_ERROR(CheckSigned(*c, size));
  RETURN_IF_ERROR(arguments);
  // First pass: which nodes the proof reads; then one query; then the proof from them.
  std::vector<int64_t> keys;
  auto record = [&keys](uint64_t begin, uint64_t end) -> Result<Hash> {
    NodesOfRange(begin, end, keys);
    return Hash{};
  };
  RETURN_IF_ERROR(prove(record).status());
  ASSIGN_OR_RETURN(auto nodes, ReadNodes(*c, keys));
  return prove([&nodes](uint64_t begin, uint64_t end) { return HashOfRange(begin, end, nodes); });
}

Result<std::vector<Hash>> Ledger::ProveInclusion(uint64_t index, uint64_t size) const {
  Status arguments = index < size
                         ? Status::Ok()
                         : Status::Invalid("index", "the entry is not in that tree", "out_of_range",
                                           {{"min", 0}, {"max", size - 1}});
  return Prove(size, arguments,
               [&](const SubtreeHashes& subtree) { return InclusionProof(index, size, subtree); });
}

Result<std::vector<Hash>> Ledger::ProveConsistency(uint64_t old_size, uint64_t new_size) const {
  Status arguments =
      old_size != 0 && old_size <= new_size
          ? Status::Ok()
          : Status::Invalid(
                "from", "the older tree must have 1 to " + std::to_string(new_size) + " entries",
                "out_of_range", {{"min", 1}, {"max", new_size}});
  return Prove(new_size, arguments, [&](const SubtreeHashes& subtree) {
    return ConsistencyProof(old_size, new_size, subtree);
  });
}

Result<LedgerEntry> Ledger::EntryAt(uint64_t index) const {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto rows, c->Query("SELECT leaf_index, leaf, leaf_hash FROM ledger_entries "
                                       "WHERE leaf_index = ?",
                                       {static_cast<int64_t>(index)}));
  if (rows.empty()) return Status::NotFound("ledger entry");
  return EntryOfRow(rows[0]);
}

Result<std::vector<std::string>> Ledger::Leaves(uint64_t begin, uint64_t end) const {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto rows, c->Query("SELECT leaf FROM ledger_entries WHERE leaf_index >= ? "
                                       "AND leaf_index < ? ORDER BY leaf_index",
                                       {static_cast<int64_t>(begin), static_cast<int64_t>(end)}));
  if (rows.size() != end - begin) {
    return Status::Internal("ledger entries " + std::to_string(begin) + ".." + std::to_string(end) +
                            " are not all integrated");
  }
  std::vector<std::string> leaves;
  leaves.reserve(rows.size());
  for (const db::Row& row : rows) leaves.push_back(row.Text(0));
  return leaves;
}

Result<LedgerPage> Ledger::Entries(const std::string& subject, int limit, int offset) const {
  if (limit < 1 || limit > 200) {
    return Status::Invalid("limit", "from 1 to 200", "out_of_range", {{"min", 1}, {"max", 200}});
  }
  if (offset < 0) {
    return Status::Invalid("offset", "0 or more", "out_of_range", {{"min", 0}});
  }
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  std::string where = subject.empty() ? "" : " WHERE subject = ?";
  db::Params params;
  if (!subject.empty()) params.emplace_back(subject);
  params.emplace_back(int64_t{limit});
  params.emplace_back(int64_t{offset});
  ASSIGN_OR_RETURN(auto rows, c->Query("SELECT leaf_index, leaf, leaf_hash FROM ledger_entries" +
                                           where + " ORDER BY id DESC LIMIT ? OFFSET ?",
                                       params));
  LedgerPage page;
  for (const db::Row& row : rows) {
    ASSIGN_OR_RETURN(LedgerEntry entry, EntryOfRow(row));
    page.entries.push_back(std::move(entry));
  }
  ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> latest, LatestOn(*c));
  page.integrated = latest ? latest->checkpoint.size : 0;
  ASSIGN_OR_RETURN(int64_t pending,
                   c->QueryInt("SELECT COUNT(*) FROM ledger_entries WHERE leaf_index IS NULL"));
  page.pending = static_cast<uint64_t>(pending);
  return page;
}

Result<StoredCheckpoint> Ledger::Cosign(uint64_t size, const std::string& signature_line,
                                        const std::vector<NoteVerifier>& witnesses) {
  std::string line = signature_line;
  if (line.empty() || line.back() != '\n') line += '\n';
  return db::InTransaction<StoredCheckpoint>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<StoredCheckpoint> {
        RETURN_IF_ERROR(c.Lock("ledger", "cosign"));
        ASSIGN_OR_RETURN(auto rows, c.Query("SELECT " + std::string(kCheckpointColumns) +
                                                " FROM ledger_checkpoints WHERE tree_size = ?",
                                            {static_cast<int64_t>(size)}));
        if (rows.empty()) return Status::NotFound("checkpoint");
        ASSIGN_OR_RETURN(StoredCheckpoint stored, CheckpointOfRow(rows[0]));
        ASSIGN_OR_RETURN(OpenedNote opened, OpenCheckpoint(stored.note));
        bool valid = false;
        for (const NoteVerifier& witness : witnesses)
          valid = valid || witness.Verifies(opened.body, line);
        if (!valid) {
          return Status::Invalid("signature",
                                 "not a signature of this checkpoint by a known witness",
                                 "bad_signature");
        }
        for (const std::string& existing : opened.signature_lines) {
          if (existing == line) return stored;
        }
        stored.note += line;
        RETURN_IF_ERROR(c.Execute("UPDATE ledger_checkpoints SET note = ? WHERE tree_size = ?",
                                  {stored.note, static_cast<int64_t>(size)})
                            .status());
        return stored;
      });
}

Result<NoteSigner> LoadOrCreateSignerKey(const std::string& path, const std::string& name) {
  std::ifstream in(path);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    Result<NoteSigner> signer = NoteSigner::Parse(text.str());
    if (!signer.ok()) return Status::InvalidArgument(path + ": " + signer.status().message());
    return signer;
  }
  ASSIGN_OR_RETURN(NoteSigner signer, NoteSigner::Generate(name));
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    // Another process may have created it between our read and our write: read theirs.
    if (errno == EEXIST) return LoadOrCreateSignerKey(path, name);
    return Status(ErrorCode::kUnavailable, "ledger_key",
                  "cannot create " + path + ": " + std::strerror(errno));
  }
  std::string text = signer.Text() + "\n";
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                 ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    return Status(ErrorCode::kUnavailable, "ledger_key", "cannot write " + path);
  }
  return signer;
}

bool MayReadLedgerEntries(const identity::Principal& principal) {
  using identity::Role;
  return principal.IsPlatformAdmin() || principal.HasRoleAnywhere(Role::kParkOperator) ||
         principal.HasRoleAnywhere(Role::kComplianceOfficer);
}

bool MayCosignLedger(const identity::Principal& principal) {
  return principal.IsPlatformAdmin() ||
         principal.HasRoleAnywhere(identity::Role::kComplianceOfficer);
}

}  // namespace parkhub::governance
