export { checkpoint, openDatabase, openSqliteFile, type Db, type OpenOptions } from "./open";
export { migrate, DatabaseTooNewError } from "./migrate";
export { LATEST_VERSION } from "./migrations";
export { readLegacyProfiles, renameProfileState, deleteProfileState, type LegacyProfileRow } from "./profiles";
export { openProfileStore, PROFILES_FILE, type ProfileStore, type StoredProfile } from "./profile-store";
export {
  loadMirror,
  getMirrorObjects,
  saveMirror,
  saveDecisions,
  clearStaged,
  putStaged,
  stageUnlisted,
  commitStagedMirror,
  stagedPages,
  stagedCount,
  type MirrorTable,
  pendingIds,
  storedInScope,
  storedWanted,
  linkChanges,
  clearLinkChanges,
  groupsWithMembers,
  type StoredDecision,
  getDeltaLink,
  setDeltaLink,
  clearDeltaLinks,
  getEvaluationInputs,
  setEvaluationInputs,
  type EvaluationInputs,
} from "./mirror";
export { getLink, loadLinks, linkIndex, linkedTargets, putLink, deleteLink, linkCounts, type LinkIndex } from "./links";
export { loadExported, putExported, loadGroupMembers, recordMembershipChange, replaceGroupMembers } from "./exported";
export { putIntents, deleteIntent, deleteIntents, listIntents, type Intent } from "./intents";
export { clearQuarantine, quarantineStreak } from "./quarantine";
export {
  startCycle,
  finishCycle,
  getCycle,
  listCycles,
  lastInScope,
  closeAbandonedCycles,
  emptyCounts,
} from "./cycles";
export { insertLogEntry, listLogEntries, logEntriesPage, eachLogEntry, deleteOldLog } from "./log-entries";
export {
  loadEscrow,
  listEscrow,
  escrowFailure,
  clearEscrow,
  clearAllEscrow,
  makeEscrowDue,
  escrowKey,
  loadMembershipEscrow,
  escrowMemberships,
  clearMembershipEscrow,
  type EscrowEntry,
  type MembershipEscrowEntry,
  type MembershipRefusal,
} from "./escrow";
export type * from "./types";
export {
  listAlerts,
  putAlert,
  markAlertSent,
  deleteAlert,
  lastDigestAt,
  setDigestSent,
  escrowCount,
  type AlertState,
} from "./alert-state";
export { savePlan, getPlan, planOfCycle, type StoredPlan } from "./plans";
export { atomically } from "./atomically";
