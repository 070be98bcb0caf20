// The audit ledger (governance/ledger.h): its signed checkpoints, the proofs that an entry is in
// the log and that the log only grew, its entries for those who may read them, a witness's
// cosignature, and the bundle a regulator checks offline. Hashes travel in base64, as in the
// checkpoints themselves.
#include "api/api.h"
#include "api/handler_util.h"
#include "governance/regulator_bundle.h"

namespace parkhub::api {
namespace {

json CheckpointJson(const governance::StoredCheckpoint& stored, const governance::Ledger& ledger) {
  return {{"origin", stored.checkpoint.origin},
          {"size", stored.checkpoint.size},
          {"root", governance::ToBase64(stored.checkpoint.root)},
          {"note", stored.note},
          {"created_at", stored.created_at},
          {"verifier_key", ledger.verifier().Text()}};
}

json HashesJson(const std::vector<governance::Hash>& hashes) {
  json out = json::array();
  for (const auto& hash : hashes) out.push_back(governance::ToBase64(hash));
  return out;
}

json EntryJson(const governance::LedgerEntry& entry) {
  return {{"index", entry.leaf_index ? json(*entry.leaf_index) : json(nullptr)},
          {"kind", entry.kind},
          {"subject", entry.subject},
          {"actor", entry.actor},
          {"recorded_at", entry.recorded_at},
          {"details", entry.details},
          {"leaf", entry.leaf},
          {"leaf_hash", governance::ToBase64(entry.leaf_hash)}};
}

// A non-negative integer query parameter that must be present.
Result<uint64_t> SizeQuery(const http::HttpRequest& request, const std::string& name) {
  ASSIGN_OR_RETURN(int value, IntQuery(request, name, -1));
  if (value < 0) {
    return Status::Invalid(name, "required: a number of entries", "required");
  }
  return static_cast<uint64_t>(value);
}

Result<uint64_t> SizeParam(const std::string& text) {
  if (text.empty() || text.size() > 12 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Invalid("size", "a number of entries", "wrong_type", {{"expected", "integer"}});
  }
  return std::stoull(text);
}

}  // namespace

void AddLedgerRoutes(RouteTable& routes, governance::Ledger& ledger,
                     const std::vector<governance::NoteVerifier>& witnesses) {
  routes.push_back({"GET", "/api/v1/ledger/checkpoint", Access::kSignedIn, BodyKind::kNone,
                    [&ledger](RequestContext& c) {
                      if (Status s = CheckQueryParams(c.request, {}); !s.ok()) return Problem(s);
                      return Respond(ledger.Latest(), 200, [&ledger](const auto& stored) {
                        return CheckpointJson(stored, ledger);
                      });
                    }});
  routes.push_back({"GET", "/api/v1/ledger/checkpoints/{size}", Access::kSignedIn, BodyKind::kNone,
                    [&ledger](RequestContext& c) {
                      if (Status s = CheckQueryParams(c.request, {}); !s.ok()) return Problem(s);
                      auto size = SizeParam(c.request.Param("size"));
                      if (!size.ok()) return Problem(size.status());
                      return Respond(
                          ledger.CheckpointAt(*size), 200,
                          [&ledger](const auto& stored) { return CheckpointJson(stored, ledger); });
                    }});
  routes.push_back({"GET", "/api/v1/ledger/proofs/inclusion", Access::kSignedIn, BodyKind::kNone,
                    [&ledger](RequestContext& c) {
                      if (Status s = CheckQueryParams(c.request, {"index", "size"}); !s.ok())
                        return Problem(s);
                      auto index = SizeQuery(c.request, "index");
                      if (!index.ok()) return Problem(index.status());
                      auto size = SizeQuery(c.request, "size");
                      if (!size.ok()) return Problem(size.status());
                      auto proof = ledger.ProveInclusion(*index, *size);
                      if (!proof.ok()) return Problem(proof.status());
                      auto entry = ledger.EntryAt(*index);
                      if (!entry.ok()) return Problem(entry.status());
                      return http::HttpResponse::Json(
                          200, json{{"index", *index},
                                    {"size", *size},
                                    {"leaf_hash", governance::ToBase64(entry->leaf_hash)},
                                    {"hashes", HashesJson(*proof)}});
                    }});
  routes.push_back(
      {"GET", "/api/v1/ledger/proofs/consistency", Access::kSignedIn, BodyKind::kNone,
       [&ledger](RequestContext& c) {
         if (Status s = CheckQueryParams(c.request, {"from", "to"}); !s.ok()) return Problem(s);
         auto from = SizeQuery(c.request, "from");
         if (!from.ok()) return Problem(from.status());
         auto to = SizeQuery(c.request, "to");
         if (!to.ok()) return Problem(to.status());
         return Respond(ledger.ProveConsistency(*from, *to), 200, [&](const auto& proof) {
           return json{{"from", *from}, {"to", *to}, {"hashes", HashesJson(proof)}};
         });
       }});
  routes.push_back(
      {"GET", "/api/v1/ledger/entries", Access::kSignedIn, BodyKind::kNone,
       [&ledger](RequestContext& c) {
         if (!governance::MayReadLedgerEntries(c.principal)) {
           return Problem(
               Status::PermissionDenied("only compliance officers, park operators and "
                                        "platform admins read the ledger's entries"));
         }
         if (Status s = CheckQueryParams(c.request, {"subject", "limit", "offset"}); !s.ok()) {
           return Problem(s);
         }
         struct {
           int limit;
           int offset;
         } paging{};
         if (Status s = ReadPaging(c.request, 50, paging); !s.ok()) return Problem(s);
         return Respond(
             ledger.Entries(StringQuery(c.request, "subject"), paging.limit, paging.offset), 200,
             [](const governance::LedgerPage& page) {
               json items = json::array();
               for (const auto& entry : page.entries) items.push_back(EntryJson(entry));
               return json{
                   {"items", items}, {"integrated", page.integrated}, {"pending", page.pending}};
             });
       }});
  routes.push_back({"GET", "/api/v1/ledger/export", Access::kSignedIn, BodyKind::kNone,
                    [&ledger](RequestContext& c) {
                      if (!governance::MayReadLedgerEntries(c.principal)) {
                        return Problem(Status::PermissionDenied(
                            "only compliance officers, park operators and platform admins "
                            "export the ledger"));
                      }
                      if (Status s = CheckQueryParams(c.request, {"size"}); !s.ok()) {
                        return Problem(s);
                      }
                      std::optional<uint64_t> size;
                      if (!StringQuery(c.request, "size").empty()) {
                        auto parsed = SizeParam(StringQuery(c.request, "size"));
                        if (!parsed.ok()) return Problem(parsed.status());
                        size = *parsed;
                      }
                      auto bundle = governance::ExportLedgerBundle(ledger, size);
                      if (!bundle.ok()) return Problem(bundle.status());
                      auto response = http::HttpResponse::Json(200, *bundle);
                      response.SetHeader("Content-Disposition",
                                         "attachment; filename=\"audit-ledger-" +
                                             std::to_string((*bundle)["entries"].size()) +
                                             ".json\"");
                      return response;
                    }});
  routes.push_back({"POST", "/api/v1/ledger/checkpoints/{size}/cosignatures", Access::kSignedIn,
                    BodyKind::kJson, [&ledger, &witnesses](RequestContext& c) {
                      if (!governance::MayCosignLedger(c.principal)) {
                        return Problem(Status::PermissionDenied(
                            "only compliance officers and platform admins add cosignatures"));
                      }
                      auto size = SizeParam(c.request.Param("size"));
                      if (!size.ok()) return Problem(size.status());
                      auto body = ParseJsonObject(c.request);
                      if (!body.ok()) return Problem(body.status());
                      BodyReader reader(*body, {"signature"});
                      std::optional<std::string> signature = reader.String("signature", true);
                      if (Status s = reader.Finish(); !s.ok()) return Problem(s);
                      return Respond(
                          ledger.Cosign(*size, *signature, witnesses), 200,
                          [&ledger](const auto& stored) { return CheckpointJson(stored, ledger); });
                    }});
}

}  // namespace parkhub::api
