#include "exchange/exchange_service.h"

namespace parkhub::exchange {

ExchangeService::ExchangeService(db::Database& database, const Clock& clock,
                                 const text::TextFolder& folder, matching::SearchIndex& index,
                                 notifications::Notifier& notifier, IndexFollowing following,
                                 const matching::BilingualLexicon* lexicon,
                                 const ParkVocabulary* vocabulary, const DealGate* deal_gate)
    : database_(database),
      clock_(clock),
      folder_(folder),
      index_(index),
      notifier_(notifier),
      analyzers_(folder),
      indexer_(database, index, analyzers_, folder, clock, std::move(following)),
      lexicon_(lexicon),
      vocabulary_(vocabulary),
      deal_gate_(deal_gate) {}

}  // namespace parkhub::exchange
