package io.wsreactor;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * TLS on the JDK's {@link SSLEngine} in server mode, behind the {@link Transport} seam: the connection above reads
 * and writes application bytes and never sees a record.
 *
 * <p>The handshake is driven from inside {@link #read} (unwrap, and the wraps it asks for) and {@link #flushOwn}
 * (wraps the socket had no room for). No loop spins: each engine status either makes progress or stops the loop with
 * a reason the reactor waits on — BUFFER_UNDERFLOW waits for the socket's next bytes; BUFFER_OVERFLOW hands back what
 * fits and keeps the rest ({@link #hasBufferedInput}); NEED_WRAP with the socket full waits for OP_WRITE with reading
 * off ({@link #readReady}); NEED_TASK runs the engine's delegated tasks on {@link TlsTasks} and, with reading and
 * writing off meanwhile, resumes the connection on the reactor thread when they are done; CLOSED is the end of input.
 *
 * <p>The record buffers and their moves to and from the socket are {@link TlsRecords}' (borrowed only while they hold
 * bytes). Decrypted bytes go straight into the caller's buffer (the reactor's shared read buffer). Reactor thread
 * only, except {@link #session}.
 */
final class SslTransport extends TlsRecords implements Transport {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Executor tasks;
    private final Executor reactor;
    private Runnable resume = () -> { };
    private boolean taskRunning;
    /** Shut TCP's output once {@link #netOut} (holding close_notify) is written. */
    private boolean shutdownPending;
    private boolean closed;

    /**
     * A transport for {@code channel} over {@code engine} (a server's: {@link TlsEngines#server}); delegated tasks run
     * on {@code tasks} ({@link TlsTasks#EXECUTOR}) and report back through {@code reactor}, the connection's reactor.
     */
    SslTransport(ByteChannel channel, SSLEngine engine, TlsBuffers buffers, Executor tasks, Executor reactor) {
        super(channel, engine, buffers);
        this.tasks = tasks;
        this.reactor = reactor;
    }

    @Override
    public void onResume(Runnable resume) {
        this.resume = resume;
    }

    // ---- reading ----

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int start = dst.position();
        if (appIn != null && !drainAppIn(dst)) {
            return dst.position() - start;
        }
        if (closed || taskRunning || wrapBlocked) {
            return dst.position() - start;
        }
        if (inputDone) {
            return dst.position() > start ? dst.position() - start : -1;
        }
        try {
            readRecords(dst, start);
        } catch (SSLException e) {
            sendAlert();
            throw e;
        } finally {
            releaseDrained();
        }
        int n = dst.position() - start;
        return n == 0 && inputDone ? -1 : n;
    }

    private void readRecords(ByteBuffer dst, int start) throws IOException {
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                startTasks();
                return;
            }
            if (status == HandshakeStatus.NEED_WRAP) {
                if (!wrapHandshake()) {
                    return;
                }
                continue;
            }
            Unwrapped outcome = unwrap(dst, start);
            if (outcome == Unwrapped.FULL || outcome == Unwrapped.INPUT_CLOSED) {
                return;
            }
            // Once decrypted bytes are handed over, the socket is not asked again: the selector reports what it
            // still holds, and a read that would only say "nothing yet" costs a syscall per message.
            if (outcome == Unwrapped.NEED_INPUT && (dst.position() > start || !fill())) {
                return;
            }
        }
    }

    @Override
    public boolean readReady() {
        return !taskRunning && !wrapBlocked;
    }

    @Override
    public boolean paused() {
        return taskRunning;
    }

    @Override
    public boolean hasBufferedInput() {
        return recordWaits();
    }

    // ---- writing ----

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (!flushNet()) {
            return 0;
        }
        int start = src.position();
        while (src.hasRemaining() && !taskRunning) {
            SSLEngineResult result = wrap(src);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("TLS output is closed");
            }
            if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                startTasks();
            }
            if (!flushNet() || result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                break;
            }
        }
        return src.position() - start;
    }

    /**
     * Wraps the handshake message (or alert, or close_notify) the engine asks for.
     *
     * @return whether it was made and written; false when the socket has no room for it ({@link #wrapBlocked} then
     *     keeps reading off until OP_WRITE), or when the engine made nothing
     */
    private boolean wrapHandshake() throws IOException {
        if (!flushNet()) {
            wrapBlocked = true;
            return false;
        }
        SSLEngineResult result = wrap(EMPTY);
        if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
            startTasks();
        }
        if (!flushNet()) {
            wrapBlocked = engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP;
            return false;
        }
        return result.bytesProduced() > 0; // nothing made: stop rather than ask again
    }

    @Override
    public boolean flushOwn() throws IOException {
        if (!flushNet()) {
            return false;
        }
        if (shutdownPending) {
            shutdownPending = false;
            shutdownChannelOutput();
        }
        while (!closed && !taskRunning) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                startTasks();
            } else if (status != HandshakeStatus.NEED_WRAP || engine.isOutboundDone()) {
                return true;
            } else if (!wrapHandshake()) {
                return netOut == null;
            }
        }
        return netOut == null;
    }

    @Override
    public boolean wantsWrite() {
        return netOut != null || shutdownPending;
    }

    // ---- delegated tasks ----

    private void startTasks() throws IOException {
        taskRunning = true;
        try {
            tasks.execute(this::runTasks);
        } catch (RejectedExecutionException e) {
            taskRunning = false;
            throw new IOException("TLS handshake refused: " + TlsTasks.QUEUE + " key tasks already wait", e);
        }
    }

    /** On a {@link TlsTasks} thread. */
    private void runTasks() {
        try {
            for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                task.run();
            }
        } catch (RuntimeException e) {
            Connection.LOG.log(Level.DEBUG, "a TLS delegated task failed", e); // the engine reports it next
        } finally {
            reactor.execute(this::tasksDone);
        }
    }

    private void tasksDone() {
        taskRunning = false;
        if (!closed) {
            resume.run();
        }
    }

    // ---- closing ----

    @Override
    public void shutdownOutput() throws IOException {
        engine.closeOutbound();
        if (!flushOwn()) {
            shutdownPending = true;
            return;
        }
        shutdownChannelOutput();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            // close_notify, best effort: a socket that just took our close frame has room for 24 more bytes.
            if (flushNet() && !engine.isOutboundDone()) {
                engine.closeOutbound();
                wrap(EMPTY);
                flushNet();
            }
        } catch (IOException | RuntimeException e) {
            // The client dropped first, or the engine is mid-task: nothing more to tell it. Closing must not fail.
        } finally {
            closed = true;
            releaseAll();
            channel.close();
        }
    }

    /** After a handshake failure the engine holds an alert for the client: send it once if the socket takes it. */
    private void sendAlert() {
        try {
            if (flushNet() && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                wrap(EMPTY);
                flushNet();
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: the connection closes whatever happens.
        }
    }

    // ---- what the connection and tests see ----

    @Override
    public SSLSession session() {
        return engine.getSession();
    }
}
