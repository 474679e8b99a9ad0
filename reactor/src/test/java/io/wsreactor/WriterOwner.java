package io.wsreactor;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** A {@link PeerWriter.Owner} for tests without a connection: no reply is ever due, so nothing is written in place. */
final class WriterOwner implements PeerWriter.Owner {
    private final BooleanSupplier onReactorThread;
    private final Consumer<String> slowConsumerClose;

    WriterOwner(BooleanSupplier onReactorThread, Consumer<String> slowConsumerClose) {
        this.onReactorThread = onReactorThread;
        this.slowConsumerClose = slowConsumerClose;
    }

    /** An owner off the reactor thread that ignores close requests. */
    static WriterOwner quiet() {
        return new WriterOwner(() -> false, reason -> { });
    }

    @Override
    public boolean isReactorThread() {
        return onReactorThread.getAsBoolean();
    }

    @Override
    public void closeSlowConsumer(String reason) {
        slowConsumerClose.accept(reason);
    }

    @Override
    public boolean takeReplyDue() {
        return false;
    }
}
