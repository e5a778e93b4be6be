package dev.pgkill.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Skips a test (or every test of a class, nested ones included) on a server whose major version is
 * below {@link #value}, because what it checks does not exist there: as pgjdbc's annotation of the
 * same name. The skip shows in the report with its reason, unlike an {@code if} in the body.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ServerVersionCondition.class)
public @interface DisabledIfServerVersionBelow {
  /** The first major version the test runs on, such as 13. */
  int value();

  /** Why, as the skip reason: what the older servers lack. */
  String reason() default "";
}
