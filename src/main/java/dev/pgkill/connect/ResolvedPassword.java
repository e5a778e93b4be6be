package dev.pgkill.connect;

import java.util.Properties;
import org.postgresql.plugin.AuthenticationPlugin;
import org.postgresql.plugin.AuthenticationRequestType;
import org.postgresql.util.PSQLException;

/**
 * Hands pgjdbc the password pgkill resolved, and nothing else. Without a plugin, pgjdbc looks up
 * {@code ~/.pgpass} itself whenever no password is given, with its own rules: it would use a file
 * that others can read, which pgkill (as libpq) refuses. With a plugin, pgjdbc asks it instead;
 * with none to give, the plugin fails with {@link PasswordNeeded}, which is when pgkill may prompt.
 *
 * <p>pgjdbc creates the plugin from its class name with the connection's properties, so the
 * password travels in {@link #PROPERTY}; that property goes nowhere else.
 */
public final class ResolvedPassword implements AuthenticationPlugin {
  static final String PROPERTY = "pgkill.password";

  private final String password;

  public ResolvedPassword(Properties properties) {
    this.password = properties.getProperty(PROPERTY);
  }

  @Override
  public char[] getPassword(AuthenticationRequestType type) throws PSQLException {
    // GSS may log in with no password (a Kerberos ticket): pgjdbc asks anyway.
    if (password == null && type != AuthenticationRequestType.GSS) {
      throw new PasswordNeeded();
    }
    // pgjdbc wipes the array after use: a fresh copy each time.
    return password == null ? null : password.toCharArray();
  }
}
