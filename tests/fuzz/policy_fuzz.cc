// Fuzz target: a policy document (TOML), the operator-edited input of the governance engine.
// Whatever parses must decide a minimal request of each of its kinds, with the explanation,
// without crashing; and it must read back the same from its own JSON (same hash).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/random.h"
#include "governance/policy.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  parkhub::InitCrypto();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parkhub::governance;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto policy = PolicySet::FromToml(text);
  if (!policy.ok()) return 0;
  auto again = PolicySet::FromJson((*policy)->document());
  if (!again.ok() || (*again)->hash() != (*policy)->hash()) std::abort();
  WhitelistIndex whitelist;
  const auto& kind = (*policy)->fields()[*(*policy)->FieldSlot("kind")];
  for (const std::string& value : kind.values) {
    auto facts = (*policy)->ReadFacts({{"kind", value}, {"at", "2026-06-01T09:00:00Z"}});
    if (!facts.ok()) continue;
    Decision decision = (*policy)->Decide(*facts, whitelist);
    (*policy)->Explain(*facts, whitelist, decision);
    (void)DecisionJson(**policy, decision);
  }
  return 0;
}
