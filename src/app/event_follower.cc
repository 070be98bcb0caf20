#include "app/event_follower.h"

namespace parkhub::app {

EventFollower::EventFollower(db::Database& database, std::string channel,
                             std::function<Status()> follow, std::chrono::milliseconds poll,
                             std::function<void(const std::string&)> report)
    : database_(database),
      channel_(std::move(channel)),
      follow_(std::move(follow)),
      poll_(poll),
      report_(std::move(report)) {}

EventFollower::~EventFollower() { Stop(); }

Status EventFollower::Start() {
  ASSIGN_OR_RETURN(listener_, database_.Listen(channel_));
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void EventFollower::Stop() {
  stopping_ = true;
  if (listener_) listener_->Interrupt();
  if (thread_.joinable()) thread_.join();
}

void EventFollower::Run() {
  std::string last_failure;
  while (!stopping_) {
    listener_->Wait(poll_);
    if (stopping_) return;
    Status followed = follow_();
    // One report per distinct failure, not one a second while the database is away.
    if (!followed.ok() && followed.message() != last_failure) report_(followed.message());
    last_failure = followed.ok() ? "" : followed.message();
  }
}

}  // namespace parkhub::app
