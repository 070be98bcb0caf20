// IdentityService: users, password login with sessions, personal API tokens and scoped roles.
//
// Passwords are stored as argon2id hashes (libsodium crypto_pwhash_str). Session and API tokens
// are random 32-byte secrets returned once to the client and stored only as BLAKE2b hashes, so a
// stolen database yields no usable credential. Login is throttled per account and per address
// (LoginThrottle) and takes the same time for unknown users as for wrong passwords.
// Thread-safe: every call takes its own pooled connection.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <unordered_map>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/mutex.h"
#include "core/status.h"
#include "core/workflow.h"
#include "db/database.h"
#include "db/migrator.h"
#include "identity/login_throttle.h"
#include "identity/password_policy.h"
#include "identity/principal.h"
#include "identity/role_scopes.h"

namespace parkhub::identity {

enum class PasswordCost { kMin, kModerate, kInteractive };
PasswordCost ParsePasswordCost(const std::string& name);

struct NewUser {
  std::string username;
  std::string display_name;
  std::string password;
};

struct UserSummary {
  std::string public_id;
  std::string username;
  std::string display_name;
  bool disabled = false;
  std::string created_at;
  std::vector<RoleAssignment> roles;
};

struct LoginResult {
  std::string session_token;  // goes into the HttpOnly cookie
  std::string csrf_token;     // echoed by the client in X-CSRF-Token on writes
  TimePoint expires_at;
  Principal principal;
};

struct ApiTokenInfo {
  std::string public_id;
  std::string name;
  std::string created_at;
  std::string token;  // the secret: filled only when just issued
};

class IdentityService {
 public:
  // `scopes` answers for the organisations roles are scoped to (the registry owns them).
  IdentityService(db::Database& database, const Clock& clock, LoginThrottle& throttle,
                  const RoleScopes& scopes, PasswordCost cost, std::chrono::hours session_ttl)
      : database_(database),
        clock_(clock),
        throttle_(throttle),
        scopes_(scopes),
        cost_(cost),
        session_ttl_(session_ttl) {}

  Result<UserSummary> CreateUser(const NewUser& user);
  Status SetPassword(const std::string& username, const std::string& password);
  Result<std::vector<UserSummary>> ListUsers();
  Result<UserSummary> GetUser(const std::string& public_id);

  // Grants `role` scoped to the organisation `scope_public_id` (empty for platform_admin).
  Status GrantRole(const std::string& username, Role role, const std::string& scope_public_id);
  Status RevokeRole(const std::string& username, Role role, const std::string& scope_public_id);

  Result<LoginResult> Login(const std::string& username, const std::string& password,
                            const std::string& address);
  Status Logout(const std::string& session_token);
  Result<Principal> AuthenticateSession(const std::string& session_token);
  Result<Principal> AuthenticateApiToken(const std::string& token);

  Result<ApiTokenInfo> IssueApiToken(const Principal& principal, const std::string& name);
  Result<std::vector<ApiTokenInfo>> ListApiTokens(const Principal& principal);
  Status RevokeApiToken(const Principal& principal, const std::string& public_id);

  // For other modules, on the connection of their own transaction (identity owns users and
  // role_assignments; no other module reads them):
  // a user's roles;
  static Result<std::vector<RoleAssignment>> RolesOf(db::Connection& connection, int64_t user_id);
  // the users who hold one of `roles` at exactly `org_id`;
  static Result<std::vector<int64_t>> UsersWithRoleAt(db::Connection& connection, int64_t org_id,
                                                      const std::vector<Role>& roles);
  // the users who hold one of `roles` for any scope;
  static Result<std::vector<int64_t>> UsersWithRole(db::Connection& connection,
                                                    const std::vector<Role>& roles);
  // the row of the account with this username, nullopt when there is none;
  static Result<std::optional<int64_t>> FindUserRow(db::Connection& connection,
                                                    const std::string& username);
  // the usernames of these account rows (rows that do not exist are absent).
  static Result<std::map<int64_t, std::string>> UsernamesOf(db::Connection& connection,
                                                            const std::vector<int64_t>& user_rows);
  // the usernames of the accounts whose rows are in `column` of `rows`;
  static Result<std::map<int64_t, std::string>> UsernamesIn(db::Connection& connection,
                                                            const std::vector<db::Row>& rows,
                                                            size_t column);
  // a module's history rows (from_state or '', to_state, actor row or 0, at, note) with each
  // actor's username.
  static Result<std::vector<HistoryEntry>> NameHistory(db::Connection& connection,
                                                       const std::vector<db::Row>& rows);

 private:
  Result<std::string> HashPassword(const std::string& password) const;
  Result<Principal> LoadPrincipal(db::Connection& connection, int64_t user_id, AuthMethod method);
  struct RoleTarget {
    int64_t user_row = 0;
    RoleScope scope;  // row_id 0 for the platform
  };
  Result<RoleTarget> ResolveRoleTarget(db::Connection& connection, const std::string& username,
                                       Role role, const std::string& scope_public_id);

  Result<Principal> LoadSessionPrincipal(db::Connection& connection, const std::string& token_hash,
                                         int64_t* expires_at);

  db::Database& database_;
  const Clock& clock_;
  LoginThrottle& throttle_;
  const RoleScopes& scopes_;
  const PasswordCost cost_;
  const std::chrono::hours session_ttl_;

  // Signed-in principals by session token hash, valid for one value of the 'identity' change
  // counter (moved by triggers when a session ends or a user or role changes, in any process).
  struct CachedSession {
    int64_t version;
    int64_t expires_at;
    Principal principal;
  };
  const PasswordPolicy password_policy_;
  SharedMutex session_cache_mutex_;
  std::unordered_map<std::string, CachedSession> session_cache_ GUARDED_BY(session_cache_mutex_);
};

// Validation shared by the API and the command line.
Status ValidateUsername(const std::string& username);

// This module's tables: its migrations/<dialect>/*.sql, embedded at build time (db/migrator.h).
std::vector<db::Migration> SchemaMigrations(std::string_view dialect);

}  // namespace parkhub::identity
