package io.wsreactor;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wsreactor.frame.Frame;
import java.lang.reflect.Method;

/**
 * How a test's application serves a peer, the README's three ways: a platform thread with the blocking API, a
 * virtual thread with the blocking API (JDK 21 or later; the build runs these tests again on JDK 25 where it is
 * installed), or futures only. Each echoes until the stream ends; a write the server refuses lets the peer go.
 */
public enum EchoMode {
    /** A platform thread per peer, blocking calls. */
    THREAD,
    /** A virtual thread per peer, blocking calls. */
    VIRTUAL,
    /** No thread: readAsync and writeAsync, paced by the peer's writability. */
    ASYNC;

    /** {@code Thread.ofVirtual()}, looked up at run time since the tests compile for Java 17; null before JDK 21. */
    private static final Method OF_VIRTUAL = method(Thread.class, "ofVirtual");
    /** {@code Thread.Builder.unstarted(Runnable)}. */
    private static final Method UNSTARTED = OF_VIRTUAL == null ? null
            : method(OF_VIRTUAL.getReturnType(), "unstarted", Runnable.class);

    /** Skips the calling test where this mode cannot run (virtual threads before JDK 21). */
    public void assumeAvailable() {
        assumeTrue(this != VIRTUAL || UNSTARTED != null, "virtual threads need JDK 21 or later");
    }

    /** Echoes {@code peer} until its stream ends. */
    public void serve(WsPeer peer) {
        if (this == ASYNC) {
            AsyncEcho.echo(peer);
            return;
        }
        start(() -> {
            try {
                for (Frame frame = peer.read(); frame != null; frame = peer.read()) {
                    if (!peer.write(frame).isAccepted()) {
                        peer.close();
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Accepts every peer until the server closes, each served as {@link #serve} does; returns the acceptor. */
    public Thread serveAll(WsServer server, Runnable onAccepted) {
        Thread acceptor = new Thread(() -> {
            try {
                for (WsPeer peer = server.accept(); peer != null; peer = server.accept()) {
                    onAccepted.run();
                    serve(peer);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        return acceptor;
    }

    private void start(Runnable echo) {
        Thread thread;
        if (this == VIRTUAL) {
            assumeAvailable();
            try {
                thread = (Thread) UNSTARTED.invoke(OF_VIRTUAL.invoke(null), echo);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("starting a virtual thread failed", e);
            }
        } else {
            thread = new Thread(echo, "echo");
            thread.setDaemon(true);
        }
        thread.start();
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) {
        try {
            return type.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
