package dev.pgkill.safety;

/** Why a safety rule, or the selection, keeps a target from being signalled. */
public enum Refusal {
  /** No backend of this server has that PID. */
  NOT_FOUND,
  /** The PID exists but fails the filters given with it. */
  NOT_MATCHED,
  /** The PID is pgkill's own session. */
  OWN_SESSION,
  /** Not a client backend, and no other backend type was asked for. */
  PROTECTED,
  /** backend_start is hidden from pgkill's role, so the identity cannot be checked. */
  UNVERIFIABLE,
  /** The backend type is hidden from pgkill's role, so it may not be a client backend. */
  HIDDEN_TYPE,
  /** The PID now belongs to a backend other than the one the user named or pgkill inspected. */
  REPLACED,
  /** The id token was taken on another server: its system identifier is not this server's. */
  OTHER_SERVER,
  /** The backend exited between inspection and the moment it would have been signalled. */
  GONE
}
