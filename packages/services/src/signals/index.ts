export {
  changeSignalStatus,
  deleteSignalRule,
  listSignalRules,
  listSignals,
  type SignalView,
  saveSignalRule,
  signalActorNames,
  signalView,
} from "./signal-service";
