package io.wsreactor.jmh;

import io.wsreactor.handshake.Handshake;
import io.wsreactor.handshake.HandshakeException;
import io.wsreactor.handshake.HandshakeParser;
import io.wsreactor.handshake.HandshakeRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole server side of an opening handshake as the reactor runs it per connection: parse a browser-like
 * upgrade request, validate it (RFC 6455 §4.2.1), compute {@code Sec-WebSocket-Accept} and serialize the 101
 * response. Score in handshakes per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HandshakeBenchmark {
    private ByteBuffer request;

    /** A request like the ones browsers send. */
    @Setup
    public void setUp() {
        String text = "GET /chat?room=1 HTTP/1.1\r\n"
                + "Host: example.com:8080\r\n"
                + "Connection: Upgrade\r\n"
                + "Pragma: no-cache\r\n"
                + "Cache-Control: no-cache\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\r\n"
                + "Upgrade: websocket\r\n"
                + "Origin: https://example.com\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Accept-Encoding: gzip, deflate, br\r\n"
                + "Accept-Language: en-US,en;q=0.9\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                + "\r\n";
        request = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Parse, validate, respond, serialize. */
    @Benchmark
    public byte[] parseValidateRespond() throws HandshakeException {
        request.position(0);
        HandshakeRequest parsed = new HandshakeParser(8192, 100).parse(request);
        return Handshake.respond(parsed).toBytes();
    }
}
