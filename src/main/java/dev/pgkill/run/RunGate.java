package dev.pgkill.run;

import dev.pgkill.run.PassResult.Withheld;
import dev.pgkill.select.Session;
import java.util.List;
import java.util.Optional;

/**
 * What a signalling pass must hear from the rest of its run before it signals: in a run over
 * several servers, the one decision for all of them (--max-total, the one question at the
 * terminal). A pass on its own goes straight through.
 */
@FunctionalInterface
interface RunGate {
  /**
   * The pass has cleared {@code sessions} (a filter chose them when {@code byFilter}) and is about
   * to signal them; the answer may take until every other server's pass has got this far.
   */
  Admission admit(List<Session> sessions, boolean byFilter);

  /**
   * @param asked whether a person was asked, and said yes: what they saw must be looked up again
   * @param refusal why this pass signals nothing, when it does not
   * @param why the kind of refusal, for the audit
   */
  record Admission(boolean asked, Optional<String> refusal, Withheld.Why why) {
    static final Admission GO = new Admission(false, Optional.empty(), null);
    static final Admission CONFIRMED = new Admission(true, Optional.empty(), null);

    static Admission refused(String refusal, Withheld.Why why) {
      return new Admission(false, Optional.of(refusal), why);
    }
  }

  RunGate OPEN = (sessions, byFilter) -> Admission.GO;
}
