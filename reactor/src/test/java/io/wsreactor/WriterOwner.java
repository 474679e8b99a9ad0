package io.wsreactor;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** A {@link PeerWriter.Owner} for tests without a connection: no reply is ever due, so nothing is written in place. */
final class WriterOwner implements PeerWriter.Owner {
    private final BooleanSupplier onReactorThread;
    private final Consumer<String> slowConsumerClose;
    private final WaitStrategy waitStrategy;

    WriterOwner(BooleanSupplier onReactorThread, Consumer<String> slowConsumerClose) {
        this(onReactorThread, slowConsumerClose, WaitStrategy.PARK);
    }

    private WriterOwner(BooleanSupplier onReactorThread, Consumer<String> slowConsumerClose, WaitStrategy strategy) {
        this.onReactorThread = onReactorThread;
        this.slowConsumerClose = slowConsumerClose;
        this.waitStrategy = strategy;
    }

    /** An owner off the reactor thread that ignores close requests; writers wait by {@code strategy}. */
    static WriterOwner waitingBy(WaitStrategy strategy) {
        return new WriterOwner(() -> false, reason -> { }, strategy);
    }

    /** An owner off the reactor thread that ignores close requests; writers park. */
    static WriterOwner quiet() {
        return waitingBy(WaitStrategy.PARK);
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

    @Override
    public WaitStrategy waitStrategy() {
        return waitStrategy;
    }
}
