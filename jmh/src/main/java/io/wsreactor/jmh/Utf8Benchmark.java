package io.wsreactor.jmh;

import io.wsreactor.frame.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * UTF-8 validation of a 4 KiB text payload: wsreactor's {@link Utf8Validator} (incremental, ASCII fast path)
 * beside the JDK's {@link CharsetDecoder} set to REPORT malformed input (the usual plain way to check UTF-8),
 * decoding into a reused buffer so neither side allocates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Utf8Benchmark {
    private static final int SIZE = 4096;

    /** ascii: letters only; mixed: European and CJK text (1–3 byte sequences); emoji: mostly 4-byte sequences. */
    @Param({"ascii", "mixed", "emoji"})
    public String text;

    private byte[] data;
    private Utf8Validator validator;
    private CharsetDecoder decoder;
    private CharBuffer chars;

    /** Builds a valid payload of about 4 KiB of the chosen kind. */
    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(2);
        StringBuilder sb = new StringBuilder();
        String[] mixed = {"héllo ", "wörld ", "naïve ", "日本語 ", "текст ", "plain ascii words ", "€ 12,50 "};
        while (sb.toString().getBytes(StandardCharsets.UTF_8).length < SIZE) {
            switch (text) {
                case "ascii" -> sb.append((char) ('a' + random.nextInt(26)));
                case "mixed" -> sb.append(mixed[random.nextInt(mixed.length)]);
                case "emoji" -> sb.appendCodePoint(0x1F600 + random.nextInt(64)).append(random.nextInt(8) == 0 ? " " : "");
                default -> throw new IllegalArgumentException(text);
            }
        }
        data = sb.toString().getBytes(StandardCharsets.UTF_8);
        validator = new Utf8Validator();
        decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        chars = CharBuffer.allocate(data.length);
    }

    /** wsreactor's one-shot check. */
    @Benchmark
    public boolean utf8ValidatorIsValid() {
        return Utf8Validator.isValid(data, 0, data.length);
    }

    /** wsreactor's incremental validator, as the decoder uses it (one reused instance per connection). */
    @Benchmark
    public int utf8ValidatorIncremental() {
        validator.reset();
        return validator.validate(data, 0, data.length);
    }

    /** The JDK's decoder with REPORT, into a reused char buffer. */
    @Benchmark
    public boolean charsetDecoder() {
        decoder.reset();
        chars.clear();
        CoderResult result = decoder.decode(ByteBuffer.wrap(data), chars, true);
        return !result.isError();
    }
}
