package io.wsreactor.frame;

import java.util.ArrayList;
import java.util.List;

/** A sink that records what the decoder delivered, in order, and notices anything delivered after an error. */
final class RecordingSink implements FrameSink {
    /** A delivered CLOSE frame. */
    record Closed(int code, String reason) {
    }

    /** A reported protocol error. */
    record Failed(int code) {
    }

    /** Data frames, pings and pongs as {@link Frame}s; closes and errors as records. */
    final List<Object> events = new ArrayList<>();
    int errorCount;
    String errorReason;
    boolean deliveredAfterError;

    @Override
    public void onData(Frame frame) {
        record(frame);
    }

    @Override
    public void onPing(byte[] payload) {
        record(Frame.ping(payload));
    }

    @Override
    public void onPong(byte[] payload) {
        record(Frame.pong(payload));
    }

    @Override
    public void onClose(int code, String reason) {
        record(new Closed(code, reason));
    }

    @Override
    public void onProtocolError(int closeCode, String reason) {
        record(new Failed(closeCode));
        errorCount++;
        errorReason = reason;
    }

    private void record(Object event) {
        if (errorCount > 0) {
            deliveredAfterError = true;
        }
        events.add(event);
    }

    /** The close code of the one reported error, or -1 when none was reported. */
    int errorCode() {
        for (Object event : events) {
            if (event instanceof Failed failed) {
                return failed.code();
            }
        }
        return -1;
    }

    /** The data, ping and pong frames delivered. */
    List<Frame> frames() {
        List<Frame> frames = new ArrayList<>();
        for (Object event : events) {
            if (event instanceof Frame frame) {
                frames.add(frame);
            }
        }
        return frames;
    }
}
