#include "matching/index_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <thread>

namespace parkhub::matching {
namespace {

constexpr char kMagic[] = "PHIX1\n";
constexpr size_t kMinCommonFilter = 1024;  // documents; below, a list is small enough
constexpr size_t kCommonFilterShare = 5;   // on one document in this many: common
constexpr size_t kParallelImpactsFrom = 1000000;  // postings; below, threads cost more than they save

class Writer {
 public:
  explicit Writer(std::FILE* file) : file_(file) {}
  void Bytes(const void* data, size_t size) {
    if (size > 0 && std::fwrite(data, 1, size, file_) != size) ok_ = false;
  }
  template <typename T>
  void Number(T value) { Bytes(&value, sizeof value); }
  void String(std::string_view s) {
    Number<uint32_t>(static_cast<uint32_t>(s.size()));
    Bytes(s.data(), s.size());
  }
  template <typename T>
  void Array(const std::vector<T>& items) {
    Number<uint64_t>(items.size());
    Bytes(items.data(), items.size() * sizeof(T));
  }
  bool ok() const { return ok_; }

 private:
  std::FILE* file_;
  bool ok_ = true;
};

class Reader {
 public:
  explicit Reader(std::ifstream& in) : in_(in) {}
  void Bytes(void* data, size_t size) {
    if (size > 0 && !in_.read(static_cast<char*>(data), static_cast<std::streamsize>(size))) ok_ = false;
  }
  template <typename T>
  T Number() {
    T value{};
    Bytes(&value, sizeof value);
    return value;
  }
  std::string String() {
    uint32_t size = Number<uint32_t>();
    if (!ok_ || size > (1u << 30)) return Fail<std::string>();
    std::string s(size, '\0');
    Bytes(s.data(), size);
    return s;
  }
  template <typename T>
  std::vector<T> Array() {
    uint64_t size = Number<uint64_t>();
    if (!ok_ || size > (1ull << 34)) return Fail<std::vector<T>>();
    std::vector<T> items(size);
    Bytes(items.data(), size * sizeof(T));
    return items;
  }
  bool ok() const { return ok_; }
  void MarkDamaged() { ok_ = false; }

 private:
  template <typename T>
  T Fail() {
    ok_ = false;
    return T{};
  }
  std::ifstream& in_;
  bool ok_ = true;
};

// Every number in the store points inside it, so a damaged file cannot make a search read
// out of bounds.
bool Consistent(const IndexStore& store) {
  size_t documents = store.ids.size();
  for (const auto& list : store.postings) {
    if (list.docs.size() != list.frequencies.size()) return false;
    for (size_t i = 0; i < list.docs.size(); ++i) {
      if (list.docs[i] >= documents || (i > 0 && list.docs[i] <= list.docs[i - 1])) return false;
    }
  }
  for (const auto& filters : store.filters) {
    for (uint32_t f : filters) {
      if (f >= store.filter_names.size()) return false;
    }
  }
  for (const auto& values : store.values) {
    for (unsigned slot = 0; slot < kValueSlots; ++slot) {
      if (values[slot] >= store.slots[slot].strings.size()) return false;
    }
  }
  return true;
}

}  // namespace

bool FilterPostings::Has(uint32_t doc) const {
  if (!bits_.empty()) return doc / 64 < bits_.size() && (bits_[doc / 64] >> (doc % 64) & 1) != 0;
  return std::binary_search(docs_.begin(), docs_.end(), doc);
}

void FilterPostings::MarkRange(uint32_t first, std::vector<uint64_t>& mask) const {
  const uint64_t end = uint64_t{first} + 64 * mask.size();
  if (!bits_.empty()) {
    for (size_t word = 0, from = first / 64; word < mask.size() && from + word < bits_.size(); ++word) {
      mask[word] |= bits_[from + word];
    }
    return;
  }
  for (auto it = std::lower_bound(docs_.begin(), docs_.end(), first); it != docs_.end() && *it < end; ++it) {
    uint32_t slot = *it - first;
    mask[slot / 64] |= uint64_t{1} << (slot % 64);
  }
}

void FilterPostings::Add(uint32_t doc, size_t documents) {
  ++count_;
  if (bits_.empty()) {
    docs_.push_back(doc);
    if (docs_.size() < kMinCommonFilter || docs_.size() * kCommonFilterShare < documents) return;
    bits_.assign(documents / 64 + 1, 0);
    for (uint32_t d : docs_) bits_[d / 64] |= uint64_t{1} << (d % 64);
    docs_ = {};
    return;
  }
  if (doc / 64 >= bits_.size()) bits_.resize(std::max(bits_.size() * 2, size_t{doc} / 64 + 1), 0);
  bits_[doc / 64] |= uint64_t{1} << (doc % 64);
}

uint32_t SlotTable::Intern(const std::string& value) {
  if (value.empty()) return 0;
  auto [it, added] = ids.try_emplace(value, static_cast<uint32_t>(strings.size()));
  if (added) {
    strings.push_back(value);
    char* end = nullptr;
    double number = std::strtod(value.c_str(), &end);
    numbers.push_back(end != nullptr && *end == '\0' ? number : 0.0);
  }
  return it->second;
}

uint32_t IndexStore::TermId(std::string_view term, uint64_t hash) {
  uint32_t id = terms.Intern(term, hash);
  if (id == postings.size()) postings.emplace_back();
  return id;
}

uint32_t IndexStore::FilterId(const std::string& term) {
  auto [it, added] = filter_ids.try_emplace(term, static_cast<uint32_t>(filter_names.size()));
  if (added) {
    filter_names.push_back(term);
    filter_docs.emplace_back();
  }
  return it->second;
}

void IndexStore::Compact() {
  std::vector<uint32_t> renumbered(ids.size(), UINT32_MAX);
  uint32_t next = 0;
  total_length = 0;
  for (uint32_t d = 0; d < ids.size(); ++d) {
    if (!alive[d]) continue;
    renumbered[d] = next;
    if (next != d) {
      ids[next] = std::move(ids[d]);
      lengths[next] = lengths[d];
      filters[next] = std::move(filters[d]);
      values[next] = values[d];
    }
    alive[next] = 1;
    total_length += lengths[next];
    ++next;
  }
  lengths.resize(next);
  ids.resize(next);
  alive.resize(next);
  filters.resize(next);
  values.resize(next);
  TermDictionary kept_terms;
  std::vector<PostingList> kept;
  for (uint32_t id = 0; id < terms.size(); ++id) {
    PostingList list;
    const PostingList& old = postings[id];
    for (size_t i = 0; i < old.docs.size(); ++i) {
      uint32_t doc = renumbered[old.docs[i]];
      if (doc == UINT32_MAX) continue;
      list.docs.push_back(doc);
      list.frequencies.push_back(old.frequencies[i]);
    }
    if (list.docs.empty()) continue;
    list.IndexSkips();
    kept_terms.Intern(terms.Term(id));
    kept.push_back(std::move(list));
  }
  terms = std::move(kept_terms);
  postings = std::move(kept);
  IndexFilters();
  IndexImpacts();
}

uint8_t Impact(unsigned frequency, float length, double average_length) {
  double tf = frequency;
  double factor = tf * (kK1 + 1.0) / (tf + kK1 * (1.0 - kB + kB * length / average_length));
  return static_cast<uint8_t>(std::clamp(std::ceil(factor / kImpactStep), 1.0, 255.0));
}

double IndexStore::AverageLength() const {
  return std::max(1e-9, total_length / std::max<double>(1, static_cast<double>(ids.size())));
}

void PostingList::Append(uint32_t doc, uint8_t frequency, uint8_t impact) {
  if (docs.size() % kSkipStep == 0) {
    skips.push_back(doc);
    block_max.push_back(0);
  }
  docs.push_back(doc);
  frequencies.push_back(frequency);
  impacts.push_back(impact);
  block_max.back() = std::max(block_max.back(), impact);
  max_impact = std::max(max_impact, impact);
}

void PostingList::IndexSkips() {
  skips.clear();
  for (size_t i = 0; i < docs.size(); i += kSkipStep) skips.push_back(docs[i]);
}

void IndexStore::AddPosting(PostingList& list, uint32_t doc, uint8_t frequency) const {
  list.Append(doc, frequency, Impact(frequency, lengths[doc], impact_average));
}

void IndexStore::IndexImpacts() {
  impact_average = AverageLength();
  auto index_range = [this](size_t first, size_t last) {
    for (size_t term = first; term < last; ++term) {
      PostingList& list = postings[term];
      list.impacts.resize(list.docs.size());
      list.block_max.assign(list.skips.size(), 0);
      list.max_impact = 0;
      for (size_t i = 0; i < list.docs.size(); ++i) {
        list.impacts[i] = Impact(list.frequencies[i], lengths[list.docs[i]], impact_average);
        uint8_t& block = list.block_max[i / kSkipStep];
        block = std::max(block, list.impacts[i]);
        list.max_impact = std::max(list.max_impact, list.impacts[i]);
      }
    }
  };
  // A pass over every posting: on a loaded index of a million listings it is most of the start
  // time, so the terms are split between threads by posting count.
  size_t total = 0;
  for (const auto& list : postings) total += list.docs.size();
  size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
  if (threads == 1 || total < kParallelImpactsFrom) return index_range(0, postings.size());
  std::vector<std::thread> workers;
  size_t first = 0, counted = 0;
  for (size_t term = 0; term < postings.size(); ++term) {
    counted += postings[term].docs.size();
    if (counted * threads >= total * (workers.size() + 1) && workers.size() + 1 < threads) {
      workers.emplace_back(index_range, first, term + 1);
      first = term + 1;
    }
  }
  index_range(first, postings.size());
  for (auto& worker : workers) worker.join();
}

void IndexStore::IndexFilters() {
  filter_docs.assign(filter_names.size(), FilterPostings());
  for (uint32_t doc = 0; doc < filters.size(); ++doc) {
    for (uint32_t id : filters[doc]) filter_docs[id].Add(doc, filters.size());
  }
}

Status WriteSnapshot(const std::string& path, const IndexStore& store, int64_t last_seq) {
  std::string temporary = path + ".tmp";
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) return Status::Internal("cannot write " + temporary + ": " + std::strerror(errno));
  Writer w(file);
  w.Bytes(kMagic, sizeof kMagic - 1);
  w.Number<int64_t>(last_seq);
  w.Number<uint64_t>(store.terms.size());
  for (uint32_t id = 0; id < store.terms.size(); ++id) {
    w.String(store.terms.Term(id));
    w.Array(store.postings[id].docs);
    w.Array(store.postings[id].frequencies);
  }
  w.Number<uint64_t>(store.filter_names.size());
  for (const auto& name : store.filter_names) w.String(name);
  for (const auto& slot : store.slots) {
    w.Number<uint64_t>(slot.strings.size());
    for (const auto& s : slot.strings) w.String(s);
  }
  w.Number<uint64_t>(store.ids.size());
  for (size_t d = 0; d < store.ids.size(); ++d) {
    w.String(store.ids[d]);
    w.Number<float>(store.lengths[d]);
    w.Number<uint8_t>(store.alive[d]);
    w.Array(store.filters[d]);
    w.Bytes(store.values[d].data(), sizeof(uint32_t) * kValueSlots);
  }
  bool flushed = w.ok() && std::fflush(file) == 0 && fsync(fileno(file)) == 0;
  bool closed = std::fclose(file) == 0;
  if (!flushed || !closed || std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return Status::Internal("cannot write the search index snapshot " + path);
  }
  return Status::Ok();
}

Result<int64_t> ReadSnapshot(const std::string& path, IndexStore& store) {
  std::ifstream in(path, std::ios::binary);
  Reader r(in);
  char magic[sizeof kMagic - 1];
  r.Bytes(magic, sizeof magic);
  if (!r.ok() || std::memcmp(magic, kMagic, sizeof magic) != 0) {
    return Status::Internal(path + " is not a ParkHub index snapshot: run `parkhub reindex`");
  }
  IndexStore loaded;
  int64_t last_seq = r.Number<int64_t>();
  uint64_t terms = r.Number<uint64_t>();
  for (uint64_t id = 0; r.ok() && id < terms; ++id) {
    std::string term = r.String();
    PostingList list;
    list.docs = r.Array<uint32_t>();
    list.frequencies = r.Array<uint8_t>();
    list.IndexSkips();
    if (loaded.terms.Intern(term) != id) r.MarkDamaged();  // a term twice
    loaded.postings.push_back(std::move(list));
  }
  uint64_t filters = r.Number<uint64_t>();
  for (uint64_t i = 0; r.ok() && i < filters; ++i) loaded.FilterId(r.String());
  for (auto& slot : loaded.slots) {
    uint64_t count = r.Number<uint64_t>();
    for (uint64_t i = 0; r.ok() && i < count; ++i) {
      std::string value = r.String();
      if (i > 0) slot.Intern(value);
    }
  }
  uint64_t documents = r.Number<uint64_t>();
  for (uint64_t d = 0; r.ok() && d < documents; ++d) {
    loaded.ids.push_back(r.String());
    loaded.lengths.push_back(r.Number<float>());
    loaded.alive.push_back(r.Number<uint8_t>());
    loaded.filters.push_back(r.Array<uint32_t>());
    std::array<uint32_t, kValueSlots> values{};
    r.Bytes(values.data(), sizeof(uint32_t) * kValueSlots);
    loaded.values.push_back(values);
    loaded.total_length += loaded.lengths.back();
  }
  if (!r.ok() || !Consistent(loaded)) {
    return Status::Internal(path + " is truncated or damaged: run `parkhub reindex`");
  }
  loaded.IndexFilters();
  loaded.IndexImpacts();
  store = std::move(loaded);
  return last_seq;
}

}  // namespace parkhub::matching
