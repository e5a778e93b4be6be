package dev.pgkill.testing;

import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.SearchOption;

/**
 * Decides {@link DisabledIfServerVersionBelow} (and, on a test method, {@link
 * DisabledIfServerVersionAtLeast}) against the server the tests share, which it asks {@link
 * PostgresExtension} for (starting it if no test has yet).
 */
final class ServerVersionCondition implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<DisabledIfServerVersionAtLeast> atLeast =
        context
            .getTestMethod()
            .flatMap(
                m -> AnnotationSupport.findAnnotation(m, DisabledIfServerVersionAtLeast.class));
    if (atLeast.isPresent()) {
      int major = PostgresExtension.server(context).major();
      int from = atLeast.get().value();
      String why = atLeast.get().reason().isEmpty() ? "" : ": " + atLeast.get().reason();
      if (major >= from) {
        return ConditionEvaluationResult.disabled(
            "only for servers older than PostgreSQL " + from + ", the server is " + major + why);
      }
    }
    Optional<DisabledIfServerVersionBelow> below = annotation(context);
    if (below.isEmpty()) {
      return ConditionEvaluationResult.enabled("no server version required");
    }
    int major = PostgresExtension.server(context).major();
    int required = below.get().value();
    String why = below.get().reason().isEmpty() ? "" : ": " + below.get().reason();
    return major < required
        ? ConditionEvaluationResult.disabled(
            "needs PostgreSQL " + required + " or later, the server is " + major + why)
        : ConditionEvaluationResult.enabled("PostgreSQL " + major + " >= " + required);
  }

  /** On the test method, else on its class or a class enclosing it (for nested classes). */
  private static Optional<DisabledIfServerVersionBelow> annotation(ExtensionContext context) {
    Optional<DisabledIfServerVersionBelow> onMethod =
        context
            .getTestMethod()
            .flatMap(m -> AnnotationSupport.findAnnotation(m, DisabledIfServerVersionBelow.class));
    if (onMethod.isPresent()) {
      return onMethod;
    }
    return context
        .getTestClass()
        .flatMap(
            c ->
                AnnotationSupport.findAnnotation(
                    c, DisabledIfServerVersionBelow.class, SearchOption.INCLUDE_ENCLOSING_CLASSES));
  }
}
