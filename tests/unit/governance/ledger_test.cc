#include "governance/ledger.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "governance/audit_verifier.h"
#include "governance/regulator_bundle.h"
#include "support/test_app.h"

namespace parkhub::governance {
namespace {

using testing::TestApp;

// These tests count the entries they append: the one the server appended at start (the policy
// version it installed, not yet integrated) is removed first.
void StartWithAnEmptyLedger(db::Database& database) {
  auto c = database.Acquire();
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE((*c)->Execute("DELETE FROM ledger_entries WHERE kind = 'policy_activated'").ok());
}

class LedgerTest : public ::testing::Test {
 protected:
  LedgerTest() : clock_(*ParseUtc("2026-11-30T08:00:00Z")), app_({}, &clock_) {
    StartWithAnEmptyLedger(database());
  }

  Ledger& ledger() { return app_.app().ledger(); }
  db::Database& database() { return app_.app().database(); }

  void Append(int count, const std::string& kind = "decision") {
    for (int i = 0; i < count; ++i) {
      LedgerRecord record{kind,
                          "req_" + std::to_string(appended_),
                          "alice",
                          {{"decision", "allow"}, {"rule", "r" + std::to_string(appended_)}}};
      ++appended_;
      Status s = db::InTransaction<bool>(database(), db::TxMode::kWrite,
                                         [&](db::Connection& c) -> Result<bool> {
                                           RETURN_IF_ERROR(ledger().Append(c, record));
                                           return true;
                                         })
                     .status();
      ASSERT_TRUE(s.ok()) << s.message();
    }
  }

  void Sql(const std::string& sql, const db::Params& params = {}) {
    auto c = database().Acquire();
    ASSERT_TRUE(c.ok());
    auto done = (*c)->Execute(sql, params);
    ASSERT_TRUE(done.ok()) << done.status().message();
  }

  AuditReport Verify() {
    auto report = VerifyLedger(database(), ledger().verifier());
    EXPECT_TRUE(report.ok()) << report.status().message();
    return report.ok() ? *report : AuditReport{};
  }

  // Appends and integrates 25 entries in three checkpoints (5, 12, 25).
  void Build() {
    Append(5);
    ASSERT_TRUE(ledger().Integrate().ok());
    Append(7);
    ASSERT_TRUE(ledger().Integrate().ok());
    Append(13);
    ASSERT_TRUE(ledger().Integrate().ok());
  }

  ManualClock clock_;
  TestApp app_;
  int appended_ = 0;
};

TEST_F(LedgerTest, IntegrationSignsACheckpointWhoseProofsVerify) {
  Append(5);
  auto first = ledger().Integrate();
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->checkpoint.size, 5u);
  Append(8);
  clock_.Advance(std::chrono::minutes(1));
  auto second = ledger().Integrate();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->checkpoint.size, 13u);
  // The note is a C2SP checkpoint signed with the ledger's key.
  auto opened = OpenCheckpoint(second->note);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->checkpoint.origin, "parkhub.local/audit-ledger");
  EXPECT_EQ(opened->checkpoint.root, second->checkpoint.root);
  EXPECT_TRUE(SignedBy(*opened, ledger().verifier()));

  for (uint64_t index = 0; index < 13; ++index) {
    auto entry = ledger().EntryAt(index);
    ASSERT_TRUE(entry.ok());
    auto proof = ledger().ProveInclusion(index, 13);
    ASSERT_TRUE(proof.ok()) << proof.status().message();
    EXPECT_TRUE(VerifyInclusion(index, 13, entry->leaf_hash, *proof, second->checkpoint.root));
    EXPECT_EQ(LeafHash(entry->leaf), entry->leaf_hash);
  }
  auto consistency = ledger().ProveConsistency(5, 13);
  ASSERT_TRUE(consistency.ok());
  EXPECT_TRUE(
      VerifyConsistency(5, 13, first->checkpoint.root, second->checkpoint.root, *consistency));

  // The time is inside the leaf, so it cannot change unseen.
  auto entry = ledger().EntryAt(12);
  EXPECT_EQ(entry->recorded_at, "2026-11-30T08:00:00Z");
  EXPECT_NE(entry->leaf.find("\"at\":\"2026-11-30T08:00:00Z\""), std::string::npos);
  EXPECT_EQ(entry->kind, "decision");
  EXPECT_EQ(entry->details["decision"], "allow");

  EXPECT_EQ(ledger().ProveInclusion(13, 13).status().code(), ErrorCode::kUnprocessable);
  EXPECT_EQ(ledger().ProveInclusion(0, 14).status().code(), ErrorCode::kUnprocessable)
      << "no signed tree has 14 entries";
  EXPECT_EQ(ledger().ProveConsistency(0, 13).status().code(), ErrorCode::kUnprocessable);
}

TEST_F(LedgerTest, AnEntryExistsOnlyWhenItsTransactionCommits) {
  Status failed =
      db::InTransaction<bool>(database(), db::TxMode::kWrite,
                              [&](db::Connection& c) -> Result<bool> {
                                RETURN_IF_ERROR(ledger().Append(c, {"decision", "x", "alice", {}}));
                                return Status::Conflict("later", "a later step failed");
                              })
          .status();
  EXPECT_FALSE(failed.ok());
  auto page = ledger().Entries("", 50, 0);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->pending, 0u);
  EXPECT_TRUE(page->entries.empty());
}

TEST_F(LedgerTest, EntriesArePagedNewestFirstAndFoundBySubject) {
  Append(3);
  auto pending = ledger().Entries("", 50, 0);
  EXPECT_EQ(pending->pending, 3u);
  EXPECT_FALSE(pending->entries[0].leaf_index.has_value());
  ASSERT_TRUE(ledger().Integrate().ok());
  auto page = ledger().Entries("", 2, 0);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->entries.size(), 2u);
  EXPECT_EQ(page->entries[0].subject, "req_2");
  EXPECT_EQ(*page->entries[0].leaf_index, 2u);
  EXPECT_EQ(page->integrated, 3u);
  auto one = ledger().Entries("req_1", 50, 0);
  ASSERT_EQ(one->entries.size(), 1u);
  EXPECT_EQ(*one->entries[0].leaf_index, 1u);
  EXPECT_EQ(ledger().Entries("", 0, 0).status().code(), ErrorCode::kUnprocessable);
}

TEST_F(LedgerTest, TheVerifierPassesAnIntactLedgerOfSeveralCheckpoints) {
  Build();
  Append(2);  // pending entries are not a fault
  AuditReport report = Verify();
  EXPECT_TRUE(report.intact()) << report.problem->message;
  EXPECT_EQ(report.entries, 25u);
  EXPECT_EQ(report.checkpoints, 3u);
  EXPECT_EQ(report.pending, 2u);
  EXPECT_EQ(report.latest->root, ledger().Latest()->checkpoint.root);
}

TEST_F(LedgerTest, AnEditedEntryIsNamed) {
  Build();
  Sql("UPDATE ledger_entries SET leaf = REPLACE(leaf, 'allow', 'deny') WHERE leaf_index = 9");
  AuditReport report = Verify();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.problem->code, "edited_entry");
  EXPECT_EQ(*report.problem->entry, 9u);
}

TEST_F(LedgerTest, AColumnChangedBesideItsLeafIsNamed) {
  Build();
  Sql("UPDATE ledger_entries SET subject = 'req_other' WHERE leaf_index = 2");
  AuditReport report = Verify();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.problem->code, "edited_entry");
  EXPECT_EQ(*report.problem->entry, 2u);
  EXPECT_NE(report.problem->message.find("kind or subject"), std::string::npos);
}

TEST_F(LedgerTest, AnEditWithItsHashRecomputedIsStillNamed) {
  Build();
  std::string forged = ledger().EntryAt(7)->leaf;
  forged.replace(forged.find("allow"), 5, "deny!");
  Sql("UPDATE ledger_entries SET leaf = ?, leaf_hash = ? WHERE leaf_index = 7",
      {forged, ToHex(LeafHash(forged))});
  AuditReport report = Verify();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.problem->code, "edited_entry");
  EXPECT_EQ(*report.problem->entry, 7u);
  // And with the tree's first level rewritten too, the signed root still catches it, between
  // the last checkpoint that held and the first that does not.
  Sql("UPDATE ledger_nodes SET hash = ? WHERE node_key = 7", {ToHex(LeafHash(forged))});
  report = Verify();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.problem->code, "root_mismatch");
  EXPECT_EQ(*report.problem->entry, 5u);
  EXPECT_EQ(*report.problem->checkpoint, 12u);
}

TEST_F(LedgerTest, ADeletedEntryIsNamed) {
  Build();
  Sql("DELETE FROM ledger_entries WHERE leaf_index = 14");
  AuditReport report = Verify();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.problem->code, "missing_entry");
  EXPECT_EQ(*report.problem->entry, 14u);
  Sql("DELETE FROM ledger_entries WHERE leaf_index >= 14");
  report = Verify();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.problem->code, "missing_entry") << "the tail too";
  EXPECT_EQ(*report.problem->entry, 14u);
}

TEST_F(LedgerTest, ReorderedEntriesAreNamed) {
  Build();
  Sql("UPDATE ledger_entries SET leaf_index = -1 WHERE leaf_index = 3");
  Sql("UPDATE ledger_entries SET leaf_index = 3 WHERE leaf_index = 4");
  Sql("UPDATE ledger_entries SET leaf_index = 4 WHERE leaf_index = -1");
  AuditReport report = Verify();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.problem->code, "edited_entry");
  EXPECT_EQ(*report.problem->entry, 3u);
}

TEST_F(LedgerTest, AnInsertedEntryIsNamed) {
  Build();
  std::string leaf =
      LeafOf({"decision", "req_x", "mallory", {{"decision", "allow"}}}, "2026-11-30T08:00:00Z");
  Sql("INSERT INTO ledger_entries(leaf_index, kind, subject, leaf, leaf_hash) "
      "VALUES(25, 'decision', 'req_x', ?, ?)",
      {leaf, ToHex(LeafHash(leaf))});
  AuditReport report = Verify();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.problem->code, "inserted_entry");
  EXPECT_EQ(*report.problem->entry, 25u);
}

TEST_F(LedgerTest, ACheckpointNotSignedByTheLedgersKeyFails) {
  Build();
  auto impostor = NoteSigner::Generate("parkhub.local/audit-ledger");
  Checkpoint forged{"parkhub.local/audit-ledger", 12, ledger().CheckpointAt(12)->checkpoint.root};
  Sql("UPDATE ledger_checkpoints SET note = ? WHERE tree_size = 12",
      {SignCheckpoint(forged, *impostor)});
  AuditReport report = Verify();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.problem->code, "bad_signature");
  EXPECT_EQ(*report.problem->checkpoint, 12u);
}

TEST_F(LedgerTest, OnlyAKnownWitnessCosigns) {
  Build();
  auto witness = NoteSigner::Generate("hk-witness");
  auto stranger = NoteSigner::Generate("hk-witness");
  std::vector<NoteVerifier> witnesses{witness->Verifier()};
  std::string body = OpenCheckpoint(ledger().CheckpointAt(12)->note)->body;
  auto refused = ledger().Cosign(12, stranger->SignatureLine(body), witnesses);
  EXPECT_EQ(refused.status().code(), ErrorCode::kUnprocessable);
  auto cosigned = ledger().Cosign(12, witness->SignatureLine(body), witnesses);
  ASSERT_TRUE(cosigned.ok()) << cosigned.status().message();
  auto opened = OpenCheckpoint(cosigned->note);
  EXPECT_EQ(opened->signature_lines.size(), 2u);
  EXPECT_TRUE(SignedBy(*opened, witness->Verifier()));
  auto again = ledger().Cosign(12, witness->SignatureLine(body), witnesses);
  EXPECT_EQ(OpenCheckpoint(again->note)->signature_lines.size(), 2u) << "idempotent";
  EXPECT_TRUE(Verify().intact()) << "a cosigned checkpoint still verifies";
}

TEST_F(LedgerTest, ARegulatorsBundleVerifiesOfflineAndAnyChangeToItFails) {
  Build();
  auto witness = NoteSigner::Generate("hk-witness");
  std::string body = OpenCheckpoint(ledger().CheckpointAt(25)->note)->body;
  ASSERT_TRUE(ledger().Cosign(25, witness->SignatureLine(body), {witness->Verifier()}).ok());
  auto bundle = ExportLedgerBundle(ledger(), std::nullopt);
  ASSERT_TRUE(bundle.ok()) << bundle.status().message();
  ASSERT_EQ((*bundle)["entries"].size(), 25u);
  // Through text, as a regulator receives it.
  nlohmann::json received = nlohmann::json::parse(bundle->dump());
  BundleReport report = VerifyLedgerBundle(received, ledger().verifier(), {witness->Verifier()});
  EXPECT_TRUE(report.intact()) << report.message;
  EXPECT_EQ(report.checkpoint.size, 25u);
  EXPECT_EQ(report.cosigners, std::vector<std::string>{"hk-witness"});
  // An earlier checkpoint's bundle is a prefix of this one.
  auto earlier = ExportLedgerBundle(ledger(), 12);
  ASSERT_EQ((*earlier)["entries"].size(), 12u);
  EXPECT_TRUE(VerifyLedgerBundle(*earlier, ledger().verifier(), {}).intact());
  EXPECT_EQ(ExportLedgerBundle(ledger(), 13).status().code(), ErrorCode::kNotFound);

  auto edited = received;
  std::string leaf = edited["entries"][7];
  edited["entries"][7] = leaf.replace(leaf.find("allow"), 5, "deny!");
  EXPECT_EQ(VerifyLedgerBundle(edited, ledger().verifier(), {}).problem, "root_mismatch");
  auto reordered = received;
  std::swap(reordered["entries"][3], reordered["entries"][4]);
  EXPECT_EQ(VerifyLedgerBundle(reordered, ledger().verifier(), {}).problem, "root_mismatch");
  auto shortened = received;
  shortened["entries"].erase(24);
  EXPECT_EQ(VerifyLedgerBundle(shortened, ledger().verifier(), {}).problem, "root_mismatch");
  // Signed by another key than the one the regulator holds: refused, whatever the bundle says.
  auto impostor = NoteSigner::Generate("parkhub.local/audit-ledger");
  EXPECT_EQ(VerifyLedgerBundle(received, impostor->Verifier(), {}).problem, "bad_signature");
  EXPECT_EQ(VerifyLedgerBundle(nlohmann::json::object(), ledger().verifier(), {}).problem,
            "bad_bundle");
}

TEST(LedgerKeyTest, TheKeyIsCreatedOnceWithOwnerOnlyAccessAndReadBack) {
  std::string dir = testing::MakeTempDir();
  std::string path = dir + "/ledger.key";
  auto created = LoadOrCreateSignerKey(path, "parkhub.local/audit-ledger");
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto loaded = LoadOrCreateSignerKey(path, "other-name");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->Verifier().Text(), created->Verifier().Text());
  std::ofstream(path) << "not a key\n";
  EXPECT_EQ(LoadOrCreateSignerKey(path, "x").status().code(), ErrorCode::kInvalidArgument);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace parkhub::governance

namespace parkhub::governance {
namespace {

class LedgerApiTest : public ::testing::Test {
 protected:
  LedgerApiTest() {
    StartWithAnEmptyLedger(env_.app().database());
    env_.LoadFixture();
    officer_ = env_.UserWith("officer", "compliance_officer", env_.ids["A"]);
    member_ = env_.UserWith("alice", "member", env_.ids["A"]);
    for (int i = 0; i < 6; ++i) {
      auto c = env_.app().database().Acquire();
      auto tx = db::Transaction::Begin(**c, db::TxMode::kWrite);
      EXPECT_TRUE(
          env_.app()
              .ledger()
              .Append(**c,
                      {"decision", "req_" + std::to_string(i), "officer", {{"decision", "deny"}}})
              .ok());
      EXPECT_TRUE(tx->Commit().ok());
    }
    EXPECT_TRUE(env_.app().ledger().Integrate().ok());
  }

  testing::TestApp env_;
  testing::Caller officer_;
  testing::Caller member_;
};

TEST_F(LedgerApiTest, AnyoneSignedInChecksAProofAgainstTheSignedCheckpoint) {
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/ledger/checkpoint")["_status"], 401);
  auto checkpoint = env_.CallJson("GET", "/api/v1/ledger/checkpoint", "", member_);
  ASSERT_EQ(checkpoint["_status"], 200) << checkpoint.dump();
  EXPECT_EQ(checkpoint["size"], 6);
  auto verifier = NoteVerifier::Parse(checkpoint["verifier_key"].get<std::string>());
  ASSERT_TRUE(verifier.ok());
  auto opened = OpenCheckpoint(checkpoint["note"].get<std::string>());
  ASSERT_TRUE(opened.ok());
  EXPECT_TRUE(SignedBy(*opened, *verifier));

  auto proof = env_.CallJson("GET", "/api/v1/ledger/proofs/inclusion?index=4&size=6", "", member_);
  ASSERT_EQ(proof["_status"], 200) << proof.dump();
  std::vector<Hash> hashes;
  for (const auto& h : proof["hashes"]) {
    std::string bytes = *FromBase64(h.get<std::string>());
    Hash hash;
    std::copy(bytes.begin(), bytes.end(), hash.begin());
    hashes.push_back(hash);
  }
  std::string leaf_bytes = *FromBase64(proof["leaf_hash"].get<std::string>());
  Hash leaf;
  std::copy(leaf_bytes.begin(), leaf_bytes.end(), leaf.begin());
  EXPECT_TRUE(VerifyInclusion(4, 6, leaf, hashes, opened->checkpoint.root));
  EXPECT_LE(proof.dump().size(), 1024u);

  auto consistency =
      env_.CallJson("GET", "/api/v1/ledger/proofs/consistency?from=3&to=6", "", member_);
  EXPECT_EQ(consistency["_status"], 200) << consistency.dump();
}

TEST_F(LedgerApiTest, BadProofRequestsAreClearErrors) {
  auto no_index = env_.CallJson("GET", "/api/v1/ledger/proofs/inclusion?size=6", "", member_);
  EXPECT_EQ(no_index["_status"], 422);
  EXPECT_EQ(no_index["errors"][0]["field"], "index");
  auto beyond = env_.CallJson("GET", "/api/v1/ledger/proofs/inclusion?index=1&size=7", "", member_);
  EXPECT_EQ(beyond["_status"], 422);
  EXPECT_EQ(beyond["errors"][0]["field"], "size");
  auto word = env_.CallJson("GET", "/api/v1/ledger/proofs/inclusion?index=x&size=6", "", member_);
  EXPECT_EQ(word["_status"], 400);
  auto unknown =
      env_.CallJson("GET", "/api/v1/ledger/proofs/consistency?from=1&to=6&x=1", "", member_);
  EXPECT_EQ(unknown["_status"], 400);
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/ledger/checkpoints/abc", "", member_)["_status"], 422);
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/ledger/checkpoints/5", "", member_)["_status"], 404);
}

TEST_F(LedgerApiTest, OnlyGovernanceRolesReadEntriesAndCosign) {
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/ledger/entries", "", member_)["_status"], 403);
  auto page = env_.CallJson("GET", "/api/v1/ledger/entries?limit=2", "", officer_);
  ASSERT_EQ(page["_status"], 200) << page.dump();
  EXPECT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["items"][0]["subject"], "req_5");
  EXPECT_EQ(page["integrated"], 6);
  EXPECT_EQ(env_.CallJson("POST", "/api/v1/ledger/checkpoints/6/cosignatures",
                          R"({"signature":"x"})", member_)["_status"],
            403);
  // The regulator's bundle: for the same roles, as a file to download.
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/ledger/export", "", member_)["_status"], 403);
  auto exported = env_.Call("GET", "/api/v1/ledger/export", "", officer_);
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(exported.Header("Content-Disposition"), "attachment; filename=\"audit-ledger-6.json\"");
  EXPECT_EQ(nlohmann::json::parse(exported.body)["entries"].size(), 6u);
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/ledger/export?size=x", "", officer_)["_status"], 422);
  auto forged = env_.CallJson("POST", "/api/v1/ledger/checkpoints/6/cosignatures",
                              R"({"signature":"\u2014 hk AAAA"})", officer_);
  EXPECT_EQ(forged["_status"], 422) << forged.dump();
  EXPECT_EQ(env_.CallJson("POST", "/api/v1/ledger/checkpoints/6/cosignatures", R"({})",
                          officer_)["_status"],
            422);
}

}  // namespace
}  // namespace parkhub::governance

namespace parkhub::governance {
namespace {

class GovernanceApiTest : public ::testing::Test {
 protected:
  GovernanceApiTest() {
    StartWithAnEmptyLedger(env_.app().database());
    env_.LoadFixture();
    officer_ = env_.UserWith("officer", "compliance_officer", env_.ids["A"]);
    member_ = env_.UserWith("alice", "member", env_.ids["A"]);
  }

  nlohmann::json AddEntry(const std::string& subject, const std::string& until,
                          const testing::Caller& as) {
    nlohmann::json body = {{"list", "organisation"},
                           {"subject", subject},
                           {"kinds", {"material"}},
                           {"valid_from", "2026-01-01T00:00:00Z"},
                           {"valid_until", until},
                           {"authority", "深圳海关"},
                           {"document", "深关〔2026〕示例1号"}};
    return env_.CallJson("POST", "/api/v1/governance/whitelist", body.dump(), as);
  }

  testing::TestApp env_;
  testing::Caller officer_;
  testing::Caller member_;
};

TEST_F(GovernanceApiTest, AWhitelistEntryIsAddedRevokedAndAnsweredForAnyTime) {
  auto added = AddEntry("hkust", "2027-01-01T00:00:00Z", officer_);
  ASSERT_EQ(added["_status"], 201) << added.dump();
  std::string id = added["id"];
  auto check = [&](const std::string& at) {
    return env_.CallJson("GET",
                         "/api/v1/governance/whitelist/check?list=organisation&subject=hkust"
                         "&kind=material&at=" +
                             at,
                         "", member_);
  };
  auto before = check("2026-06-01T00:00:00Z");
  ASSERT_EQ(before["_status"], 200) << before.dump();
  EXPECT_EQ(before["covered"], true);
  EXPECT_EQ(before["entry"]["document"], "深关〔2026〕示例1号");
  EXPECT_EQ(check("2025-12-31T23:59:59Z")["covered"], false) << "before it was valid";

  auto revoked = env_.CallJson("POST", "/api/v1/governance/whitelist/" + id + "/revoke",
                               R"({"reason":"lab closed"})", officer_);
  ASSERT_EQ(revoked["_status"], 200) << revoked.dump();
  EXPECT_EQ(revoked["revoke_reason"], "lab closed");
  EXPECT_EQ(env_.CallJson("POST", "/api/v1/governance/whitelist/" + id + "/revoke",
                          R"({"reason":"again"})", officer_)["_status"],
            409);
  // The past is answered as it was: covered before the revocation, not after.
  std::string revoked_at = revoked["revoked_at"];
  EXPECT_EQ(check("2026-06-01T00:00:00Z")["covered"], revoked_at > "2026-06-01T00:00:00Z");
  EXPECT_EQ(check("2099-01-01T00:00:00Z")["covered"], false);

  // Both changes are in the audit ledger.
  ASSERT_TRUE(env_.app().ledger().Integrate().ok());
  auto entries = env_.CallJson("GET", "/api/v1/ledger/entries?subject=" + id, "", officer_);
  ASSERT_EQ(entries["items"].size(), 2u) << entries.dump();
  EXPECT_EQ(entries["items"][0]["kind"], "whitelist_revoked");
  EXPECT_EQ(entries["items"][1]["kind"], "whitelist_added");
  EXPECT_TRUE(VerifyLedger(env_.app().database(), env_.app().ledger().verifier())->intact());
}

TEST_F(GovernanceApiTest, OnlyComplianceOfficersChangeWhitelistsAndBadEntriesAreRefused) {
  EXPECT_EQ(AddEntry("hkust", "2027-01-01T00:00:00Z", member_)["_status"], 403);
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/governance/whitelist", "", member_)["_status"], 403);
  auto backwards = AddEntry("hkust", "2025-01-01T00:00:00Z", officer_);
  EXPECT_EQ(backwards["_status"], 422);
  EXPECT_EQ(backwards["errors"][0]["field"], "valid_until");
  nlohmann::json bad = {{"list", "friends"},    {"subject", ""},          {"kinds", {"gold"}},
                        {"valid_from", "soon"}, {"valid_until", "later"}, {"authority", "x"},
                        {"document", "y"}};
  auto refused = env_.CallJson("POST", "/api/v1/governance/whitelist", bad.dump(), officer_);
  ASSERT_EQ(refused["_status"], 422);
  std::set<std::string> fields;
  for (const auto& error : refused["errors"]) fields.insert(error["field"]);
  EXPECT_EQ(fields,
            (std::set<std::string>{"list", "subject", "kinds", "valid_from", "valid_until"}));
  EXPECT_EQ(env_.CallJson("POST", "/api/v1/governance/whitelist/wl_missing/revoke",
                          R"({"reason":"x"})", officer_)["_status"],
            404);
  EXPECT_EQ(env_.CallJson("POST", "/api/v1/governance/whitelist/wl_missing/revoke", R"({})",
                          officer_)["_status"],
            422);
  auto page = env_.CallJson("GET", "/api/v1/governance/whitelist", "", officer_);
  EXPECT_EQ(page["total"], 0) << "nothing refused was written";
}

TEST_F(GovernanceApiTest, AWhitelistCsvIsImportedWholeOrNotAtAll) {
  auto import = [&](const std::string& csv, bool dry_run, const testing::Caller& as) {
    auto response = env_.Call(
        "POST",
        std::string("/api/v1/governance/whitelist/import?dry_run=") + (dry_run ? "true" : "false"),
        csv, as, "text/csv");
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    body["_status"] = response.status;
    return body;
  };
  const std::string header =
      "list,subject,kinds,directions,lines,channels,valid_from,valid_until,authority,document\n";
  std::string good = header +
                     "organisation,hkust,material;data,,first,cargo,2026-01-01,2027-12-31,深圳海关,"
                     "深关〔2026〕示例1号\n"
                     "fund_channel,hkust,funds,to_mainland,,,2026-01-01T00:00:00Z,2028-01-01,"
                     "广东省科学技术厅,粤科函〔2026〕示例5号\n";
  std::string bad = good + "organisation,,gold,,,,2026-01-01,2025-01-01,深圳海关,x\n";

  EXPECT_EQ(import(good, true, member_)["_status"], 403);
  auto refused = import(bad, false, officer_);
  ASSERT_EQ(refused["_status"], 422) << refused.dump();
  EXPECT_EQ(refused["code"], "import_rejected");
  std::set<std::string> fields;
  for (const auto& issue : refused["report"]["issues"]) {
    EXPECT_EQ(issue["line"], 4);
    fields.insert(issue["field"]);
  }
  EXPECT_EQ(fields, (std::set<std::string>{"subject", "kinds", "valid_until"}));
  auto wrong_header = import("list,subject\norganisation,x\n", true, officer_);
  ASSERT_EQ(wrong_header["_status"], 422);
  EXPECT_EQ(wrong_header["errors"][0]["code"], "bad_header");

  auto checked = import(good, true, officer_);
  ASSERT_EQ(checked["_status"], 200) << checked.dump();
  EXPECT_EQ(checked["rows"], 2);
  EXPECT_EQ(checked["written"], 0);
  EXPECT_EQ(env_.CallJson("GET", "/api/v1/governance/whitelist", "", officer_)["total"], 0)
      << "neither a refused import nor a dry run writes";

  auto imported = import(good, false, officer_);
  ASSERT_EQ(imported["_status"], 201) << imported.dump();
  EXPECT_EQ(imported["written"], 2);
  auto page = env_.CallJson("GET", "/api/v1/governance/whitelist?list=organisation", "", officer_);
  ASSERT_EQ(page["total"], 1);
  EXPECT_EQ(page["items"][0]["kinds"], nlohmann::json({"material", "data"}));
  EXPECT_EQ(page["items"][0]["valid_until"], "2027-12-31T00:00:00Z");
  ASSERT_TRUE(env_.app().ledger().Integrate().ok());
  EXPECT_EQ(env_.app().ledger().Latest()->checkpoint.size, 2u) << "each entry is in the ledger";
}

TEST_F(GovernanceApiTest, AFlowIsCheckedAgainstThePolicyWithTheWhitelistsAsTheyStand) {
  nlohmann::json request = {
      {"kind", "material"},
      {"direction", "to_mainland"},
      {"line", "first"},
      {"channel", "cargo"},
      {"at", "2026-06-01T09:00:00Z"},
      {"requester", {{"organisation", "hkust"}}},
      {"material",
       {{"class", "reagent"}, {"hgr", false}, {"bonded", false}, {"hand_carried", false}}}};
  auto before = env_.CallJson("POST", "/api/v1/governance/checks", request.dump(), member_);
  ASSERT_EQ(before["_status"], 200) << before.dump();
  EXPECT_EQ(before["outcome"], "not_permitted");
  ASSERT_TRUE(AddEntry("hkust", "2027-01-01T00:00:00Z", officer_)["_status"] == 201);
  auto after = env_.CallJson("POST", "/api/v1/governance/checks", request.dump(), member_);
  EXPECT_EQ(after["outcome"], "allow");
  EXPECT_EQ(after["rules"][0]["code"], "consolidated_declaration");
  EXPECT_EQ(after["rules"][0]["reason"]["zh_hant"],
            "白名單單位的貨物可集中申報，不設每月批次限制。");
  request["material"]["class"] = "uranium";
  auto invalid = env_.CallJson("POST", "/api/v1/governance/checks", request.dump(), member_);
  EXPECT_EQ(invalid["_status"], 422);
  EXPECT_EQ(invalid["errors"][0]["field"], "material.class");
  EXPECT_EQ(env_.CallJson("POST", "/api/v1/governance/checks", request.dump())["_status"], 401);
}

}  // namespace
}  // namespace parkhub::governance
