package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The slow-consumer decision alone: bytes, limits and the kind of write in, an {@link Admission} out. No socket. */
class AdmissionTest {
    private static final long MARK = 1000;
    private static final long LIMIT = 3000;

    private static Admission decide(SlowConsumerPolicy policy, long queued, int length, boolean overBudget,
            boolean starts, boolean async) {
        return Admission.decide(policy, queued, length, MARK, LIMIT, overBudget, starts, async);
    }

    @ParameterizedTest
    @EnumSource(value = SlowConsumerPolicy.class, names = {"BLOCK", "FAIL", "DROP"})
    void queuesBelowTheHighWaterMark(SlowConsumerPolicy policy) {
        assertEquals(Admission.QUEUE, decide(policy, MARK - 1, 100, false, true, false));
    }

    @Test
    void blockingWriteAtTheMarkWaitsUnderBlock() {
        assertEquals(Admission.WAIT, decide(SlowConsumerPolicy.BLOCK, MARK, 100, false, true, false));
    }

    @Test
    void asyncWriteUnderBlockQueuesUpToTheHardLimitThenIsRefused() {
        assertEquals(Admission.QUEUE, decide(SlowConsumerPolicy.BLOCK, MARK, (int) (LIMIT - MARK), false, true, true));
        assertEquals(Admission.REFUSE, decide(SlowConsumerPolicy.BLOCK, MARK, (int) (LIMIT - MARK) + 1, false, true,
                true));
    }

    @Test
    void failRefusesAtTheMark() {
        assertEquals(Admission.REFUSE, decide(SlowConsumerPolicy.FAIL, MARK, 1, false, true, false));
    }

    @Test
    void dropDropsAMessageStartButFinishesAMessageBegun() {
        assertEquals(Admission.DROP, decide(SlowConsumerPolicy.DROP, MARK, 1, false, true, true));
        assertEquals(Admission.QUEUE, decide(SlowConsumerPolicy.DROP, MARK, 1, false, false, true));
    }

    @Test
    void closeQueuesUpToTheHardLimitThenClosesThePeer() {
        assertEquals(Admission.QUEUE, decide(SlowConsumerPolicy.CLOSE, LIMIT - 10, 10, false, true, false));
        assertEquals(Admission.CLOSE_PEER, decide(SlowConsumerPolicy.CLOSE, LIMIT - 10, 11, false, true, false));
    }

    @Test
    void aPressingMemoryBudgetCountsAsPastTheHardLimit() {
        assertEquals(Admission.CLOSE_PEER, decide(SlowConsumerPolicy.CLOSE, 0, 1, true, true, false));
        assertEquals(Admission.REFUSE, decide(SlowConsumerPolicy.BLOCK, 0, 1, true, true, true));
        assertEquals(Admission.REFUSE, decide(SlowConsumerPolicy.FAIL, 0, 1, true, true, false));
    }
}
