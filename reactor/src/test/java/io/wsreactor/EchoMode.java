package io.wsreactor;

import io.wsreactor.frame.Frame;

/** How a test's application echoes a peer: a platform thread with the blocking API, or futures only. */
enum EchoMode {
    THREAD, ASYNC;

    /** Echoes {@code peer} until its stream ends; a write the server refuses lets the peer go. */
    void serve(WsPeer peer) {
        if (this == ASYNC) {
            AsyncEcho.echo(peer);
            return;
        }
        Thread thread = new Thread(() -> {
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
        }, "echo");
        thread.setDaemon(true);
        thread.start();
    }
}
