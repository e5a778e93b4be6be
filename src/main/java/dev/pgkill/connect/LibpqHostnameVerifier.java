package dev.pgkill.connect;

import dev.pgkill.text.Counted;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;
import org.postgresql.ssl.PGjdbcHostnameVerifier;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * verify-full's host-name check, pgjdbc's, failing in libpq's words: {@code server certificate for
 * "localhost" (and 1 other name) does not match host name "127.0.0.1"} rather than pgjdbc's "could
 * not be verified by hostnameverifier PgjdbcHostnameVerifier", which names no name. pgjdbc creates
 * it from its class name ({@code sslhostnameverifier}) for each connection.
 */
public final class LibpqHostnameVerifier implements HostnameVerifier {
  private static final int DNS_NAME = 2;
  private static final int IP_ADDRESS = 7;

  @Override
  public boolean verify(String host, SSLSession session) {
    if (PGjdbcHostnameVerifier.INSTANCE.verify(host, session)) {
      return true;
    }
    // A HostnameVerifier can only say no, and pgjdbc would then report it in words that name no
    // certificate name. The method that calls this one throws PSQLException for a mismatch, and
    // pgjdbc tries the next host on it: the same exception, with libpq's words, is thrown here.
    // No honest way exists: pgjdbc makes this class from its name and copies only string
    // properties, so no holder can carry the names back to the connector without static state;
    // and an unchecked exception would escape pgjdbc's loop over hosts, so no next host is tried.
    throw LibpqHostnameVerifier.<RuntimeException>undeclared(
        new PSQLException(mismatch(host, session), PSQLState.CONNECTION_FAILURE));
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> E undeclared(Exception e) throws E {
    throw (E) e;
  }

  /** libpq's message: the first name the certificate holds and how many others were examined. */
  static String mismatch(String host, SSLSession session) {
    List<String> names;
    try {
      Certificate[] chain = session.getPeerCertificates();
      names =
          chain.length > 0 && chain[0] instanceof X509Certificate certificate
              ? names(certificate, isAddress(host))
              : List.of();
    } catch (SSLPeerUnverifiedException e) {
      names = List.of();
    }
    if (names.isEmpty()) {
      return "could not get server's host name from server certificate";
    }
    int others = names.size() - 1;
    return "server certificate for \""
        + names.get(0)
        + "\""
        + (others == 0 ? "" : " (and " + Counted.of(others, "other name") + ")")
        + " does not match host name \""
        + host
        + "\"";
  }

  /**
   * The names libpq examines, in its order: the DNS and IP subject alternative names, then the
   * common name unless there was an alternative name of the host's kind (DNS name or address).
   */
  static List<String> names(X509Certificate certificate, boolean hostIsAddress) {
    List<String> names = new ArrayList<>();
    boolean checkCommonName = true;
    try {
      if (certificate.getSubjectAlternativeNames() != null) {
        for (List<?> entry : certificate.getSubjectAlternativeNames()) {
          int type = (Integer) entry.get(0);
          if (type == DNS_NAME || type == IP_ADDRESS) {
            names.add(String.valueOf(entry.get(1)));
            if ((type == IP_ADDRESS) == hostIsAddress) {
              checkCommonName = false;
            }
          }
        }
      }
    } catch (CertificateParsingException e) {
      // As if it had none: the common name may still be there.
    }
    if (checkCommonName) {
      try {
        String subject = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        for (Rdn rdn : new LdapName(subject).getRdns()) {
          if (rdn.getType().equalsIgnoreCase("CN")) {
            names.add(String.valueOf(rdn.getValue()));
            break; // libpq examines one common name
          }
        }
      } catch (InvalidNameException e) {
        // No common name to show.
      }
    }
    return names;
  }

  private static boolean isAddress(String host) {
    return host.contains(":") || host.matches("[0-9]+(\\.[0-9]+){3}");
  }
}
