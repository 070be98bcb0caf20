#include "identity/identity_service.h"

#include "core/text_rules.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <limits>

#include "core/csv.h"
#include "core/random.h"

namespace parkhub::identity {
namespace {

constexpr size_t kTokenBytes = 32;
constexpr char kApiTokenPrefix[] = "phk_";

struct Cost {
  unsigned long long ops;
  size_t mem;
};

Cost CostOf(PasswordCost cost) {
  switch (cost) {
    case PasswordCost::kMin:
      return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    case PasswordCost::kModerate:
      return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
    case PasswordCost::kInteractive:
      break;
  }
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

bool VerifyPassword(const std::string& hash, const std::string& password) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

// A real argon2id hash to verify against when the user does not exist, so that "no such user"
// and "wrong password" take the same time.
const std::string& DummyHash() {
  static const std::string kHash = [] {
    char out[crypto_pwhash_STRBYTES];
    Cost cost = CostOf(PasswordCost::kInteractive);
    std::string secret = RandomToken(16);
    if (crypto_pwhash_str_alg(out, secret.data(), secret.size(), cost.ops, cost.mem,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
      return std::string();
    }
    return std::string(out);
  }();
  return kHash;
}

constexpr char kSelectUserSummary[] =
    "SELECT id, public_id, username, display_name, disabled, created_at FROM users ";

Result<UserSummary> ReadUserSummary(db::Connection& connection, const db::Row& row) {
  db::RowReader read(row);
  int64_t user_row = read.Int();
  UserSummary user;
  user.public_id = read.Text();
  user.username = read.Text();
  user.display_name = read.Text();
  user.disabled = read.Bool();
  user.created_at = read.Text();
  RETURN_IF_ERROR(read.Done());
  ASSIGN_OR_RETURN(user.roles, IdentityService::RolesOf(connection, user_row));
  return user;
}

}  // namespace

PasswordCost ParsePasswordCost(const std::string& name) {
  if (name == "min") return PasswordCost::kMin;
  if (name == "moderate") return PasswordCost::kModerate;
  return PasswordCost::kInteractive;
}

Status ValidateUsername(const std::string& username) {
  if (username.size() < 3 || username.size() > 64) {
    return Status::Invalid("username", "must be 3 to 64 characters", "out_of_range",
                           {{"min", 3}, {"max", 64}});
  }
  bool allowed = std::all_of(username.begin(), username.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '@';
  });
  if (!allowed) {
    return Status::Invalid("username", "letters, digits and . _ - @ only", "bad_format",
                           {{"format", "username"}});
  }
  return Status::Ok();
}

Result<std::string> IdentityService::HashPassword(const std::string& password) const {
  char out[crypto_pwhash_STRBYTES];
  Cost cost = CostOf(cost_);
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops, cost.mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Internal("out of memory while hashing a password");
  }
  return std::string(out);
}

Result<UserSummary> IdentityService::CreateUser(const NewUser& user) {
  FieldErrors errors;
  if (Status s = ValidateUsername(user.username); !s.ok()) {
    errors.Add("username", s.field_errors()[0]);
  }
  if (Status s = password_policy_.Check(user.password, user.username); !s.ok()) {
    errors.Add("password", s.field_errors()[0]);
  }
  CheckText("display_name", user.display_name, 200, errors);
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(std::string hash, HashPassword(user.password));
  UserSummary summary{NewPublicId("usr"), user.username,
                      user.display_name.empty() ? user.username : user.display_name, false,
                      FormatUtc(clock_.Now()), {}};
  auto connection = database_.Acquire();
  if (!connection.ok()) return connection.status();
  auto inserted = (*connection)->Execute(
      "INSERT INTO users (public_id, username, display_name, password_hash, created_at) "
      "VALUES (?, ?, ?, ?, ?)",
      {summary.public_id, summary.username, summary.display_name, hash, summary.created_at});
  if (!inserted.ok()) {
    if (inserted.status().code() == ErrorCode::kConflict) {
      return Status::Conflict("username_taken", "that username is taken")
          .AddFieldError("username", "already taken", "duplicate");
    }
    return inserted.status();
  }
  return summary;
}

Status IdentityService::SetPassword(const std::string& username, const std::string& password) {
  RETURN_IF_ERROR(password_policy_.Check(password, username));
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  return db::InTransaction<bool>(database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<bool> {
           ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT id FROM users WHERE username = ?",
                                                 {username}, "user"));
           ASSIGN_OR_RETURN(auto changed, c.Execute("UPDATE users SET password_hash = ? WHERE id = ?",
                                                    {hash, row.Int(0)}));
           (void)changed;
           // A new password ends every existing session of the account.
           ASSIGN_OR_RETURN(auto ended, c.Execute("DELETE FROM sessions WHERE user_id = ?",
                                                  {row.Int(0)}));
           (void)ended;
           return true;
         }).status();
}

Result<std::vector<RoleAssignment>> IdentityService::RolesOf(db::Connection& connection,
                                                               int64_t user_id) {
  ASSIGN_OR_RETURN(auto rows, connection.Query("SELECT role, COALESCE(scope_id, 0), scope_public_id "
                                               "FROM role_assignments WHERE user_id = ? ORDER BY role",
                                               {user_id}));
  std::vector<RoleAssignment> roles;
  for (const auto& row : rows) {
    db::RowReader read(row);
    auto role = ParseRole(read.Text());
    RoleAssignment assignment{role.value_or(Role::kPlatformAdmin), read.Int(), read.Text()};
    RETURN_IF_ERROR(read.Done());
    if (role) roles.push_back(std::move(assignment));
  }
  return roles;
}

Result<std::vector<int64_t>> IdentityService::UsersWithRoleAt(db::Connection& connection,
                                                              int64_t org_id,
                                                              const std::vector<Role>& roles) {
  std::vector<std::string> names;
  for (Role role : roles) names.push_back(RoleName(role));
  db::Params params = {org_id};
  std::string in = db::InList(names, params);
  ASSIGN_OR_RETURN(auto rows, connection.Query("SELECT DISTINCT user_id FROM role_assignments "
                                               "WHERE scope_id = ? AND role IN (" + in +
                                                   ") ORDER BY user_id",
                                               params));
  std::vector<int64_t> users;
  for (const auto& row : rows) users.push_back(row.Int(0));
  return users;
}

Result<std::vector<int64_t>> IdentityService::UsersWithRole(db::Connection& connection,
                                                            const std::vector<Role>& roles) {
  std::vector<std::string> names;
  for (Role role : roles) names.push_back(RoleName(role));
  db::Params params;
  std::string in = db::InList(names, params);
  ASSIGN_OR_RETURN(auto rows, connection.Query("SELECT DISTINCT user_id FROM role_assignments "
                                               "WHERE role IN (" +
                                                   in + ") ORDER BY user_id",
                                               params));
  std::vector<int64_t> users;
  for (const auto& row : rows) users.push_back(row.Int(0));
  return users;
}

Result<std::optional<int64_t>> IdentityService::FindUserRow(db::Connection& connection,
                                                            const std::string& username) {
  ASSIGN_OR_RETURN(auto rows, connection.Query("SELECT id FROM users WHERE username = ?", {username}));
  if (rows.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rows.front().Int(0));
}

Result<std::map<int64_t, std::string>> IdentityService::UsernamesOf(
    db::Connection& connection, const std::vector<int64_t>& user_rows) {
  std::map<int64_t, std::string> names;
  if (user_rows.empty()) return names;
  db::Params params;
  std::string in = db::InList(user_rows, params);
  ASSIGN_OR_RETURN(auto rows, connection.Query("SELECT id, username FROM users WHERE id IN (" + in + ")",
                                               params));
  for (const auto& row : rows) names[row.Int(0)] = row.Text(1);
  return names;
}

Result<std::map<int64_t, std::string>> IdentityService::UsernamesIn(db::Connection& connection,
                                                                    const std::vector<db::Row>& rows,
                                                                    size_t column) {
  std::vector<int64_t> user_rows;
  for (const auto& row : rows) user_rows.push_back(row.Int(column));
  return UsernamesOf(connection, user_rows);
}

Result<std::vector<HistoryEntry>> IdentityService::NameHistory(db::Connection& connection,
                                                               const std::vector<db::Row>& rows) {
  ASSIGN_OR_RETURN(auto usernames, UsernamesIn(connection, rows, 2));
  std::vector<HistoryEntry> history;
  for (const auto& row : rows) {
    db::RowReader read(row);
    HistoryEntry entry;
    entry.from_state = read.Text();
    entry.to_state = read.Text();
    entry.actor = usernames[read.Int()];
    entry.at = read.Text();
    entry.note = read.Text();
    RETURN_IF_ERROR(read.Done());
    history.push_back(std::move(entry));
  }
  return history;
}

Result<std::vector<UserSummary>> IdentityService::ListUsers() {
  ASSIGN_OR_RETURN(auto connection, database_.Acquire());
  ASSIGN_OR_RETURN(auto rows, connection->Query(std::string(kSelectUserSummary) + "ORDER BY username"));
  std::vector<UserSummary> users;
  for (const auto& row : rows) {
    ASSIGN_OR_RETURN(UserSummary user, ReadUserSummary(*connection, row));
    users.push_back(std::move(user));
  }
  return users;
}

Result<UserSummary> IdentityService::GetUser(const std::string& public_id) {
  ASSIGN_OR_RETURN(auto connection, database_.Acquire());
  ASSIGN_OR_RETURN(auto row, connection->QueryOne(std::string(kSelectUserSummary) + "WHERE public_id = ?",
                                                  {public_id}, "user"));
  return ReadUserSummary(*connection, row);
}

Result<IdentityService::RoleTarget> IdentityService::ResolveRoleTarget(
    db::Connection& connection, const std::string& username, Role role,
    const std::string& scope_public_id) {
  ASSIGN_OR_RETURN(auto user, connection.QueryOne("SELECT id FROM users WHERE username = ? OR "
                                                  "public_id = ?",
                                                  {username, username}, "user"));
  if (!RoleNeedsScope(role)) {
    if (!scope_public_id.empty()) {
      return Status::Invalid("scope", "platform_admin takes no scope", "not_allowed_for_role");
    }
    return RoleTarget{user.Int(0), {}};
  }
  if (scope_public_id.empty()) {
    return Status::Invalid("scope", "this role needs an organisation", "required");
  }
  ASSIGN_OR_RETURN(auto scope, scopes_.Find(connection, scope_public_id));
  if (!scope) {
    return Status::Invalid("scope", "no such organisation", "unknown_reference",
                           {{"kind", "organization"}});
  }
  if (role == Role::kParkOperator && !scope->is_park) {
    return Status::Invalid("scope", "park_operator is scoped to a park or alliance", "not_a_park");
  }
  return RoleTarget{user.Int(0), *scope};
}

Status IdentityService::GrantRole(const std::string& username, Role role,
                                  const std::string& scope_public_id) {
  return db::InTransaction<bool>(
             database_, db::TxMode::kWrite,
             [&](db::Connection& c) -> Result<bool> {
               ASSIGN_OR_RETURN(auto target, ResolveRoleTarget(c, username, role, scope_public_id));
               int64_t scope_row = target.scope.row_id;
               db::Value scope = scope_row == 0 ? db::Value(nullptr) : db::Value(scope_row);
               // NULL scopes are distinct in UNIQUE, so check platform grants explicitly.
               ASSIGN_OR_RETURN(int64_t existing,
                                c.QueryInt("SELECT COUNT(*) FROM role_assignments WHERE user_id = "
                                           "? AND role = ? AND COALESCE(scope_id, 0) = ?",
                                           {target.user_row, RoleName(role), scope_row}));
               if (existing > 0) return true;
               ASSIGN_OR_RETURN(auto inserted,
                                c.Execute("INSERT INTO role_assignments (user_id, role, scope_id, "
                                          "scope_public_id) VALUES (?, ?, ?, ?)",
                                          {target.user_row, RoleName(role), scope,
                                           target.scope.public_id}));
               (void)inserted;
               return true;
             })
      .status();
}

Status IdentityService::RevokeRole(const std::string& username, Role role,
                                   const std::string& scope_public_id) {
  return db::InTransaction<bool>(
             database_, db::TxMode::kWrite,
             [&](db::Connection& c) -> Result<bool> {
               ASSIGN_OR_RETURN(auto target, ResolveRoleTarget(c, username, role, scope_public_id));
               ASSIGN_OR_RETURN(auto removed,
                                c.Execute("DELETE FROM role_assignments WHERE user_id = ? AND role "
                                          "= ? AND COALESCE(scope_id, 0) = ?",
                                          {target.user_row, RoleName(role), target.scope.row_id}));
               if (removed == 0) return Status::NotFound("role assignment");
               return true;
             })
      .status();
}

Result<LoginResult> IdentityService::Login(const std::string& username,
                                           const std::string& password,
                                           const std::string& address) {
  if (auto wait = throttle_.RetryAfter(username, address)) {
    Status limited(ErrorCode::kTooManyRequests, "too_many_attempts",
                   "too many failed logins; try again later");
    limited.SetExtension("retry_after", *wait);
    return limited;
  }
  ASSIGN_OR_RETURN(auto connection, database_.Acquire());
  ASSIGN_OR_RETURN(auto rows, connection->Query("SELECT id, password_hash, disabled FROM users "
                                                "WHERE username = ?",
                                                {username}));
  bool known = !rows.empty();
  bool verified = VerifyPassword(known ? rows[0].Text(1) : DummyHash(), password);
  if (!known || !verified || rows[0].Int(2) != 0) {
    throttle_.RecordFailure(username, address);
    return Status(ErrorCode::kUnauthenticated, "bad_credentials",
                  "the username or password is wrong");
  }
  throttle_.RecordSuccess(username);
  int64_t user_id = rows[0].Int(0);
  LoginResult result;
  result.session_token = RandomToken(kTokenBytes);
  result.csrf_token = RandomToken(kTokenBytes);
  result.expires_at = clock_.Now() + session_ttl_;
  ASSIGN_OR_RETURN(auto inserted,
                   connection->Execute("INSERT INTO sessions (token_hash, user_id, csrf_token, "
                                       "created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                                       {HashSecret(result.session_token), user_id, result.csrf_token,
                                        FormatUtc(clock_.Now()), ToUnixSeconds(result.expires_at)}));
  (void)inserted;
  ASSIGN_OR_RETURN(result.principal,
                   LoadPrincipal(*connection, user_id, AuthMethod::kSessionCookie));
  result.principal.csrf_token = result.csrf_token;
  return result;
}

Status IdentityService::Logout(const std::string& session_token) {
  ASSIGN_OR_RETURN(auto connection, database_.Acquire());
  auto removed =
      connection->Execute("DELETE FROM sessions WHERE token_hash = ?", {HashSecret(session_token)});
  return removed.ok() ? Status::Ok() : removed.status();
}

Result<Principal> IdentityService::LoadPrincipal(db::Connection& connection, int64_t user_id,
                                                 AuthMethod method) {
  ASSIGN_OR_RETURN(auto row, connection.QueryOne("SELECT public_id, username, display_name, "
                                                 "disabled FROM users WHERE id = ?",
                                                 {user_id}, "user"));
  db::RowReader read(row);
  Principal principal;
  principal.user_id = user_id;
  principal.public_id = read.Text();
  principal.username = read.Text();
  principal.display_name = read.Text();
  bool disabled = read.Bool();
  RETURN_IF_ERROR(read.Done());
  if (disabled) return Status::Unauthenticated("this account is disabled");
  principal.method = method;
  ASSIGN_OR_RETURN(principal.roles, RolesOf(connection, user_id));
  return principal;
}

Result<Principal> IdentityService::LoadSessionPrincipal(db::Connection& connection,
                                                        const std::string& token_hash,
                                                        int64_t* expires_at) {
  ASSIGN_OR_RETURN(
      auto rows,
      connection.Query("SELECT s.user_id, s.csrf_token, s.expires_at, u.public_id, u.username, "
                       "u.display_name, u.disabled FROM sessions s JOIN users u ON u.id = "
                       "s.user_id WHERE s.token_hash = ?",
                       {token_hash}));
  if (rows.empty()) return Status::Unauthenticated("the session has expired; log in again");
  db::RowReader read(rows[0]);
  Principal principal;
  principal.user_id = read.Int();
  principal.csrf_token = read.Text();
  *expires_at = read.Int();
  principal.public_id = read.Text();
  principal.username = read.Text();
  principal.display_name = read.Text();
  bool disabled = read.Bool();
  RETURN_IF_ERROR(read.Done());
  if (disabled) return Status::Unauthenticated("the session has expired; log in again");
  principal.method = AuthMethod::kSessionCookie;
  ASSIGN_OR_RETURN(principal.roles, RolesOf(connection, principal.user_id));
  return principal;
}

Result<Principal> IdentityService::AuthenticateSession(const std::string& session_token) {
  std::string token_hash = HashSecret(session_token);
  int64_t now = ToUnixSeconds(clock_.Now());
  ASSIGN_OR_RETURN(auto connection, database_.Acquire());
  ASSIGN_OR_RETURN(int64_t version, connection->QueryInt("SELECT value FROM change_counters "
                                                         "WHERE name = 'identity'"));
  {
    ReaderLock lock(session_cache_mutex_);
    auto it = session_cache_.find("session:" + token_hash);
    if (it != session_cache_.end() && it->second.version == version) {
      if (it->second.expires_at <= now) {
        return Status::Unauthenticated("the session has expired; log in again");
      }
      return it->second.principal;
    }
  }
  int64_t expires_at = 0;
  ASSIGN_OR_RETURN(Principal principal, LoadSessionPrincipal(*connection, token_hash, &expires_at));
  if (expires_at <= now) return Status::Unauthenticated("the session has expired; log in again");
  WriterLock lock(session_cache_mutex_);
  if (session_cache_.size() > 10'000) session_cache_.clear();
  session_cache_["session:" + token_hash] = CachedSession{version, expires_at, principal};
  return principal;
}

Result<Principal> IdentityService::AuthenticateApiToken(const std::string& token) {
  if (token.rfind(kApiTokenPrefix, 0) != 0) return Status::Unauthenticated("unknown API token");
  std::string token_hash = HashSecret(token);
  ASSIGN_OR_RETURN(auto connection, database_.Acquire());
  ASSIGN_OR_RETURN(int64_t version, connection->QueryInt("SELECT value FROM change_counters "
                                                         "WHERE name = 'identity'"));
  // Tokens share the principal cache with sessions under their own key prefix, so a token can
  // never be taken for a session (which would carry a different CSRF duty) or the reverse.
  std::string key = "token:" + token_hash;
  {
    ReaderLock lock(session_cache_mutex_);
    auto it = session_cache_.find(key);
    if (it != session_cache_.end() && it->second.version == version) return it->second.principal;
  }
  ASSIGN_OR_RETURN(auto rows, connection->Query("SELECT user_id FROM api_tokens WHERE token_hash "
                                                "= ? AND revoked = 0",
                                                {token_hash}));
  if (rows.empty()) return Status::Unauthenticated("unknown or revoked API token");
  ASSIGN_OR_RETURN(Principal principal,
                   LoadPrincipal(*connection, rows[0].Int(0), AuthMethod::kApiToken));
  WriterLock lock(session_cache_mutex_);
  if (session_cache_.size() > 10'000) session_cache_.clear();
  session_cache_[key] = CachedSession{version, std::numeric_limits<int64_t>::max(), principal};
  return principal;
}

Result<ApiTokenInfo> IdentityService::IssueApiToken(const Principal& principal,
                                                    const std::string& name) {
  RETURN_IF_ERROR(CheckTextField("name", name, 100));
  if (name.empty()) {
    return Status::Invalid("name", "must be 1 to 100 characters", "out_of_range",
                           {{"min", 1}, {"max", 100}});
  }
  ApiTokenInfo info{NewPublicId("tok"), name, FormatUtc(clock_.Now()),
                    kApiTokenPrefix + RandomToken(kTokenBytes)};
  ASSIGN_OR_RETURN(auto connection, database_.Acquire());
  ASSIGN_OR_RETURN(auto inserted,
                   connection->Execute("INSERT INTO api_tokens (public_id, user_id, name, "
                                       "token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                                       {info.public_id, principal.user_id, info.name,
                                        HashSecret(info.token), info.created_at}));
  (void)inserted;
  return info;
}

Result<std::vector<ApiTokenInfo>> IdentityService::ListApiTokens(const Principal& principal) {
  ASSIGN_OR_RETURN(auto connection, database_.Acquire());
  ASSIGN_OR_RETURN(auto rows, connection->Query("SELECT public_id, name, created_at FROM "
                                                "api_tokens WHERE user_id = ? AND revoked = 0 "
                                                "ORDER BY id",
                                                {principal.user_id}));
  std::vector<ApiTokenInfo> tokens;
  for (const auto& row : rows) tokens.push_back({row.Text(0), row.Text(1), row.Text(2), ""});
  return tokens;
}

Status IdentityService::RevokeApiToken(const Principal& principal, const std::string& public_id) {
  ASSIGN_OR_RETURN(auto connection, database_.Acquire());
  ASSIGN_OR_RETURN(auto changed,
                   connection->Execute("UPDATE api_tokens SET revoked = 1 WHERE public_id = ? AND "
                                       "user_id = ? AND revoked = 0",
                                       {public_id, principal.user_id}));
  if (changed == 0) return Status::NotFound("API token");
  return Status::Ok();
}

}  // namespace parkhub::identity
