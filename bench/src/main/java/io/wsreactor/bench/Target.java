package io.wsreactor.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A server in the comparison: how to start it and whether it speaks WebSocket or is the plain TCP limit.
 *
 * @param id the short name used on the command line ({@code --servers async,netty})
 * @param label the name in tables and charts
 * @param javaHome the JDK that runs it
 * @param jvmOptions extra JVM options
 * @param mainClass its main class (in the bench module's jar)
 * @param args its arguments after {@code --host} and {@code --port}
 * @param raw true for the plain TCP echo (no handshake, no framing)
 * @param color its colour in the chart
 * @param tls true when it serves {@code wss://} (its args carry the certificate and key)
 */
record Target(String id, String label, String javaHome, List<String> jvmOptions, String mainClass, List<String> args,
        boolean raw, String color, boolean tls) {

    /** A {@code ws://} server. */
    Target(String id, String label, String javaHome, List<String> jvmOptions, String mainClass, List<String> args,
            boolean raw, String color) {
        this(id, label, javaHome, jvmOptions, mainClass, args, raw, color, false);
    }

    static final String JDK25 = "/usr/lib/jvm/temurin-25-jdk-amd64";
    static final String ECHO_SERVER = "io.wsreactor.examples.EchoServer";

    /** Every server of the comparison on one thread, in table order. */
    static List<Target> all() {
        return all(1);
    }

    /**
     * Every server of the comparison, in table order; {@code virtual} only when a JDK 21+ is found. wsreactor runs
     * {@code threads} reactors and Netty as many event loops; the others have no such setting.
     */
    static List<Target> all(int threads) {
        String jdk = System.getProperty("java.home");
        List<String> wsArgs = List.of("--max-message", Integer.toString(1 << 20), "--reactors",
                Integer.toString(threads), "--mode");
        String reactors = threads == 1 ? "" : " (" + threads + " reactors)";
        List<Target> targets = new ArrayList<>();
        targets.add(new Target("async", "wsreactor async" + reactors, jdk, List.of(), ECHO_SERVER,
                concat(wsArgs, "async"), false, "#1f5fa8"));
        String virtualJdk = Runtime.version().feature() >= 21 ? jdk
                : Files.isExecutable(Path.of(JDK25, "bin", "java")) ? JDK25 : null;
        if (virtualJdk != null) {
            targets.add(new Target("virtual", "wsreactor virtual" + reactors, virtualJdk, List.of(), ECHO_SERVER,
                    concat(wsArgs, "virtual"), false, "#4f8fd8"));
        }
        targets.add(new Target("threads", "wsreactor threads" + reactors, jdk, List.of(), ECHO_SERVER,
                concat(wsArgs, "threads"), false, "#93bde8"));
        targets.add(new Target("netty", "Netty 4.2 (" + threads + (threads == 1 ? " loop)" : " loops)"), jdk,
                List.of("-Dio.netty.leakDetection.level=disabled"), "io.wsreactor.bench.servers.NettyEchoServer",
                List.of("--max-message", Integer.toString(1 << 20), "--loops", Integer.toString(threads)),
                false, "#e07b24"));
        targets.add(new Target("jws", "Java-WebSocket 1.6", jdk, List.of(),
                "io.wsreactor.bench.servers.JavaWebSocketEchoServer", List.of(), false, "#3a9a4a"));
        targets.add(new Target("plain", "plain TCP echo (limit)", jdk, List.of(),
                "io.wsreactor.bench.servers.PlainEchoServer", List.of(), true, "#888888"));
        return targets;
    }

    /**
     * The servers of a {@code wss://} comparison: every WebSocket server of {@code targets} started with the same
     * certificate and key (the plain TCP echo has no TLS and is left out), and wsreactor async over plain
     * {@code ws://} as the reference that TLS costs are measured against.
     */
    static List<Target> overTls(List<Target> targets, Path cert, Path key) {
        List<Target> tlsTargets = new ArrayList<>();
        for (Target t : targets) {
            if (t.raw()) {
                continue;
            }
            List<String> args = new ArrayList<>(t.args());
            args.addAll(List.of("--tls-cert", cert.toString(), "--tls-key", key.toString()));
            tlsTargets.add(new Target(t.id(), t.label() + " wss", t.javaHome(), t.jvmOptions(), t.mainClass(), args,
                    false, t.color(), true));
            if (t.id().equals("async")) {
                tlsTargets.add(new Target("async-ws", "wsreactor async ws (no TLS)", t.javaHome(), t.jvmOptions(),
                        t.mainClass(), t.args(), false, "#aaaaaa", false));
            }
        }
        return tlsTargets;
    }

    /**
     * The blocking modes with a spinning {@link io.wsreactor.WaitStrategy}, run only when named in {@code --servers}
     * (a spinning peer thread needs a core of its own, and S5's 10,000 idle peers would each spin):
     * {@code threads-spin-park}, {@code threads-spin}, {@code virtual-spin-park}.
     */
    static List<Target> waitStrategies() {
        String jdk = System.getProperty("java.home");
        List<String> wsArgs = List.of("--max-message", Integer.toString(1 << 20), "--wait-strategy");
        List<Target> targets = new ArrayList<>();
        targets.add(new Target("threads-spin-park", "wsreactor threads, spin-park", jdk, List.of(), ECHO_SERVER,
                concat(concat(wsArgs, "spin-park"), "--mode", "threads"), false, "#6b4fa8"));
        targets.add(new Target("threads-spin", "wsreactor threads, spin", jdk, List.of(), ECHO_SERVER,
                concat(concat(wsArgs, "spin"), "--mode", "threads"), false, "#a84f9a"));
        String virtualJdk = Runtime.version().feature() >= 21 ? jdk
                : Files.isExecutable(Path.of(JDK25, "bin", "java")) ? JDK25 : null;
        if (virtualJdk != null) {
            targets.add(new Target("virtual-spin-park", "wsreactor virtual, spin-park", virtualJdk, List.of(),
                    ECHO_SERVER, concat(concat(wsArgs, "spin-park"), "--mode", "virtual"), false, "#8f6fd8"));
        }
        return targets;
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    private static List<String> concat(List<String> head, String last) {
        List<String> all = new ArrayList<>(head);
        all.add(last);
        return all;
    }
}
