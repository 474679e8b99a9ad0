package io.wsreactor;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The clients of {@code FanoutTest}'s 10,000-subscriber case, in a JVM of their own so that neither process needs
 * more than about 10,000 file descriptors. Arguments: port, clients, messages, largest message. Prints
 * {@code READY} once every client is upgraded, then {@code OK} once each received every message in order and byte
 * for byte ({@link FanoutMessages#message}), or {@code FAIL} and why; exits 0 only after {@code OK}.
 */
public final class FanoutClientMain {
    private FanoutClientMain() {
    }

    /** Runs the clients. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        int messages = Integer.parseInt(args[2]);
        int maxSize = Integer.parseInt(args[3]);
        byte[][] expected = new byte[messages][];
        for (int k = 0; k < messages; k++) {
            expected[k] = FanoutMessages.message(k, maxSize);
        }
        int[] next = new int[count];
        AtomicInteger complete = new AtomicInteger();
        AtomicReference<String> wrong = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        try (FanoutClients clients = new FanoutClients(new InetSocketAddress("127.0.0.1", port), count, i -> false)) {
            clients.connectAll(180_000);
            System.out.println("READY");
            System.out.flush();
            clients.start((client, firstByte, payload) -> {
                int k = next[client];
                if (k >= messages || firstByte != 0x82 || !Arrays.equals(expected[k], payload)) {
                    wrong.compareAndSet(null, "client " + client + " frame " + k + ": first byte " + firstByte
                            + ", " + payload.length + " bytes" + (k < messages ? ", expected " + expected[k].length
                            : ", none expected"));
                    done.countDown();
                    return;
                }
                next[client] = k + 1;
                if (k + 1 == messages && complete.incrementAndGet() == count) {
                    done.countDown();
                }
            });
            boolean finished = done.await(180, TimeUnit.SECONDS);
            if (wrong.get() != null) {
                System.out.println("FAIL " + wrong.get());
            } else if (!finished || clients.failure() != null) {
                System.out.println("FAIL " + complete.get() + " of " + count + " clients complete; reader failure: "
                        + clients.failure());
            } else {
                System.out.println("OK " + count + " clients received " + messages + " messages each");
                System.out.flush();
                System.exit(0);
            }
        }
        System.exit(1);
    }
}
