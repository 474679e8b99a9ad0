package io.wsreactor.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Key;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The self-signed certificate and key a {@code wss://} comparison serves with, made at run time with the JDK's
 * {@code keytool} and written as PEM (certificate, PKCS#8 key) for every server's {@code --tls-cert}/{@code
 * --tls-key}: an ECDSA P-256 pair ({@code ec}) or an RSA 2048 pair ({@code rsa}).
 *
 * @param cert the PEM certificate
 * @param key the PEM PKCS#8 private key
 */
record BenchCerts(Path cert, Path key) {
    private static final String PASSWORD = "bench-only";

    /**
     * Makes a fresh pair of {@code kind} ({@code ec} or {@code rsa}) in {@code dir}, replacing an older one.
     *
     * @throws IOException if keytool fails or the files cannot be written
     */
    static BenchCerts make(Path dir, String kind) throws IOException, InterruptedException {
        List<String> keyOptions = switch (kind) {
            case "ec" -> List.of("-keyalg", "EC", "-groupname", "secp256r1");
            case "rsa" -> List.of("-keyalg", "RSA", "-keysize", "2048");
            default -> throw new IllegalArgumentException("--tls takes ec or rsa, not " + kind);
        };
        Files.createDirectories(dir);
        Path store = dir.resolve(kind + ".p12");
        Files.deleteIfExists(store);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> command = new java.util.ArrayList<>(List.of(keytool, "-genkeypair", "-alias", kind));
        command.addAll(keyOptions);
        command.addAll(List.of("-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity",
                "30", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass",
                PASSWORD));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, PASSWORD.toCharArray());
            Key key = keyStore.getKey(kind, PASSWORD.toCharArray());
            return new BenchCerts(
                    writePem(dir.resolve(kind + "-cert.pem"), "CERTIFICATE", keyStore.getCertificate(kind).getEncoded()),
                    writePem(dir.resolve(kind + "-key.pem"), "PRIVATE KEY", key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read what keytool made: " + e.getMessage(), e);
        }
    }

    private static Path writePem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n",
                StandardCharsets.US_ASCII);
        return file;
    }
}
