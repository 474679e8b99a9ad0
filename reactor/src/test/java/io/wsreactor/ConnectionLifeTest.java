package io.wsreactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsreactor.frame.CloseCode;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every event in every state of {@link ConnectionLife}, with no socket, thread or clock: time is the {@code now} the
 * test passes in.
 */
class ConnectionLifeTest {
    private static final long HANDSHAKE_TIMEOUT = 10_000;
    private static final long CLOSE_TIMEOUT = 500;
    private static final long T0 = 1_000_000;

    /** The client's close with nothing unread before it: the reader sees the end at once. */
    private static LifeStep closeRead(ConnectionLife life, int code, String reason, long now) {
        LifeStep step = life.closeReceived(code, reason, now);
        return step != LifeStep.NONE ? step : life.readersSawEnd(now);
    }

    /** A protocol error with nothing unread before it. */
    private static LifeStep errorRead(ConnectionLife life, int code, String reason, long now) {
        LifeStep step = life.protocolError(code, reason, now);
        return step != LifeStep.NONE ? step : life.readersSawEnd(now);
    }

    private static ConnectionLife handshaking() {
        return new ConnectionLife(HANDSHAKE_TIMEOUT, CLOSE_TIMEOUT, T0);
    }

    private static ConnectionLife hookPending() {
        ConnectionLife life = handshaking();
        life.awaitDecision();
        return life;
    }

    private static ConnectionLife open() {
        ConnectionLife life = handshaking();
        life.upgraded();
        return life;
    }

    /** Open, then the server began a close (not a failure) whose frame is queued but not yet written. */
    private static ConnectionLife closing() {
        ConnectionLife life = open();
        assertEquals(LifeStep.SEND_CLOSE, life.serverCloses(CloseCode.GOING_AWAY, "bye", false, CLOSE_TIMEOUT, T0));
        return life;
    }

    private static ConnectionLife lingering() {
        ConnectionLife life = handshaking();
        life.rejected(T0);
        return life;
    }

    private static ConnectionLife closed() {
        ConnectionLife life = open();
        life.closed();
        return life;
    }

    @Nested
    class Handshaking {
        @Test
        void startsReadingUnderTheHandshakeDeadline() {
            ConnectionLife life = handshaking();
            assertEquals(ConnectionState.HANDSHAKING, life.state());
            assertTrue(life.wantsInput());
            assertEquals(T0 + HANDSHAKE_TIMEOUT, life.deadline());
        }

        @Test
        void deadlineClosesOnlyOnceReached() {
            ConnectionLife life = handshaking();
            assertEquals(LifeStep.NONE, life.tick(T0 + HANDSHAKE_TIMEOUT - 1));
            assertEquals(LifeStep.CLOSE, life.tick(T0 + HANDSHAKE_TIMEOUT));
        }

        @Test
        void endOfInputClosesAtOnce() {
            assertEquals(LifeStep.CLOSE, handshaking().inputEnded(true, T0));
        }

        @Test
        void upgradeOpensWithNoDeadline() {
            ConnectionLife life = handshaking();
            life.upgraded();
            assertEquals(ConnectionState.OPEN, life.state());
            assertEquals(Long.MAX_VALUE, life.deadline());
            assertEquals(LifeStep.NONE, life.tick(Long.MAX_VALUE - 1));
        }

        @Test
        void rejectionLingersUnderTheCloseTimeout() {
            ConnectionLife life = handshaking();
            life.rejected(T0 + 7);
            assertEquals(ConnectionState.LINGERING, life.state());
            assertEquals(T0 + 7 + CLOSE_TIMEOUT, life.deadline());
            assertTrue(life.wantsInput(), "reads what the client still sends, to see its end");
        }

        @Test
        void frameEventsBeforeTheUpgradeAreIgnored() {
            ConnectionLife life = handshaking();
            assertEquals(LifeStep.NONE, closeRead(life, 1000, "", T0));
            assertEquals(LifeStep.NONE, errorRead(life, CloseCode.PROTOCOL_ERROR, "x", T0));
            assertEquals(LifeStep.NONE, life.serverCloses(CloseCode.GOING_AWAY, "", false, CLOSE_TIMEOUT, T0));
            assertEquals(LifeStep.NONE, life.closeWritten(T0));
            assertEquals(LifeStep.NONE, life.outboundDrained());
            assertEquals(ConnectionState.HANDSHAKING, life.state());
        }

        @Test
        void upgradeOrRejectionOutsideTheHandshakeIsABug() {
            assertThrows(IllegalStateException.class, () -> open().upgraded());
            assertThrows(IllegalStateException.class, () -> hookPending().upgraded());
            assertThrows(IllegalStateException.class, () -> open().rejected(T0));
            assertThrows(IllegalStateException.class, () -> open().awaitDecision());
        }
    }

    @Nested
    class HookPending {
        @Test
        void stopsReadingAndKeepsTheHandshakeDeadline() {
            ConnectionLife life = hookPending();
            assertEquals(ConnectionState.PENDING, life.state());
            assertFalse(life.wantsInput(), "the socket is not read while the hook decides");
            assertEquals(T0 + HANDSHAKE_TIMEOUT, life.deadline());
        }

        @Test
        void answerInTimeGoesBackToTheHandshake() {
            ConnectionLife life = hookPending();
            assertTrue(life.resumeDecision());
            assertEquals(ConnectionState.HANDSHAKING, life.state());
            assertEquals(T0 + HANDSHAKE_TIMEOUT, life.deadline());
            life.upgraded();
            assertEquals(ConnectionState.OPEN, life.state());
        }

        @Test
        void timeoutAsksForTheRejectionAndALateAnswerNoLongerCounts() {
            ConnectionLife life = hookPending();
            assertEquals(LifeStep.REJECT_UNAVAILABLE, life.tick(T0 + HANDSHAKE_TIMEOUT));
            assertEquals(ConnectionState.HANDSHAKING, life.state());
            assertFalse(life.resumeDecision());
            life.rejected(T0 + HANDSHAKE_TIMEOUT);
            assertEquals(ConnectionState.LINGERING, life.state());
        }

        @Test
        void answerAfterTheConnectionClosedDoesNotCount() {
            ConnectionLife life = hookPending();
            life.closed();
            assertFalse(life.resumeDecision());
            assertEquals(ConnectionState.CLOSED, life.state());
        }

        @Test
        void endOfInputClosesAtOnce() {
            assertEquals(LifeStep.CLOSE, hookPending().inputEnded(false, T0));
        }
    }

    @Nested
    class OpenClientCloses {
        @Test
        void closeAfterTheReaderSawTheEndIsAnsweredAtOnce() {
            ConnectionLife life = open();
            assertEquals(LifeStep.SEND_CLOSE, closeRead(life, 1000, "done", T0));
            assertEquals(ConnectionState.CLOSING, life.state());
            assertEquals(1000, life.closeCode());
            assertEquals(CloseInitiator.CLIENT, life.initiator());
            assertEquals(new CloseStatus(1000, "done"), life.status());
            assertEquals(LifeStep.CLOSE, life.closeWritten(T0), "our answer written: the handshake is complete");
        }

        @Test
        void closeWithFramesUnreadWaitsForTheReader() {
            ConnectionLife life = open();
            assertEquals(LifeStep.NONE, life.closeReceived(4000, "app", T0));
            assertEquals(ConnectionState.OPEN, life.state(), "the answer waits behind the unread frames");
            assertEquals(LifeStep.SEND_CLOSE, life.readersSawEnd(T0 + 1));
            assertEquals(4000, life.closeCode());
        }

        @Test
        void closeWithAReaderThatNeverReadsIsAnsweredAtTheCloseTimeout() {
            ConnectionLife life = open();
            life.closeReceived(1000, "", T0);
            assertEquals(LifeStep.NONE, life.tick(T0 + CLOSE_TIMEOUT - 1));
            assertEquals(LifeStep.SEND_CLOSE, life.tick(T0 + CLOSE_TIMEOUT));
            assertEquals(ConnectionState.CLOSING, life.state());
            assertEquals(LifeStep.CLOSE, life.closeWritten(T0 + CLOSE_TIMEOUT));
        }

        @Test
        void closeWithoutStatusIsAnsweredWithAnEmptyClose() {
            ConnectionLife life = open();
            closeRead(life, CloseCode.NO_STATUS, "", T0);
            assertEquals(ConnectionLife.EMPTY_CLOSE, life.closeCode());
            assertEquals(CloseCode.NO_STATUS, life.status().code());
        }

        @Test
        void serverCloseWhileTheAnswerIsOwedBecomesTheAnswer() {
            ConnectionLife life = open();
            life.closeReceived(1000, "", T0);
            assertEquals(LifeStep.SEND_CLOSE, life.serverCloses(CloseCode.GOING_AWAY, "bye", false, CLOSE_TIMEOUT, T0));
            assertEquals(CloseCode.GOING_AWAY, life.closeCode());
            assertEquals(LifeStep.NONE, life.readersSawEnd(T0), "no second close frame");
            assertEquals(CloseInitiator.CLIENT, life.initiator());
            assertEquals(1000, life.status().code(), "the client's close is the status");
            assertEquals(LifeStep.CLOSE, life.closeWritten(T0));
        }

        @Test
        void secondCloseFrameIsIgnoredOnceClosing() {
            ConnectionLife life = open();
            closeRead(life, 1000, "", T0);
            assertEquals(LifeStep.NONE, closeRead(life, 1001, "", T0));
            assertEquals(1000, life.closeCode());
        }
    }

    @Nested
    class OpenProtocolError {
        @Test
        void failsWithItsCodeThenHalfClosesAndLingers() {
            ConnectionLife life = open();
            assertEquals(LifeStep.SEND_CLOSE, errorRead(life, CloseCode.PROTOCOL_ERROR, "bad", T0));
            assertEquals(CloseCode.PROTOCOL_ERROR, life.closeCode());
            assertEquals(CloseInitiator.SERVER, life.initiator());
            assertEquals(CloseCode.PROTOCOL_ERROR, life.status().code());
            assertEquals(LifeStep.SHUTDOWN_OUTPUT, life.closeWritten(T0 + 3));
            assertEquals(ConnectionState.LINGERING, life.state());
            assertEquals(T0 + 3 + CLOSE_TIMEOUT, life.deadline());
            assertEquals(LifeStep.NONE, life.outboundDrained(), "output already shut");
            assertEquals(LifeStep.CLOSE, life.inputEnded(false, T0 + 4), "the client closed its side");
        }

        @Test
        void lingerEndsAtTheCloseTimeout() {
            ConnectionLife life = open();
            errorRead(life, CloseCode.INVALID_PAYLOAD, "utf-8", T0);
            life.closeWritten(T0);
            assertEquals(LifeStep.NONE, life.tick(T0 + CLOSE_TIMEOUT - 1));
            assertEquals(LifeStep.CLOSE, life.tick(T0 + CLOSE_TIMEOUT));
        }

        @Test
        void waitsForTheReaderBeforeFailing() {
            ConnectionLife life = open();
            assertEquals(LifeStep.NONE, life.protocolError(CloseCode.MESSAGE_TOO_BIG, "big", T0));
            assertEquals(ConnectionState.OPEN, life.state(), "frames before the error are read first");
            assertEquals(LifeStep.SEND_CLOSE, life.readersSawEnd(T0));
            assertEquals(CloseCode.MESSAGE_TOO_BIG, life.closeCode());
        }

        @Test
        void afterTheClientsCloseTheStatusStaysTheClients() {
            ConnectionLife life = open();
            closeRead(life, 1000, "", T0);
            assertEquals(LifeStep.NONE, errorRead(life, CloseCode.PROTOCOL_ERROR, "late", T0));
            assertEquals(LifeStep.CLOSE, life.closeWritten(T0));
            assertEquals(1000, life.status().code(), "a client's close is kept as the status");
        }
    }

    @Nested
    class OpenServerCloses {
        @Test
        void gracefulCloseWaitsForTheClientsAnswer() {
            ConnectionLife life = open();
            assertEquals(LifeStep.SEND_CLOSE, life.serverCloses(CloseCode.GOING_AWAY, "bye", false, 2_000, T0));
            assertEquals(ConnectionState.CLOSING, life.state());
            assertEquals("bye", life.closeReason());
            assertEquals(T0 + 2_000, life.deadline(), "the caller's timeout, not the default");
            assertEquals(LifeStep.NONE, life.closeWritten(T0));
            assertEquals(CloseStatus.ABNORMAL, life.status(), "no answer yet");
            assertEquals(LifeStep.CLOSE, closeRead(life, 1000, "ok", T0 + 1));
            assertEquals(new CloseStatus(1000, "ok"), life.status());
            assertEquals(CloseInitiator.SERVER, life.initiator());
        }

        @Test
        void answerBeforeOurFrameIsWrittenClosesOnceItIs() {
            ConnectionLife life = closing();
            assertEquals(LifeStep.NONE, closeRead(life, 1000, "", T0));
            assertEquals(LifeStep.CLOSE, life.closeWritten(T0));
        }

        @Test
        void noAnswerClosesAtTheDeadlineWith1006() {
            ConnectionLife life = closing();
            life.closeWritten(T0);
            assertEquals(LifeStep.NONE, life.tick(T0 + CLOSE_TIMEOUT - 1));
            assertEquals(LifeStep.CLOSE, life.tick(T0 + CLOSE_TIMEOUT));
            life.closed();
            assertEquals(CloseStatus.ABNORMAL, life.status());
        }

        @Test
        void failureMakesTheServersCodeTheStatus() {
            ConnectionLife life = open();
            life.serverCloses(CloseCode.POLICY_VIOLATION, "slow", true, CLOSE_TIMEOUT, T0);
            assertEquals(CloseCode.POLICY_VIOLATION, life.status().code());
            assertEquals("slow", life.status().reason());
        }

        @Test
        void secondServerCloseIsIgnored() {
            ConnectionLife life = closing();
            assertEquals(LifeStep.NONE, life.serverCloses(CloseCode.INTERNAL_ERROR, "", true, CLOSE_TIMEOUT, T0));
            assertEquals(CloseCode.GOING_AWAY, life.closeCode());
        }

        @Test
        void endOfInputWhileClosingClosesOnceOurFrameIsWritten() {
            ConnectionLife life = closing();
            assertEquals(LifeStep.NONE, life.inputEnded(true, T0));
            assertFalse(life.wantsInput());
            assertEquals(LifeStep.CLOSE, life.closeWritten(T0));
        }

        @Test
        void endOfInputAfterOurFrameIsWrittenClosesAtOnce() {
            ConnectionLife life = closing();
            life.closeWritten(T0);
            assertEquals(LifeStep.CLOSE, life.inputEnded(true, T0));
        }

        @Test
        void ourFrameCountsAsWrittenOnce() {
            ConnectionLife life = closing();
            assertEquals(LifeStep.NONE, life.closeWritten(T0));
            assertEquals(LifeStep.NONE, life.closeWritten(T0));
        }
    }

    @Nested
    class OpenEndOfInput {
        @Test
        void halfCloseKeepsTheConnectionUntilReadersSawTheEndAndRepliesDrained() {
            ConnectionLife life = open();
            assertEquals(LifeStep.NONE, life.inputEnded(false, T0));
            assertEquals(ConnectionState.OPEN, life.state(), "the client is still reading");
            assertFalse(life.wantsInput());
            assertEquals(LifeStep.NONE, life.outboundDrained(), "the reader has not seen the end");
            assertEquals(LifeStep.NONE, life.readersSawEnd(T0 + 10));
            assertEquals(T0 + 10 + CLOSE_TIMEOUT, life.deadline(), "a fresh window for the replies");
            assertEquals(LifeStep.CLOSE, life.outboundDrained());
            assertEquals(CloseInitiator.ABORT, life.initiator());
            assertEquals(CloseStatus.ABNORMAL, life.status());
        }

        @Test
        void readerAlreadyAtTheEndClosesWhenDrained() {
            ConnectionLife life = open();
            assertEquals(LifeStep.NONE, life.inputEnded(true, T0));
            assertEquals(LifeStep.CLOSE, life.outboundDrained());
        }

        @Test
        void repliesThatNeverDrainAreCutAtTheCloseTimeout() {
            ConnectionLife life = open();
            life.inputEnded(true, T0);
            assertEquals(LifeStep.NONE, life.tick(T0 + CLOSE_TIMEOUT - 1));
            assertEquals(LifeStep.CLOSE, life.tick(T0 + CLOSE_TIMEOUT));
        }

        @Test
        void closeThenFinStillSendsTheOwedClose() {
            ConnectionLife life = open();
            life.closeReceived(1000, "", T0);
            assertEquals(LifeStep.NONE, life.inputEnded(false, T0));
            assertEquals(LifeStep.NONE, life.outboundDrained(), "the owed close has not gone out");
            assertEquals(LifeStep.SEND_CLOSE, life.readersSawEnd(T0));
            assertEquals(LifeStep.CLOSE, life.closeWritten(T0));
        }

        @Test
        void closeThenFinWithTheReaderAtTheEndAnswersAtOnce() {
            ConnectionLife life = open();
            life.closeReceived(1000, "", T0);
            assertEquals(LifeStep.SEND_CLOSE, life.inputEnded(true, T0));
        }

        @Test
        void outboundDrainedWithoutEndOfInputDoesNothing() {
            ConnectionLife life = open();
            assertEquals(LifeStep.NONE, life.outboundDrained());
            assertEquals(LifeStep.NONE, life.readersSawEnd(T0));
            assertEquals(ConnectionState.OPEN, life.state());
        }
    }

    @Nested
    class Lingering {
        @Test
        void rejectionWrittenHalfClosesThenEndOfInputCloses() {
            ConnectionLife life = lingering();
            assertEquals(LifeStep.SHUTDOWN_OUTPUT, life.outboundDrained());
            assertEquals(LifeStep.NONE, life.outboundDrained(), "half-closed once");
            assertEquals(LifeStep.CLOSE, life.inputEnded(false, T0));
        }

        @Test
        void clientGoneBeforeTheRejectionIsWrittenClosesOnceWritten() {
            ConnectionLife life = lingering();
            assertEquals(LifeStep.NONE, life.inputEnded(false, T0));
            assertEquals(LifeStep.CLOSE, life.outboundDrained());
        }

        @Test
        void closeTimeoutEndsTheLinger() {
            ConnectionLife life = lingering();
            life.outboundDrained();
            assertEquals(LifeStep.CLOSE, life.tick(T0 + CLOSE_TIMEOUT));
        }

        @Test
        void frameEventsAreIgnored() {
            ConnectionLife life = lingering();
            assertEquals(LifeStep.NONE, closeRead(life, 1000, "", T0));
            assertEquals(LifeStep.NONE, errorRead(life, CloseCode.PROTOCOL_ERROR, "", T0));
            assertEquals(LifeStep.NONE, life.serverCloses(CloseCode.GOING_AWAY, "", false, CLOSE_TIMEOUT, T0));
            assertEquals(ConnectionState.LINGERING, life.state());
        }
    }

    static Stream<Arguments> everyEvent() {
        List<Function<ConnectionLife, Object>> events = List.of(
                life -> closeRead(life, 1000, "", T0),
                life -> errorRead(life, CloseCode.PROTOCOL_ERROR, "", T0),
                life -> life.serverCloses(CloseCode.GOING_AWAY, "", true, CLOSE_TIMEOUT, T0),
                life -> life.inputEnded(true, T0),
                life -> life.readersSawEnd(T0),
                life -> life.closeWritten(T0),
                life -> life.outboundDrained(),
                life -> life.tick(Long.MAX_VALUE),
                life -> life.resumeDecision());
        String[] names = {"closeReceived", "protocolError", "serverCloses", "inputEnded", "readersSawEnd",
                "closeWritten", "outboundDrained", "tick", "resumeDecision"};
        return Stream.iterate(0, i -> i + 1).limit(events.size()).map(i -> Arguments.of(names[i], events.get(i)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEvent")
    void closedIgnoresEveryEvent(String name, Function<ConnectionLife, Object> event) {
        ConnectionLife life = closed();
        Object answer = event.apply(life);
        assertTrue(answer == LifeStep.NONE || Boolean.FALSE.equals(answer), name + " answered " + answer);
        assertEquals(ConnectionState.CLOSED, life.state());
        assertFalse(life.wantsInput());
        life.closed();
        assertEquals(ConnectionState.CLOSED, life.state(), "closing twice is harmless");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEvent")
    void anEventNeverLeavesAConnectionReadingAfterItsInputEnded(String name, Function<ConnectionLife, Object> event) {
        for (ConnectionLife life : List.of(open(), closing(), lingering())) {
            life.inputEnded(false, T0);
            event.apply(life);
            assertFalse(life.wantsInput(), name + " in " + life.state());
        }
    }
}
