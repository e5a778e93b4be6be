package dev.pgkill.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;

/**
 * {@code pgkill INFO message}, then any exception: at {@code -v} its causes, one line each; the
 * stack trace only at {@code -vv}, when pgkill's logger logs DEBUG.
 */
final class LogLayout extends LayoutBase<ILoggingEvent> {
  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder text = new StringBuilder("pgkill ");
    text.append(String.format("%-5s ", event.getLevel())).append(event.getFormattedMessage());
    text.append('\n');
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown == null) {
      return text.toString();
    }
    if (stackTraces() || !(thrown instanceof ThrowableProxy live)) {
      return text.append(ThrowableProxyUtil.asString(thrown)).append('\n').toString();
    }
    Causes.of(live.getThrowable()).forEach(line -> text.append(line).append('\n'));
    return text.toString();
  }

  private boolean stackTraces() {
    return getContext() instanceof LoggerContext context
        && context.getLogger(Logging.NAME).isDebugEnabled();
  }
}
