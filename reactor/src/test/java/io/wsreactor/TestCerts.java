package io.wsreactor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed test certificates made with the JDK's {@code keytool} into a temporary directory, once per JVM: a
 * server pair (EC P-256, valid for 127.0.0.1 and localhost), an RSA 2048 server pair and a client pair for mutual
 * TLS, each as PKCS#12 and as PEM (certificate, PKCS#8 key).
 */
public final class TestCerts {
    public static final char[] PASSWORD = "changeit".toCharArray();
    private static TestCerts instance;

    public final Path dir;
    public final Path serverP12;
    public final Path serverCertPem;
    public final Path serverKeyPem;
    public final Path rsaP12;
    public final Path rsaCertPem;
    public final Path rsaKeyPem;
    public final Path clientP12;
    public final Path clientCertPem;

    private TestCerts() throws Exception {
        dir = Files.createTempDirectory("wsreactor-tls");
        Runtime.getRuntime().addShutdownHook(new Thread(this::deleteDir));
        serverP12 = generate("server", "EC", "-groupname", "secp256r1");
        rsaP12 = generate("rsa", "RSA", "-keysize", "2048");
        clientP12 = generate("client", "EC", "-groupname", "secp256r1");
        serverCertPem = certPem(serverP12, "server");
        serverKeyPem = keyPem(serverP12, "server");
        rsaCertPem = certPem(rsaP12, "rsa");
        rsaKeyPem = keyPem(rsaP12, "rsa");
        clientCertPem = certPem(clientP12, "client");
    }

    /** The certificates, made at the first call. */
    public static synchronized TestCerts get() throws Exception {
        if (instance == null) {
            instance = new TestCerts();
        }
        return instance;
    }

    /** A server context from the EC pair. */
    public SSLContext serverContext() throws Exception {
        return TlsContexts.fromPkcs12(serverP12, PASSWORD);
    }

    /** A client context trusting the test server certificate, presenting the client certificate when asked. */
    public SSLContext clientContext(boolean withClientCert) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", load(serverP12).getCertificate("server"));
        trusted.setCertificateEntry("rsa", load(rsaP12).getCertificate("rsa"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        KeyManagerFactory keys = null;
        if (withClientCert) {
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(clientP12), PASSWORD);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    /** The client certificate, as the server should see it. */
    public X509Certificate clientCertificate() throws Exception {
        return (X509Certificate) load(clientP12).getCertificate("client");
    }

    private Path generate(String alias, String algorithm, String... keyOptions) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        String[] base = {keytool, "-genkeypair", "-alias", alias, "-keyalg", algorithm};
        String[] rest = {"-dname", "CN=" + alias, "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "36500",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(PASSWORD),
                "-keypass", new String(PASSWORD)};
        String[] command = Stream.of(base, keyOptions, rest).flatMap(Stream::of).toArray(String[]::new);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        return store;
    }

    private Path certPem(Path store, String alias) throws Exception {
        byte[] der = load(store).getCertificate(alias).getEncoded();
        return writePem(alias + "-cert.pem", "CERTIFICATE", der);
    }

    private Path keyPem(Path store, String alias) throws Exception {
        PrivateKey key = (PrivateKey) load(store).getKey(alias, PASSWORD);
        return writePem(alias + "-key.pem", "PRIVATE KEY", key.getEncoded());
    }

    /** Writes {@code der} as a PEM file of {@code type} in the certificates' directory. */
    public Path writePem(String name, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Path file = dir.resolve(name);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n",
                StandardCharsets.US_ASCII);
        return file;
    }

    static KeyStore load(Path store) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD);
        }
        return keyStore;
    }

    private void deleteDir() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary directory: the OS cleans it eventually.
        }
    }
}
