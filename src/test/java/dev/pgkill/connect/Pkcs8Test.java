package dev.pgkill.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Pkcs8Test {
  private static byte[] pkcs8(String algorithm) throws NoSuchAlgorithmException {
    return KeyPairGenerator.getInstance(algorithm).generateKeyPair().getPrivate().getEncoded();
  }

  @Test
  void anRsaKeyRewrappedIsWhatTheJdkWritesForIt() throws NoSuchAlgorithmException {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    byte[] jdk = rsa.generateKeyPair().getPrivate().getEncoded();
    // SEQUENCE(4) INTEGER 0 (3) SEQUENCE { OID rsaEncryption, NULL } (15) OCTET STRING(4)
    byte[] pkcs1 = Arrays.copyOfRange(jdk, 26, jdk.length);

    assertThat(pkcs1[0]).isEqualTo((byte) 0x30);
    assertThat(Pkcs8.ofRsa(pkcs1)).isEqualTo(jdk);
  }

  @Test
  void theAlgorithmIsToldByItsOidAndRsaIsTheDefault() throws NoSuchAlgorithmException {
    assertThat(Pkcs8.algorithmOf(pkcs8("RSA"))).isNull();
    assertThat(Pkcs8.algorithmOf(pkcs8("EC"))).isEqualTo("EC");
    assertThat(Pkcs8.algorithmOf(pkcs8("Ed25519"))).isEqualTo("EdDSA");
    assertThat(Pkcs8.algorithmOf(pkcs8("Ed448"))).isEqualTo("EdDSA");
  }

  @Test
  void anEcKeyWithoutItsCurveIsRefusedWithTheCommandThatConvertsIt() {
    // SEC1 with only INTEGER 1 and the key: no [0] parameters.
    byte[] sec1 = {0x30, 0x06, 0x02, 0x01, 0x01, 0x04, 0x01, 0x2a};

    assertThatThrownBy(() -> Pkcs8.ofEc(sec1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("openssl pkcs8 -topk8");
  }
}
