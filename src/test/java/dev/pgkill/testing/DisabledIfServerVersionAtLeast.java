package dev.pgkill.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Skips a test on a server whose major version is {@link #value} or later, because it checks how
 * pgkill refuses what only the older servers lack; the counterpart of {@link
 * DisabledIfServerVersionBelow}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ServerVersionCondition.class)
public @interface DisabledIfServerVersionAtLeast {
  /** The first major version the test is skipped on, such as 14. */
  int value();

  /** Why, as the skip reason: what the newer servers have. */
  String reason() default "";
}
