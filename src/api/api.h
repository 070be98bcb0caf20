// Api: the HTTP face of ParkHub. One route table (routes()) lists every route with its access
// rule and body kind; Handle() runs the request pipeline:
//   route match (404/405) → query syntax → authentication (session cookie or bearer token) →
//   access rule (deny by default: every route declares one) → CSRF for cookie-authenticated
//   writes → content type (415) → handler → security headers, metrics and access log.
// Handlers are functions of a RequestContext; domain rules and fine-grained permission checks
// live in the services they call. Thread-safe: the table is read-only after construction.
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "competitions/competition_service.h"
#include "core/clock.h"
#include "exchange/exchange_service.h"
#include "facilities/facility_service.h"
#include "facilities/reports.h"
#include "governance/flow_requests.h"
#include "governance/governance_service.h"
#include "governance/ledger.h"
#include "http/access_log.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "http/static_files.h"
#include "identity/identity_service.h"
#include "registry/registry_service.h"

namespace parkhub::api {

enum class Access { kPublic, kSignedIn, kPlatformAdmin };
enum class BodyKind { kNone, kJson, kCsv, kToml };

struct RequestContext {
  http::HttpRequest& request;
  identity::Principal principal;
};

using ApiHandler = std::function<http::HttpResponse(RequestContext&)>;
// A handler that answers later through `reply` (e.g. after a group commit), giving its worker
// thread back meanwhile. It reads what it needs from the context before it returns.
using AsyncApiHandler = std::function<void(RequestContext&, http::Responder reply)>;

struct RouteSpec {
  std::string method;
  std::string pattern;
  Access access;
  BodyKind body;
  ApiHandler handler;                // exactly one of handler and async_handler is set
  AsyncApiHandler async_handler = nullptr;
};

// Every route the Api serves, in the order they were added.
using RouteTable = std::vector<RouteSpec>;

// What the pipeline itself needs, whatever routes it serves.
struct PipelineOptions {
  identity::IdentityService& identity;  // authenticates sessions and API tokens
  http::Metrics& metrics;
  const Clock& clock;
  http::AccessLog* access_log = nullptr;          // optional
  const http::StaticFiles* static_files = nullptr;  // optional
  // Where the details of a 500 go, one JSON line each (request id, route, error): stderr unless
  // the caller captures them. The client gets only the request id.
  std::function<void(const std::string&)> error_log = [](const std::string& line) {
    std::fprintf(stderr, "%s\n", line.c_str());
  };
};

// How the session cookie is set.
struct SessionCookies {
  bool secure = false;
  std::chrono::hours ttl{24 * 7};
};

class Api {
 public:
  // `routes` come from the Add*Routes of each module below, gathered by the composition root
  // (app::Application::MakeApi); each route file is given only its own module's service.
  Api(PipelineOptions options, RouteTable routes);
  // Runs the pipeline and answers through `reply` exactly once: at once, or later from another
  // thread for an asynchronous route. `request` need only live for this call.
  void HandleAsync(http::HttpRequest& request, http::Responder reply);
  // The blocking form, for callers without an event loop (tests, tools).
  http::HttpResponse Handle(http::HttpRequest& request);
  const std::vector<RouteSpec>& routes() const { return routes_; }
  // The response for a request the transport refused (size limits, bad syntax, overload).
  static http::HttpResponse LimitResponse(int status, const std::string& reason);

 private:
  struct CallRecord;  // what the access log and metrics need once the answer is known
  void LogServerError(const CallRecord& call, http::HttpResponse& response);
  // The answer, or nullopt when an asynchronous handler answers through `reply` later.
  std::optional<http::HttpResponse> Dispatch(http::HttpRequest& request, CallRecord& call,
                                             const http::Responder& reply);
  http::HttpResponse Finish(const CallRecord& call, http::HttpResponse response);
  Result<identity::Principal> Authenticate(const http::HttpRequest& request);

  PipelineOptions options_;
  RouteTable routes_;
  http::Router router_;
};

// The routes of each module, one file each under api/, each given only what it serves.
void AddSystemRoutes(RouteTable& routes, http::Metrics& metrics, std::function<bool()> ready);
void AddAuthRoutes(RouteTable& routes, identity::IdentityService& identity, SessionCookies cookies);
void AddUserRoutes(RouteTable& routes, identity::IdentityService& identity);
void AddOrganizationRoutes(RouteTable& routes, registry::RegistryService& registry);
void AddMembershipRoutes(RouteTable& routes, registry::RegistryService& registry);
void AddAllianceRoutes(RouteTable& routes, registry::RegistryService& registry);
void AddPeopleRoutes(RouteTable& routes, registry::RegistryService& registry);
void AddTransferRoutes(RouteTable& routes, registry::RegistryService& registry);
void AddFacilityRoutes(RouteTable& routes, facilities::FacilityService& service,
                       facilities::FacilityReports& reports);
void AddNotificationRoutes(RouteTable& routes, notifications::Notifier& notifier);
void AddExchangeRoutes(RouteTable& routes, exchange::ExchangeService& exchange);
void AddGlossaryRoutes(RouteTable& routes, exchange::ParkVocabulary& vocabulary);
void AddGovernanceRoutes(RouteTable& routes, governance::PolicyVersions& versions,
                         governance::GovernanceService& governance,
                         governance::FlowRequestService& flows,
                         registry::RegistryService& registry);
void AddCompetitionRoutes(RouteTable& routes, competitions::CompetitionService& service,
                          registry::RegistryService& registry);
void AddLedgerRoutes(RouteTable& routes, governance::Ledger& ledger,
                     const std::vector<governance::NoteVerifier>& witnesses);

// The OpenAPI 3 document served at /api/v1/openapi.json (embedded from api/openapi.json).
const std::string& OpenApiDocument();

}  // namespace parkhub::api
