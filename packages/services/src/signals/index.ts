export {
  changeSignalStatus,
  deleteSignalRule,
  listSignalRules,
  listSignals,
  type SignalView,
  saveSignalRule,
  signalView,
} from "./signal-service";
