// The demo network: a park network built from the real lists in shared/data/orgs and shaped
// like the systems in shared/seeds. Loaded by `serve --demo` into an empty database only:
//   - Shenzhen Virtual University Park with 70 member universities (54 mainland from the
//     Chinese list with their 985/211/double-first-class tags, 8 Hong Kong, 8 foreign), most
//     settled and a few still moving through the settle-in workflow;
//   - the Hetao Shenzhen–Hong Kong cooperation zone with its professional parks;
//   - the Yangtze River Delta university technology park alliance of five universities and its
//     framework agreement;
//   - people (researchers, experts, technology-transfer managers) with affiliations;
//   - shared facilities: a cryo-TEM (manual approval), an X-ray diffractometer, a pilot-scale
//     line and a supercomputing node pool open to Hong Kong and Macao;
//   - the exchange: results, needs and a service drawn from shared/data/retrieval (see
//     demo_exchange.cc), when that directory is beside `orgs_dir`;
//   - users: admin (platform admin), operator (operator of the virtual university park and the
//     zone), hkust (org admin of HKUST), enterprise (org admin of a member enterprise) and
//     facility (facility manager of the HKUST Shenzhen institute).
// Every record goes through RegistryService, so demo data obeys the same rules as user data.
#pragma once

#include <string>
#include <vector>

#include "app/application.h"

namespace parkhub::app {

struct DemoSummary {
  bool loaded = false;  // false when the database already held a network
  int organizations = 0;
  int people = 0;
};

// `orgs_dir` holds china_universities.csv and world_universities.json.
Result<DemoSummary> LoadDemoNetwork(Application& app, const std::string& orgs_dir,
                                    const std::string& password);

struct DemoExchangeOwners {
  std::vector<std::string> mainland_universities;
  std::string hkust;
  std::string enterprise;
  std::string pilot_platform;
};
// Publishes the demo listings as the demo users admin, hkust and enterprise.
Status LoadDemoExchange(Application& app, const std::string& retrieval_dir,
                        const DemoExchangeOwners& owners, const std::string& password);

// A judge of the demo's competitions: their account, signed in, and the registry person they are.
struct DemoJudge {
  std::string username;
  std::string person;
  identity::Principal principal;
};
struct DemoCompetitionCast {
  std::string park;                       // the organising park
  identity::Principal admin;              // who coordinates and enters (a platform admin)
  std::vector<std::string> universities;  // whose student teams enter the team group (14)
  std::vector<std::string> enterprises;   // entering the enterprise group (14)
  std::vector<DemoJudge> judges;          // at least 5
};
// Last year's competition finished (two rounds, 20 prizes with certificates) and this year's
// open with its online review taking scores (demo_competitions.cc).
Status LoadDemoCompetitions(Application& app, const DemoCompetitionCast& cast);

}  // namespace parkhub::app
