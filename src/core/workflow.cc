#include "core/workflow.h"

namespace parkhub {

bool Workflow::KnowsAction(std::string_view action) const {
  for (const auto& step : steps_) {
    if (step.action == action) return true;
  }
  return false;
}

std::vector<std::string> Workflow::ActionsFrom(std::string_view state) const {
  std::vector<std::string> actions;
  for (const auto& step : steps_) {
    if (step.from == state) actions.push_back(step.action);
  }
  return actions;
}

std::vector<std::string> Workflow::NextStates(std::string_view state) const {
  std::vector<std::string> states;
  for (const auto& step : steps_) {
    if (step.from == state) states.push_back(step.to);
  }
  return states;
}

Result<WorkflowStep> Workflow::Step(std::string_view state, std::string_view action,
                                    const PartyCheck& is_party) const {
  for (const auto& step : steps_) {
    if (step.from != state || step.action != action) continue;
    if (!is_party(step.party)) {
      return Status::PermissionDenied("only the " + step.party + " may " + std::string(action) +
                                      " this " + subject_);
    }
    return step;
  }
  return Status::Conflict("invalid_transition", "a " + subject_ + " that is " +
                                                    std::string(state) + " cannot " +
                                                    std::string(action))
      .SetExtension("current_state", std::string(state))
      .SetExtension("allowed_actions", ActionsFrom(state))
      .SetExtension("allowed_next_states", NextStates(state));
}

Result<WorkflowStep> Workflow::Step(std::string_view state, std::string_view action) const {
  return Step(state, action, [](std::string_view) { return true; });
}

}  // namespace parkhub
