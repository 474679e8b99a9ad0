package io.wsreactor.bench.servers;

/**
 * The command line shared by the comparison servers: {@code --host H --port P [--max-message N]}.
 *
 * @param host the address to bind (default 127.0.0.1)
 * @param port the port (default 9000)
 * @param maxMessage the largest message accepted, in bytes (default 1 MiB)
 */
record Arguments(String host, int port, int maxMessage) {
    static Arguments parse(String[] args) {
        String host = "127.0.0.1";
        int port = 9000;
        int maxMessage = 1 << 20;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host" -> host = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--max-message" -> maxMessage = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new Arguments(host, port, maxMessage);
    }
}
