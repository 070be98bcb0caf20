// ExchangeService::ParkFunnel: the exchange of a park's settled members, stage by stage.
#include "exchange/exchange_service.h"
#include "registry/directory.h"

namespace parkhub::exchange {

Result<ExchangeFunnel> ExchangeService::ParkFunnel(const Principal& p, const std::string& park_id) {
  if (!p.authenticated()) return Status::Unauthenticated();
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto members, registry::Directory::SettledMembersOfOperatedPark(*c, p, park_id));
  ExchangeFunnel funnel;
  if (members.empty()) return funnel;
  db::Params params;
  std::string owners = db::InList(members, params);
  ASSIGN_OR_RETURN(
      auto row,
      c->QueryOne("SELECT COALESCE(SUM(CASE WHEN l.kind = 'result' THEN 1 ELSE 0 END), 0), "
                  "COALESCE(SUM(CASE WHEN l.kind = 'need' THEN 1 ELSE 0 END), 0) FROM listings l "
                  "WHERE l.published_at IS NOT NULL AND l.owner_id IN (" +
                      owners + ")",
                  params, "listings"));
  funnel.results_published = row.Int(0);
  funnel.needs_published = row.Int(1);
  ASSIGN_OR_RETURN(
      auto asked,
      c->QueryOne("SELECT COUNT(i.id), COALESCE(SUM(CASE WHEN i.state = 'accepted' THEN 1 ELSE 0 "
                  "END), 0), COUNT(d.id), COALESCE(SUM(CASE WHEN d.stage IN ('signed', "
                  "'delivered') THEN 1 ELSE 0 END), 0) FROM introductions i JOIN listings l ON "
                  "l.id = i.listing_id LEFT JOIN deals d ON d.introduction_id = i.id WHERE "
                  "l.owner_id IN (" +
                      owners + ")",
                  params, "introductions"));
  funnel.introductions = asked.Int(0);
  funnel.accepted = asked.Int(1);
  funnel.deals = asked.Int(2);
  funnel.signed_deals = asked.Int(3);
  return funnel;
}

}  // namespace parkhub::exchange
