package io.wsreactor.conformance;

import static io.wsreactor.conformance.WireFrame.utf8;

import java.util.ArrayList;
import java.util.List;

/**
 * Autobahn group 5: fragmented messages, control frames between fragments, continuations with nothing to continue,
 * fragmented control frames and a new message inside an unfinished one.
 */
final class FragmentationCases {
    private static final String FAIL = "The connection is failed with 1002/protocol error";

    private FragmentationCases() {
    }

    /** How a case's frames are written. */
    private enum Writes {
        ONE_WRITE(""), FRAME_WISE(", written in frame-wise chops"), OCTET_WISE(", written in octet-wise chops");

        final String description;

        Writes(String description) {
            this.description = description;
        }

        void send(CaseSession s, WireFrame... frames) {
            switch (this) {
                case ONE_WRITE -> s.send(frames);
                case FRAME_WISE -> s.sendFramewise(frames);
                case OCTET_WISE -> s.sendChopped(1, frames);
            }
        }
    }

    static List<ConformanceCase> all() {
        List<ConformanceCase> cases = new ArrayList<>();
        cases.add(ConformanceCase.of("5.1", "Send ping fragmented into 2 fragments", FAIL, s -> {
            s.send(new WireFrame(false, 0, WireFrame.PING, utf8("fragment1")), WireFrame.continuation(utf8("fragment2"), true));
            s.expectFailure(1002);
        }));
        cases.add(ConformanceCase.of("5.2", "Send pong fragmented into 2 fragments", FAIL, s -> {
            s.send(new WireFrame(false, 0, WireFrame.PONG, utf8("fragment1")), WireFrame.continuation(utf8("fragment2"), true));
            s.expectFailure(1002);
        }));
        cases.add(twoFragments("5.3", Writes.ONE_WRITE));
        cases.add(twoFragments("5.4", Writes.FRAME_WISE));
        cases.add(twoFragments("5.5", Writes.OCTET_WISE));
        cases.add(twoFragmentsWithPing("5.6", Writes.ONE_WRITE));
        cases.add(twoFragmentsWithPing("5.7", Writes.FRAME_WISE));
        cases.add(twoFragmentsWithPing("5.8", Writes.OCTET_WISE));
        String[] chops = {"5.9", "5.10", "5.11"};
        Writes[] ways = {Writes.ONE_WRITE, Writes.FRAME_WISE, Writes.OCTET_WISE};
        for (int i = 0; i < 3; i++) {
            cases.add(orphanContinuation(chops[i], true, ways[i]));
        }
        chops = new String[] {"5.12", "5.13", "5.14"};
        for (int i = 0; i < 3; i++) {
            cases.add(orphanContinuation(chops[i], false, ways[i]));
        }
        cases.add(ConformanceCase.of("5.15", "Send text message fragmented into 2 fragments, then continuation with "
                + "FIN = false where there is nothing to continue, then unfragmented text message",
                "Echo of the first message, then the connection is failed with 1002/protocol error",
                s -> {
                    s.send(WireFrame.text(utf8("fragment1"), false), WireFrame.continuation(utf8("fragment2"), true),
                            WireFrame.continuation(utf8("fragment3"), false), WireFrame.text("fragment4"));
                    s.expectMessage(WireFrame.TEXT, utf8("fragment1fragment2"));
                    s.expectFailure(1002);
                }));
        cases.add(repeatedOrphans("5.16", false));
        cases.add(repeatedOrphans("5.17", true));
        cases.add(ConformanceCase.of("5.18", "Send text message fragmented into 2 fragments, with both frame opcodes "
                + "set to text", FAIL, s -> {
            s.send(WireFrame.text(utf8("fragment1"), false), WireFrame.text(utf8("fragment2"), true));
            s.expectFailure(1002);
        }));
        cases.add(fiveFragmentsWithPings("5.19", false));
        cases.add(fiveFragmentsWithPings("5.20", true));
        return cases;
    }

    private static ConformanceCase twoFragments(String id, Writes writes) {
        return ConformanceCase.of(id, "Send text message fragmented into 2 fragments" + writes.description,
                "Echo of the whole message; clean close with normal code", s -> {
                    writes.send(s, WireFrame.text(utf8("fragment1"), false), WireFrame.continuation(utf8("fragment2"), true));
                    s.expectMessage(WireFrame.TEXT, utf8("fragment1fragment2"));
                    s.closeNormally();
                });
    }

    private static ConformanceCase twoFragmentsWithPing(String id, Writes writes) {
        return ConformanceCase.of(id, "Send text message fragmented into 2 fragments, one ping with payload in-between"
                + writes.description,
                "A pong for the ping, then the echo of the whole message; clean close with normal code", s -> {
                    writes.send(s, WireFrame.text(utf8("fragment1"), false), WireFrame.ping(utf8("ping payload")),
                            WireFrame.continuation(utf8("fragment2"), true));
                    s.expectPong(utf8("ping payload"));
                    s.expectMessage(WireFrame.TEXT, utf8("fragment1fragment2"));
                    s.closeNormally();
                });
    }

    private static ConformanceCase orphanContinuation(String id, boolean fin, Writes writes) {
        return ConformanceCase.of(id, "Send unfragmented text message after continuation frame with FIN = " + fin
                + ", where there is nothing to continue" + writes.description, FAIL, s -> {
                    writes.send(s, WireFrame.continuation(utf8("non-continuation payload"), fin), WireFrame.text("Hello, world!"));
                    s.expectFailure(1002);
                });
    }

    private static ConformanceCase repeatedOrphans(String id, boolean fin) {
        return ConformanceCase.of(id, "Repeated 2x: continuation frame with FIN = " + fin
                + " (nothing to continue), then text message fragmented into 2 fragments", FAIL, s -> {
                    WireFrame[] frames = new WireFrame[6];
                    for (int i = 0; i < 2; i++) {
                        frames[3 * i] = WireFrame.continuation(utf8("fragment1"), fin);
                        frames[3 * i + 1] = WireFrame.text(utf8("fragment2"), false);
                        frames[3 * i + 2] = WireFrame.continuation(utf8("fragment3"), true);
                    }
                    s.send(frames);
                    s.expectFailure(1002);
                });
    }

    private static ConformanceCase fiveFragmentsWithPings(String id, boolean framewise) {
        return ConformanceCase.of(id, "Send text message in 5 fragments: 2 fragments, ping, pause, 2 fragments, ping, "
                + "last fragment" + (framewise ? ", each frame written on its own" : ""),
                "Both pongs, then the echo of the whole message; clean close with normal code", s -> {
                    WireFrame[] first = {WireFrame.text(utf8("fragment1"), false), WireFrame.continuation(utf8("fragment2"), false),
                        WireFrame.ping(utf8("pongme 1!"))};
                    WireFrame[] second = {WireFrame.continuation(utf8("fragment3"), false),
                        WireFrame.continuation(utf8("fragment4"), false), WireFrame.ping(utf8("pongme 2!")),
                        WireFrame.continuation(utf8("fragment5"), true)};
                    if (framewise) {
                        s.sendFramewise(first);
                    } else {
                        s.send(first);
                    }
                    s.expectPong(utf8("pongme 1!"));
                    s.pause(200);
                    if (framewise) {
                        s.sendFramewise(second);
                    } else {
                        s.send(second);
                    }
                    s.expectPong(utf8("pongme 2!"));
                    s.expectMessage(WireFrame.TEXT, utf8("fragment1fragment2fragment3fragment4fragment5"));
                    s.closeNormally();
                });
    }
}
