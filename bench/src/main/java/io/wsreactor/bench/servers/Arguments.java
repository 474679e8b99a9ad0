package io.wsreactor.bench.servers;

import java.nio.file.Path;

/**
 * The command line shared by the comparison servers:
 * {@code --host H --port P [--max-message N] [--loops N] [--tls-cert CERT.pem --tls-key KEY.pem]}.
 *
 * @param host the address to bind (default 127.0.0.1)
 * @param port the port (default 9000)
 * @param maxMessage the largest message accepted, in bytes (default 1 MiB)
 * @param loops event loop threads, for the servers that have them (default 1)
 * @param tlsCert the PEM certificate chain to serve {@code wss://} with, or null for {@code ws://}
 * @param tlsKey its PKCS#8 private key (PEM), or null
 */
record Arguments(String host, int port, int maxMessage, int loops, Path tlsCert, Path tlsKey) {
    static Arguments parse(String[] args) {
        String host = "127.0.0.1";
        int port = 9000;
        int maxMessage = 1 << 20;
        int loops = 1;
        Path tlsCert = null;
        Path tlsKey = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host" -> host = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--max-message" -> maxMessage = Integer.parseInt(args[i + 1]);
                case "--loops" -> loops = Integer.parseInt(args[i + 1]);
                case "--tls-cert" -> tlsCert = Path.of(args[i + 1]);
                case "--tls-key" -> tlsKey = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (loops < 1) {
            throw new IllegalArgumentException("--loops must be at least 1, was " + loops);
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        return new Arguments(host, port, maxMessage, loops, tlsCert, tlsKey);
    }

    /** Whether to serve {@code wss://}. */
    boolean tls() {
        return tlsCert != null;
    }
}
