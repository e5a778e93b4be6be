package dev.pgkill.select;

/**
 * The lock a session waits for, as pg_locks names it.
 *
 * @param mode {@code RowExclusiveLock}, {@code ShareLock}, ...
 * @param type pg_locks' locktype: {@code relation}, {@code transactionid}, {@code tuple}, ...
 * @param target what is locked: {@code public.orders}, {@code tuple (0,1) of public.orders}, {@code
 *     transactionid 1234}; a relation of another database by its OID, which only that database can
 *     name
 */
public record LockWanted(String mode, String type, String target) {
  /** {@code RowExclusiveLock on public.orders}. */
  public String described() {
    return mode + " on " + target;
  }
}
