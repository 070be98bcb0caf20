#include <gtest/gtest.h>

#include "identity/login_throttle.h"
#include "identity/password_policy.h"
#include "registry/directory.h"
#include "support/test_app.h"

namespace parkhub::identity {
namespace {

TEST(LoginThrottleTest, LocksAnAccountAfterFailuresAndReopensAfterTheWindow) {
  ManualClock clock(FromUnixSeconds(1'700'000'000));
  LoginThrottle throttle(clock, {3, 20, std::chrono::seconds(60)});
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(throttle.RetryAfter("alice", "10.0.0.1").has_value());
    throttle.RecordFailure("alice", "10.0.0.1");
  }
  auto wait = throttle.RetryAfter("alice", "10.0.0.2");
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, 60);
  clock.Advance(std::chrono::seconds(61));
  EXPECT_FALSE(throttle.RetryAfter("alice", "10.0.0.1").has_value());
}

// Five mistakes on one account behind a campus NAT lock that account, not everyone behind it.
TEST(LoginThrottleTest, OneAccountsFailuresNeverBlockItsAddressForOthers) {
  ManualClock clock(FromUnixSeconds(1'700'000'000));
  LoginThrottle throttle(clock, {5, 20, std::chrono::seconds(900)});
  for (int i = 0; i < 5; ++i) throttle.RecordFailure("operator", "10.0.0.1");
  EXPECT_TRUE(throttle.RetryAfter("operator", "10.0.0.1").has_value());
  EXPECT_FALSE(throttle.RetryAfter("hkust", "10.0.0.1").has_value());
}

// A password sprayed over many accounts from one address blocks the address for every account.
TEST(LoginThrottleTest, FailuresAcrossManyAccountsBlockTheAddress) {
  ManualClock clock(FromUnixSeconds(1'700'000'000));
  LoginThrottle throttle(clock, {5, 20, std::chrono::seconds(900)});
  for (int i = 0; i < 19; ++i) throttle.RecordFailure("user" + std::to_string(i), "10.0.0.9");
  EXPECT_FALSE(throttle.RetryAfter("someone", "10.0.0.9").has_value());
  throttle.RecordFailure("user19", "10.0.0.9");
  auto wait = throttle.RetryAfter("someone", "10.0.0.9");
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, 900);
  EXPECT_FALSE(throttle.RetryAfter("someone", "10.0.0.10").has_value());
  clock.Advance(std::chrono::seconds(901));
  EXPECT_FALSE(throttle.RetryAfter("someone", "10.0.0.9").has_value());
}

TEST(LoginThrottleTest, SuccessClearsTheAccount) {
  ManualClock clock(FromUnixSeconds(0));
  LoginThrottle throttle(clock, {2, 20, std::chrono::seconds(60)});
  throttle.RecordFailure("alice", "a");
  throttle.RecordSuccess("alice");
  throttle.RecordFailure("alice", "b");
  EXPECT_FALSE(throttle.RetryAfter("alice", "c").has_value());
}

class IdentityServiceTest : public ::testing::Test {
 protected:
  testing::TestApp env_;
  IdentityService& identity() { return env_.app().identity(); }
};

TEST_F(IdentityServiceTest, StoresArgon2idHashesNotPasswords) {
  ASSERT_TRUE(identity().CreateUser({"alice", "Alice", "correct horse"}).ok());
  auto c = env_.app().database().Acquire();
  auto hash = (*c)->QueryOne("SELECT password_hash FROM users WHERE username = 'alice'", {}, "u");
  EXPECT_EQ(hash->Text(0).rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(hash->Text(0).find("correct horse"), std::string::npos);
}

TEST_F(IdentityServiceTest, LoginChecksThePassword) {
  ASSERT_TRUE(identity().CreateUser({"alice", "", "correct horse"}).ok());
  EXPECT_TRUE(identity().Login("alice", "correct horse", "1.1.1.1").ok());
  auto wrong = identity().Login("alice", "wrong horse", "1.1.1.1");
  EXPECT_EQ(wrong.status().code(), ErrorCode::kUnauthenticated);
  auto unknown = identity().Login("nobody", "whatever1", "1.1.1.1");
  EXPECT_EQ(unknown.status().reason(), wrong.status().reason());
}

TEST_F(IdentityServiceTest, SessionsAreStoredHashedAndEndAtLogout) {
  ASSERT_TRUE(identity().CreateUser({"alice", "", "correct horse"}).ok());
  auto login = identity().Login("alice", "correct horse", "1.1.1.1");
  ASSERT_TRUE(login.ok());
  auto c = env_.app().database().Acquire();
  EXPECT_EQ(*(*c)->QueryInt("SELECT COUNT(*) FROM sessions WHERE token_hash = ?",
                            {login->session_token}),
            0);
  EXPECT_TRUE(identity().AuthenticateSession(login->session_token).ok());
  ASSERT_TRUE(identity().Logout(login->session_token).ok());
  EXPECT_FALSE(identity().AuthenticateSession(login->session_token).ok());
}

TEST_F(IdentityServiceTest, PasswordChangeEndsSessions) {
  ASSERT_TRUE(identity().CreateUser({"alice", "", "correct horse"}).ok());
  auto login = identity().Login("alice", "correct horse", "1.1.1.1");
  ASSERT_TRUE(identity().SetPassword("alice", "battery staple").ok());
  EXPECT_FALSE(identity().AuthenticateSession(login->session_token).ok());
  EXPECT_TRUE(identity().Login("alice", "battery staple", "1.1.1.1").ok());
}

TEST_F(IdentityServiceTest, ApiTokensWorkUntilRevoked) {
  ASSERT_TRUE(identity().CreateUser({"alice", "", "correct horse"}).ok());
  auto login = identity().Login("alice", "correct horse", "1.1.1.1");
  auto token = identity().IssueApiToken(login->principal, "script");
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->token.rfind("phk_", 0), 0u);
  auto principal = identity().AuthenticateApiToken(token->token);
  ASSERT_TRUE(principal.ok());
  EXPECT_EQ(principal->username, "alice");
  auto listed = identity().ListApiTokens(login->principal);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE((*listed)[0].token.empty());
  ASSERT_TRUE(identity().RevokeApiToken(login->principal, token->public_id).ok());
  EXPECT_FALSE(identity().AuthenticateApiToken(token->token).ok());
}

TEST_F(IdentityServiceTest, RejectsWeakInput) {
  auto weak = identity().CreateUser({"al", "", "short"});
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.status().field_errors().size(), 2u);
  ASSERT_TRUE(identity().CreateUser({"alice", "", "long enough"}).ok());
  auto taken = identity().CreateUser({"ALICE", "", "long enough"});
  EXPECT_EQ(taken.status().code(), ErrorCode::kConflict);
}

TEST_F(IdentityServiceTest, RolesNeedTheRightScope) {
  env_.LoadFixture();
  ASSERT_TRUE(identity().CreateUser({"olga", "", "long enough"}).ok());
  EXPECT_FALSE(identity().GrantRole("olga", Role::kParkOperator, env_.ids["A"]).ok());
  EXPECT_FALSE(identity().GrantRole("olga", Role::kOrgAdmin, "").ok());
  EXPECT_FALSE(identity().GrantRole("olga", Role::kPlatformAdmin, env_.ids["A"]).ok());
  ASSERT_TRUE(identity().GrantRole("olga", Role::kParkOperator, env_.ids["park"]).ok());
  ASSERT_TRUE(identity().GrantRole("olga", Role::kParkOperator, env_.ids["park"]).ok());
  auto users = identity().ListUsers();
  EXPECT_EQ((*users)[0].roles.size(), 1u);
}

}  // namespace
}  // namespace parkhub::identity

namespace parkhub::identity {
namespace {

TEST_F(IdentityServiceTest, CachedSessionsSeeRoleChangesAtOnce) {
  env_.LoadFixture();
  ASSERT_TRUE(identity().CreateUser({"alice", "", "correct horse"}).ok());
  auto login = identity().Login("alice", "correct horse", "1.1.1.1");
  EXPECT_TRUE(identity().AuthenticateSession(login->session_token)->roles.empty());
  ASSERT_TRUE(identity().GrantRole("alice", Role::kOrgAdmin, env_.ids["A"]).ok());
  EXPECT_EQ(identity().AuthenticateSession(login->session_token)->roles.size(), 1u);
  ASSERT_TRUE(identity().RevokeRole("alice", Role::kOrgAdmin, env_.ids["A"]).ok());
  EXPECT_TRUE(identity().AuthenticateSession(login->session_token)->roles.empty());
}

// The reviewer's reproducer: five wrong passwords for `operator`, then `hkust` with its right
// password from the same address.
TEST_F(IdentityServiceTest, AnotherAccountOnTheSameAddressStillLogsIn) {
  ASSERT_TRUE(identity().CreateUser({"operator", "", "operator-password"}).ok());
  ASSERT_TRUE(identity().CreateUser({"hkust", "", "hkust-password"}).ok());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(identity().Login("operator", "wrong-password", "10.1.2.3").status().code(),
              ErrorCode::kUnauthenticated);
  }
  EXPECT_EQ(identity().Login("operator", "operator-password", "10.1.2.3").status().code(),
            ErrorCode::kTooManyRequests);
  EXPECT_TRUE(identity().Login("hkust", "hkust-password", "10.1.2.3").ok());
}

TEST(PasswordPolicyTest, RefusesShortCommonAndOwnNamePasswords) {
  PasswordPolicy policy;
  for (const char* weak : {"12345678", "password", "short-pw", "qwertyuiop", "1234567890",
                           "QWERTYUIOP", "Q1W2E3R4T5", "alice.chen-lab"}) {
    Status refused = policy.Check(weak, "alice.chen-lab");
    ASSERT_FALSE(refused.ok()) << weak;
    EXPECT_EQ(refused.field_errors()[0].field, "password") << weak;
  }
  EXPECT_TRUE(policy.Check("correct horse battery", "alice").ok());
  EXPECT_TRUE(policy.Check("密码要足够长才行啊朋友", "alice").ok());  // ten characters, 30 bytes
  EXPECT_FALSE(policy.Check("太短的密码", "alice").ok());            // fifteen bytes, five characters
  EXPECT_FALSE(policy.Check(std::string(1025, 'x'), "alice").ok());
}

TEST_F(IdentityServiceTest, WeakPasswordsAreRefusedWhereverAPasswordIsSet) {
  auto created = identity().CreateUser({"alice", "", "12345678"});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().field_errors()[0].field, "password");
  EXPECT_FALSE(identity().CreateUser({"alice", "", "password"}).ok());
  ASSERT_TRUE(identity().CreateUser({"alice", "", "correct horse"}).ok());
  EXPECT_FALSE(identity().SetPassword("alice", "1234567890").ok());
  EXPECT_TRUE(identity().Login("alice", "correct horse", "10.0.0.1").ok());
}

TEST(SessionExpiryTest, ExpiredSessionsAreRefused) {
  testing::TestApp env;
  ManualClock clock(FromUnixSeconds(1'800'000'000));
  LoginThrottle throttle(clock, {5, 20, std::chrono::seconds(60)});
  registry::RoleScopesOfRegistry scopes;
  IdentityService identity(env.app().database(), clock, throttle, scopes, PasswordCost::kMin,
                           std::chrono::hours(1));
  ASSERT_TRUE(identity.CreateUser({"alice", "", "correct horse"}).ok());
  auto login = identity.Login("alice", "correct horse", "1.1.1.1");
  EXPECT_TRUE(identity.AuthenticateSession(login->session_token).ok());
  clock.Advance(std::chrono::minutes(61));
  EXPECT_FALSE(identity.AuthenticateSession(login->session_token).ok());
}

}  // namespace
}  // namespace parkhub::identity

namespace parkhub::identity {
namespace {

TEST_F(IdentityServiceTest, RevokedTokensStopAtOnceDespiteTheCache) {
  ASSERT_TRUE(identity().CreateUser({"alice", "", "correct horse"}).ok());
  auto login = identity().Login("alice", "correct horse", "1.1.1.1");
  auto token = identity().IssueApiToken(login->principal, "script");
  EXPECT_TRUE(identity().AuthenticateApiToken(token->token).ok());
  EXPECT_TRUE(identity().AuthenticateApiToken(token->token).ok());  // cached
  ASSERT_TRUE(identity().RevokeApiToken(login->principal, token->public_id).ok());
  EXPECT_FALSE(identity().AuthenticateApiToken(token->token).ok());
  // A token presented as a session cookie is not a session.
  auto other = identity().IssueApiToken(login->principal, "other");
  EXPECT_TRUE(identity().AuthenticateApiToken(other->token).ok());
  EXPECT_FALSE(identity().AuthenticateSession(other->token).ok());
}

}  // namespace
}  // namespace parkhub::identity
