package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** Reading the PEM and PKCS#12 forms certificate authorities hand out. */
class TlsContextsTest {
    private static PrivateKey keyOf(Path p12, String alias) throws Exception {
        return (PrivateKey) TestCerts.load(p12).getKey(alias, TestCerts.PASSWORD);
    }

    @Test
    void readsPkcs8EcAndRsaKeys() throws Exception {
        TestCerts certs = TestCerts.get();
        assertArrayEquals(keyOf(certs.serverP12, "server").getEncoded(),
                TlsContexts.readPrivateKey(certs.serverKeyPem).getEncoded());
        assertEquals("RSA", TlsContexts.readPrivateKey(certs.rsaKeyPem).getAlgorithm());
    }

    @Test
    void readsTheOlderRsaPrivateKeyForm() throws Exception {
        TestCerts certs = TestCerts.get();
        PrivateKey key = keyOf(certs.rsaP12, "rsa");
        Path pkcs1 = certs.writePem("rsa-pkcs1.pem", "RSA PRIVATE KEY", innerKey(key.getEncoded()));
        assertArrayEquals(key.getEncoded(), TlsContexts.readPrivateKey(pkcs1).getEncoded());
    }

    @Test
    void readsTheOlderEcPrivateKeyFormWrittenByOpenssl() throws Exception {
        TestCerts certs = TestCerts.get();
        Path sec1 = certs.dir.resolve("ec-sec1.pem");
        Process process;
        try {
            process = new ProcessBuilder("openssl", "ec", "-in", certs.serverKeyPem.toString(),
                    "-out", sec1.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "openssl is not installed");
            return;
        }
        process.getInputStream().readAllBytes();
        assumeTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, "openssl ec failed");
        assertTrue(Files.readString(sec1).contains("BEGIN EC PRIVATE KEY"));
        assertEquals(((ECPrivateKey) keyOf(certs.serverP12, "server")).getS(),
                ((ECPrivateKey) TlsContexts.readPrivateKey(sec1)).getS());
    }

    @Test
    void refusesAnEncryptedKeyNamingTheFix() throws Exception {
        TestCerts certs = TestCerts.get();
        Path encrypted = certs.writePem("encrypted.pem", "ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0x00});
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
                () -> TlsContexts.readPrivateKey(encrypted));
        assertTrue(e.getMessage().contains("openssl pkcs8"), e.getMessage());
    }

    @Test
    void refusesAFileWithoutKeyOrCertificate() throws Exception {
        TestCerts certs = TestCerts.get();
        Path empty = certs.dir.resolve("empty.pem");
        Files.writeString(empty, "nothing here\n");
        assertTrue(assertThrows(GeneralSecurityException.class, () -> TlsContexts.readPrivateKey(empty))
                .getMessage().contains("no PEM private key"));
        assertThrows(GeneralSecurityException.class,
                () -> TlsContexts.fromPem(empty, certs.serverKeyPem));
    }

    @Test
    void buildsContextsFromPemAndPkcs12() throws Exception {
        TestCerts certs = TestCerts.get();
        SSLContext pem = TlsContexts.fromPem(certs.serverCertPem, certs.serverKeyPem, certs.clientCertPem);
        assertNotNull(pem.createSSLEngine());
        SSLContext p12 = TlsContexts.fromPkcs12(certs.rsaP12, TestCerts.PASSWORD);
        assertNotNull(p12.createSSLEngine());
    }

    /** The key inside a PKCS#8 PrivateKeyInfo: SEQUENCE { version, algorithm, OCTET STRING key }. */
    private static byte[] innerKey(byte[] pkcs8) {
        int[] at = {0};
        header(pkcs8, at); // the outer SEQUENCE
        int version = header(pkcs8, at);
        at[0] += version;
        int algorithm = header(pkcs8, at);
        at[0] += algorithm;
        int length = header(pkcs8, at); // the OCTET STRING
        return Arrays.copyOfRange(pkcs8, at[0], at[0] + length);
    }

    private static int header(byte[] der, int[] at) {
        at[0]++; // tag
        int first = der[at[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            length = (length << 8) | (der[at[0]++] & 0xff);
        }
        return length;
    }
}
