// Workflow: the state machine of one kind of record (a park membership, a booking, a listing,
// an introduction, a deal; competitions, incubation and governance approvals to come), written
// once as a table of (from, action, to, who may), and the one error every refused step gives.
//
// A refused step is 409 `invalid_transition` with the extensions `current_state`,
// `allowed_actions` and `allowed_next_states` (what the record could do instead), so the web app
// words it in the user's language and offers the right buttons; a step the caller may not take
// is 403. Who may take a step is the service's question (a role, an owner): the table names a
// party and the caller answers whether the principal is that party.
//
// The event a step leaves (actor, time, note) is written by the module into its own history
// table and read back as HistoryEntry. A Workflow is an immutable value; thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace parkhub {

struct WorkflowStep {
  std::string from;
  std::string action;
  std::string to;
  std::string party;  // who may take it, in the module's words ("operator", "manager", ...)
};

// One step of a record's history as shown: `from_state` is empty for the first step, `actor`
// is a username (empty for the system).
struct HistoryEntry {
  std::string from_state;
  std::string to_state;
  std::string actor;
  std::string at;
  std::string note;
};

class Workflow {
 public:
  // `subject` names the record in messages ("membership", "booking", ...).
  Workflow(std::string subject, std::vector<WorkflowStep> steps)
      : subject_(std::move(subject)), steps_(std::move(steps)) {}

  bool KnowsAction(std::string_view action) const;
  // The actions that apply in `state`, in table order, and the states they lead to.
  std::vector<std::string> ActionsFrom(std::string_view state) const;
  std::vector<std::string> NextStates(std::string_view state) const;

  // Answers whether the principal is the named party.
  using PartyCheck = std::function<bool(std::string_view party)>;
  // The step `action` takes from `state`: 409 invalid_transition when no such step exists,
  // 403 when `is_party` says the principal is not the party who may take it.
  Result<WorkflowStep> Step(std::string_view state, std::string_view action,
                            const PartyCheck& is_party) const;
  // The same for a caller that has already established the principal's standing (and answers
  // 403 or 404 itself): only whether the step exists is checked.
  Result<WorkflowStep> Step(std::string_view state, std::string_view action) const;

 private:
  std::string subject_;
  std::vector<WorkflowStep> steps_;
};

}  // namespace parkhub
