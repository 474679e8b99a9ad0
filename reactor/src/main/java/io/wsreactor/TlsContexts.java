package io.wsreactor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the {@link SSLContext} for {@link ServerOptions.Builder#tls} from the files certificate authorities hand out:
 * a PEM certificate chain with its private key, or a PKCS#12 keystore. Any thread; the files are read once, when
 * called.
 */
public final class TlsContexts {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "RSASSA-PSS", "Ed25519", "Ed448"};
    /** rsaEncryption, 1.2.840.113549.1.1.1, as a DER object identifier with its NULL parameters. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** id-ecPublicKey, 1.2.840.10045.2.1, as a DER object identifier. */
    private static final byte[] EC_ALGORITHM = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private TlsContexts() {
    }

    /**
     * A server context from PEM files: {@code certChain} holds the server's certificate first, then the intermediate
     * ones (a Let's Encrypt {@code fullchain.pem}); {@code privateKey} holds its key as PKCS#8 ("BEGIN PRIVATE KEY",
     * RSA, EC or EdDSA), or in the older "BEGIN RSA PRIVATE KEY" or "BEGIN EC PRIVATE KEY" forms. Client certificates,
     * when asked for, are checked against the JDK's default trust store.
     *
     * @throws IOException if a file cannot be read
     * @throws GeneralSecurityException if a file holds no certificate or no usable unencrypted key (the message says
     *     which and how to convert it)
     */
    public static SSLContext fromPem(Path certChain, Path privateKey) throws IOException, GeneralSecurityException {
        return fromPem(certChain, privateKey, null);
    }

    /**
     * As {@link #fromPem(Path, Path)}, with the certificates that client certificates must chain to (mutual TLS; use
     * with {@code tlsParameters(p -> p.setNeedClientAuth(true))}); null means the JDK's default trust store.
     *
     * @throws IOException if a file cannot be read
     * @throws GeneralSecurityException if a file holds no certificate or no usable key
     */
    public static SSLContext fromPem(Path certChain, Path privateKey, Path trustedClientCerts)
            throws IOException, GeneralSecurityException {
        Certificate[] chain = readCertificates(certChain);
        PrivateKey key = readPrivateKey(privateKey);
        char[] password = new char[0];
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, password, chain);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        TrustManagerFactory trust = null;
        if (trustedClientCerts != null) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            Certificate[] roots = readCertificates(trustedClientCerts);
            for (int i = 0; i < roots.length; i++) {
                trusted.setCertificateEntry("client-ca-" + i, roots[i]);
            }
            trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
        return context;
    }

    /**
     * A server context from a PKCS#12 keystore holding one private key entry with its chain (its trusted certificate
     * entries, if any, are what client certificates must chain to).
     *
     * @throws IOException if the file cannot be read or the password is wrong
     * @throws GeneralSecurityException if the keystore holds no usable key
     */
    public static SSLContext fromPkcs12(Path keystore, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        boolean hasTrusted = false;
        for (String alias : java.util.Collections.list(store.aliases())) {
            hasTrusted |= store.isCertificateEntry(alias);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), hasTrusted ? trust.getTrustManagers() : null, null);
        return context;
    }

    static Certificate[] readCertificates(Path file) throws IOException, GeneralSecurityException {
        byte[] bytes = Files.readAllBytes(file);
        Collection<? extends Certificate> certificates =
                CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException(file + " holds no PEM certificate (\"BEGIN CERTIFICATE\")");
        }
        return certificates.toArray(new Certificate[0]);
    }

    static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        Matcher pem = PEM.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        while (pem.find()) {
            String type = pem.group(1);
            byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(der, file);
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM, tlv(0x04, der))),
                            file);
                }
                case "EC PRIVATE KEY" -> {
                    byte[] algorithm = tlv(0x30, concat(EC_ALGORITHM, sec1Curve(der, file)));
                    return pkcs8(tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, der))), file);
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new GeneralSecurityException(file + " holds an encrypted key;"
                        + " decrypt it first: openssl pkcs8 -in " + file + " -nocrypt -out key.pem");
                default -> { } // EC PARAMETERS and the like: look further
            }
        }
        throw new GeneralSecurityException(file + " holds no PEM private key (\"BEGIN PRIVATE KEY\")");
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // Not this algorithm: try the next.
            }
        }
        throw new GeneralSecurityException(file + " holds a private key of no supported algorithm (RSA, EC, EdDSA);"
                + " convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
    }

    /** The named curve of a SEC 1 ECPrivateKey: SEQUENCE { version, privateKey, [0] parameters, ... }. */
    private static byte[] sec1Curve(byte[] der, Path file) throws GeneralSecurityException {
        int[] at = {0};
        int end = enter(der, at, 0x30, file);
        skip(der, at, end, file); // version
        skip(der, at, end, file); // privateKey
        if (at[0] < end && (der[at[0]] & 0xff) == 0xa0) {
            int parametersEnd = enter(der, at, 0xa0, file);
            if (at[0] < parametersEnd && der[at[0]] == 0x06) {
                int start = at[0];
                skip(der, at, parametersEnd, file);
                return java.util.Arrays.copyOfRange(der, start, at[0]);
            }
        }
        throw new GeneralSecurityException(file + " holds an EC key without a named curve; convert it with:"
                + " openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
    }

    /** Steps into the element at {@code at} (which must have {@code tag}); @return the end of its contents */
    private static int enter(byte[] der, int[] at, int tag, Path file) throws GeneralSecurityException {
        if (at[0] >= der.length || (der[at[0]] & 0xff) != tag) {
            throw new GeneralSecurityException(file + " holds a malformed key");
        }
        at[0]++;
        int length = length(der, at, file);
        return at[0] + length;
    }

    private static void skip(byte[] der, int[] at, int end, Path file) throws GeneralSecurityException {
        if (at[0] >= end) {
            throw new GeneralSecurityException(file + " holds a malformed key");
        }
        at[0]++;
        int length = length(der, at, file);
        at[0] += length;
    }

    private static int length(byte[] der, int[] at, Path file) throws GeneralSecurityException {
        if (at[0] >= der.length) {
            throw new GeneralSecurityException(file + " holds a malformed key");
        }
        int first = der[at[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int count = first & 0x7f;
        if (count > 3 || at[0] + count > der.length) {
            throw new GeneralSecurityException(file + " holds a malformed key");
        }
        int length = 0;
        for (int i = 0; i < count; i++) {
            length = (length << 8) | (der[at[0]++] & 0xff);
        }
        if (at[0] + length > der.length) {
            throw new GeneralSecurityException(file + " holds a malformed key");
        }
        return length;
    }

    private static byte[] tlv(int tag, byte[] contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(contents.length + 6);
        out.write(tag);
        int length = contents.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(contents);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
