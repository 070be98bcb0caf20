-- A technology flow request names the exchange deal it is for (its introduction's public id),
-- so a cross-border deal's signing can ask whether a request for it was approved.
ALTER TABLE flow_requests ADD COLUMN deal TEXT;
CREATE INDEX flow_requests_deal ON flow_requests(deal);
