package io.wsreactor.conformance;

/**
 * The server a suite runs against: the one named by {@code -Dws.url=ws://host:port/path}, or else an in-process
 * EchoServer started for the suite and stopped after it.
 */
final class ServerUnderTest implements AutoCloseable {
    private final ServerAddress address;
    private final String description;
    private final InProcessEchoServer inProcess;

    private ServerUnderTest(ServerAddress address, String description, InProcessEchoServer inProcess) {
        this.address = address;
        this.description = description;
        this.inProcess = inProcess;
    }

    /** The server named by -Dws.url, or a freshly started in-process EchoServer. */
    static ServerUnderTest start() throws Exception {
        String url = externalUrl();
        if (url != null) {
            return new ServerUnderTest(ServerAddress.of(url), "external server at " + url, null);
        }
        InProcessEchoServer server = InProcessEchoServer.startDefault();
        return new ServerUnderTest(ServerAddress.of(server.url()), server.description(), server);
    }

    /** The -Dws.url value, or null when the in-process server is used. */
    static String externalUrl() {
        String url = System.getProperty("ws.url");
        return url == null || url.isBlank() ? null : url.trim();
    }

    ServerAddress address() {
        return address;
    }

    String description() {
        return description;
    }

    @Override
    public void close() {
        if (inProcess != null) {
            inProcess.close();
        }
    }
}
